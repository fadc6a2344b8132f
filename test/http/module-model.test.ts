import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../e2e/app-process.js';
import { chatWithApp } from '../support/app-chat.js';
import { freePort } from '../support/free-port.js';

/**
 * A team's adapter as a team would write it: a plain module outside src/, that reads its settings
 * from the environment it is given and streams a fixed answer. Plain .mjs, so nothing builds it.
 */
const ACME_MODULE = `
export const pricing = { inputPerMTok: 0.5, outputPerMTok: 2 };

export default function acmeModel(env) {
  const answer = env.ACME_ANSWER ?? 'no answer configured';
  return {
    modelId: env.ACME_MODEL_ID,
    limits: { contextWindowTokens: 8192, maxOutputTokens: 1024 },
    async *stream(request, signal) {
      for (const word of answer.split(/(?= )/)) {
        if (signal.aborted) return;
        yield { type: 'text', text: word };
      }
      yield { type: 'end', stopReason: 'end_turn', usage: { inputTokens: 12, outputTokens: 5 } };
    },
  };
}
`;

/** Each child runs on in-memory stores whatever the project: the embedded-stores run would only repeat it. */
const onEmbeddedStores = process.env.HTTP_TEST_STORE === 'embedded';

const dir = mkdtempSync(join(tmpdir(), 'module-model-'));
const moduleFile = (name: string, source: string) => {
  const file = join(dir, name);
  writeFileSync(file, source);
  return file;
};
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(onEmbeddedStores)('MODEL_PROVIDER=module:<path> (npm start in a child process)', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp({
      STORE: 'memory',
      MODEL_PROVIDER: `module:${moduleFile('acme.mjs', ACME_MODULE)}`,
      ACME_MODEL_ID: 'acme-tiny-1',
      ACME_ANSWER: 'Hello from the Acme module.',
    });
  });
  afterAll(() => app?.stop());

  it('answers a chat with the module\'s model', async () => {
    const chat = await chatWithApp(app.url, 'acme-alice', 'Who are you?');
    expect(chat.status).toBe(200);
    expect(chat.answer).toBe('Hello from the Acme module.');
    expect(chat.sse).toContain('event: done');
    expect(chat.sse).toContain('"outputTokens":5');
  });

  it('names the module\'s model, its context window and its prices in /config.json', async () => {
    const config = (await (await fetch(`${app.url}/config.json`)).json()) as { model: { id: string; contextWindowTokens: number } };
    expect(config.model).toEqual({ id: 'acme-tiny-1', contextWindowTokens: 8192, pricing: { inputPerMTok: 0.5, outputPerMTok: 2, currency: 'USD' } });
  });
});

/** Starts `npm start` and waits for it to exit; a start that succeeds fails the test. */
async function failedStart(providerPath: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/entrypoints/local/main.ts'], {
    env: { ...process.env, PORT: String(await freePort()), STORE: 'memory', MODEL_PROVIDER: `module:${providerPath}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => {
    child.stdout.on('data', () => {
      if (output.includes('running at')) child.kill('SIGKILL');
    });
    child.once('exit', resolve);
  });
  expect(output).not.toContain('running at');
  return { code, output };
}

describe.skipIf(onEmbeddedStores)('a module that is not a model adapter stops the start with one clear message', () => {
  it.each([
    ['a missing file', () => join(dir, 'missing.mjs'), 'there is no such file.'],
    ['a default export that is not a function', () => moduleFile('object.mjs', 'export default { modelId: "x" };'), 'the default export is an object, not a function (env) => ChatModel.'],
    [
      'a model without stream',
      () => moduleFile('no-stream.mjs', 'export default () => ({ modelId: "x", limits: { contextWindowTokens: 100, maxOutputTokens: 10 } });'),
      'its default export did not return a ChatModel: stream must be a function',
    ],
    [
      'an answer as long as the whole window',
      () => moduleFile('window.mjs', 'export default () => ({ modelId: "x", limits: { contextWindowTokens: 1000, maxOutputTokens: 1024 }, async *stream() {} });'),
      'limits.maxOutputTokens must be smaller than limits.contextWindowTokens',
    ],
    ['no default export', () => moduleFile('named.mjs', 'export const model = 1;'), 'the module has no default export'],
    [
      'prices that are not numbers',
      () => moduleFile('bad-pricing.mjs', `export const pricing = { inputPerMTok: '3 dollars' };\n${ACME_MODULE.replace('export const pricing', 'const unused').replace('env.ACME_MODEL_ID', "'acme-tiny-1'")}`),
      'its pricing export is not { inputPerMTok, outputPerMTok }',
    ],
    ['a factory that throws', () => moduleFile('throws.mjs', 'export default () => { throw new Error("ACME_API_KEY is not set"); };'), 'its default export threw: ACME_API_KEY is not set'],
  ])('%s', async (_case, path, problem) => {
    const file = path();
    const { code, output } = await failedStart(file);
    expect(code).not.toBe(0);
    expect(output).toContain(`MODEL_PROVIDER=module:${file}`);
    expect(output).toContain(problem);
    // Printed as a configuration error, not a crash: no stack trace.
    expect(output).not.toMatch(/\n\s+at /);
  });
});
