import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../e2e/app-process.js';
import { chatWithApp } from '../support/app-chat.js';

/**
 * The README's "Bring your own model" example as a team would run it: the module in examples/,
 * started with `MODEL_PROVIDER=module:<path>` and its own settings, no file of the project changed.
 */
const EXAMPLE = 'examples/echo-model/echo-model.ts';

describe(`MODEL_PROVIDER=module:${EXAMPLE} npm start`, () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp({ STORE: 'memory', MODEL_PROVIDER: `module:${EXAMPLE}`, ECHO_MODEL_ID: 'echo-team-7', ECHO_CONTEXT_WINDOW: '16384' });
  });
  afterAll(() => app?.stop());

  it('answers a chat, streamed, with the example model', async () => {
    const chat = await chatWithApp(app.url, 'echo-alice', 'Is anyone there?');
    expect(chat.status).toBe(200);
    expect(chat.answer).toBe('You said: Is anyone there?');
    expect(chat.sse).toContain('event: done');
  });

  it('names its model and context window, read from its own settings, in /config.json', async () => {
    const config = (await (await fetch(`${app.url}/config.json`)).json()) as { model: { id: string; contextWindowTokens: number } };
    expect(config.model).toMatchObject({ id: 'echo-team-7', contextWindowTokens: 16384 });
  });
});
