import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../e2e/app-process.js';

/**
 * The README's "Bring your own model" example as a team would run it: the module in examples/,
 * started with `MODEL_PROVIDER=module:<path>` and its own settings, no file of the project changed.
 */
const EXAMPLE = 'examples/echo-model/echo-model.ts';

/** The answer's text, from the SSE frames of POST /chat. */
function answerOf(sse: string): string {
  return sse
    .split('\n\n')
    .filter((frame) => frame.split('\n').includes('event: delta'))
    .map((frame) => (JSON.parse(frame.slice(frame.indexOf('data: ') + 6)) as { text: string }).text)
    .join('');
}

describe(`MODEL_PROVIDER=module:${EXAMPLE} npm start`, () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp({ STORE: 'memory', MODEL_PROVIDER: `module:${EXAMPLE}`, ECHO_MODEL_ID: 'echo-team-7', ECHO_CONTEXT_WINDOW: '16384' });
  });
  afterAll(() => app?.stop());

  it('answers a chat, streamed, with the example model', async () => {
    const signIn = await fetch(`${app.url}/local-auth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'echo-alice' }),
    });
    const { idToken } = (await signIn.json()) as { idToken: string };
    const chat = await fetch(`${app.url}/chat`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${idToken}`, Accept: 'text/event-stream', 'Content-Type': 'application/json' },
      body: JSON.stringify({ message: 'Is anyone there?' }),
    });
    expect(chat.status).toBe(200);
    const sse = await chat.text();
    expect(answerOf(sse)).toBe('You said: Is anyone there?');
    expect(sse).toContain('event: done');
  });

  it('names its model and context window, read from its own settings, in /config.json', async () => {
    const config = (await (await fetch(`${app.url}/config.json`)).json()) as { model: { id: string; contextWindowTokens: number } };
    expect(config.model).toMatchObject({ id: 'echo-team-7', contextWindowTokens: 16384 });
  });
});
