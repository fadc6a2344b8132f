import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OpenAiChatModel, type OpenAiModelOptions } from '../../src/adapters/chat-model/openai-chat-model.js';
import { DomainError } from '../../src/domain/errors.js';
import type { ModelEvent, ModelRequest } from '../../src/domain/ports/chat-model.js';
import { estimateTokens } from '../../src/domain/prompt/token-estimate.js';
import { eventually } from '../support/http-client.js';
import { completion, openAiError, startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai.js';
import { unusedPort } from '../support/ports.js';

const FAST_RETRY = { maxAttempts: 4, budgetMs: 10_000, baseDelayMs: 1, maxDelayMs: 2 };

let fake: FakeOpenAi;
beforeAll(async () => {
  fake = await startFakeOpenAi();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
  fake.reply(completion(['Hello', ' from', ' the fake.']));
});

const model = (options: Partial<OpenAiModelOptions> = {}) =>
  new OpenAiChatModel({ baseUrl: fake.url, apiKey: 'sk-test', modelId: 'llama3.2', retry: FAST_RETRY, ...options });

const ask = (content = 'Say hello.', extra: Partial<ModelRequest> = {}): ModelRequest => ({
  system: 'You are a helpful assistant.',
  documents: [],
  messages: [{ role: 'user', content }],
  maxOutputTokens: 300,
  ...extra,
});

async function collect(stream: AsyncIterable<ModelEvent>): Promise<{ events: ModelEvent[]; error?: unknown }> {
  const events: ModelEvent[] = [];
  try {
    for await (const event of stream) events.push(event);
    return { events };
  } catch (error) {
    return { events, error };
  }
}

const texts = (events: ModelEvent[]) => events.flatMap((event) => (event.type === 'text' ? [event.text] : []));

function expectDomainError(error: unknown, kind: DomainError['kind'], code: string): DomainError {
  expect(error).toBeInstanceOf(DomainError);
  const domainError = error as DomainError;
  expect({ kind: domainError.kind, code: domainError.code }).toEqual({ kind, code });
  return domainError;
}

describe('OpenAiChatModel on a fake chat completions server', () => {
  it('streams the text pieces, then one end event with the usage the server reports', async () => {
    fake.reply(completion(['Bon', 'jour.'], { usage: { prompt_tokens: 40, completion_tokens: 2, prompt_tokens_details: { cached_tokens: 32 } } }));
    const { events, error } = await collect(model().stream(ask(), new AbortController().signal));
    expect(error).toBeUndefined();
    expect(events).toEqual([
      { type: 'text', text: 'Bon' },
      { type: 'text', text: 'jour.' },
      { type: 'end', stopReason: 'end_turn', usage: { inputTokens: 40, outputTokens: 2, cacheReadTokens: 32 } },
    ]);
  });

  it('sends the model, one system message with the documents, the turns, streaming with usage, max_tokens, the key', async () => {
    const request = ask('And now?', {
      documents: [{ fileId: 'f1', fileName: 'note.txt', size: 23, text: 'The meeting is at noon.', truncated: false }],
      messages: [
        { role: 'user', content: 'Hi.' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: 'And now?' },
      ],
    });
    await collect(model({ temperature: 0.5 }).stream(request, new AbortController().signal));
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.authorization).toBe('Bearer sk-test');
    expect(fake.requests[0]!.body).toEqual({
      model: 'llama3.2',
      messages: [
        { role: 'system', content: 'You are a helpful assistant.\n\n<document name="note.txt">\nThe meeting is at noon.\n</document>' },
        { role: 'user', content: 'Hi.' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: 'And now?' },
      ],
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 300,
      temperature: 0.5,
    });
  });

  it('sends no Authorization header without a key (Ollama, llama.cpp)', async () => {
    await collect(model({ apiKey: '' }).stream(ask(), new AbortController().signal));
    expect(fake.requests[0]!.authorization).toBeUndefined();
  });

  it('estimates the usage when the server reports none', async () => {
    fake.reply(completion(['Twelve chars'], { usage: null }));
    const request = ask();
    const { events } = await collect(model().stream(request, new AbortController().signal));
    const end = events.at(-1);
    expect(end?.type).toBe('end');
    if (end?.type !== 'end') return;
    expect(end.usage.outputTokens).toBe(estimateTokens('Twelve chars'));
    expect(end.usage.inputTokens).toBeGreaterThanOrEqual(estimateTokens(request.system) + estimateTokens('Say hello.'));
  });

  it.each([
    ['stop', 'end_turn'],
    ['length', 'max_tokens'],
    ['content_filter', 'content_filtered'],
    ['tool_calls', 'tool_use'],
  ])('maps the finish reason %s to %s', async (finishReason, ours) => {
    fake.reply(completion(['Some text'], { finishReason }));
    const { events, error } = await collect(model().stream(ask(), new AbortController().signal));
    expect(error).toBeUndefined();
    expect(events.at(-1)).toMatchObject({ type: 'end', stopReason: ours });
  });

  it('accepts a stream that ends without [DONE] once it has a finish reason', async () => {
    fake.reply({ ...completion(['Fine.']), done: false });
    const { events, error } = await collect(model().stream(ask(), new AbortController().signal));
    expect(error).toBeUndefined();
    expect(events.at(-1)?.type).toBe('end');
  });

  it('retries 429 and 503 before the first token, then streams the answer', async () => {
    fake.reply(openAiError(429, 'Rate limit reached.'), openAiError(503, 'Overloaded.'), completion(['After', ' waiting.']));
    const { events, error } = await collect(model().stream(ask(), new AbortController().signal));
    expect(error).toBeUndefined();
    expect(texts(events)).toEqual(['After', ' waiting.']);
    expect(fake.requests).toHaveLength(3);
  });

  it('gives up on 429 after the maximum number of attempts: a throttled DomainError', async () => {
    fake.reply(openAiError(429, 'Rate limit reached.'));
    const { error } = await collect(model({ retry: { ...FAST_RETRY, maxAttempts: 2 } }).stream(ask(), new AbortController().signal));
    const domainError = expectDomainError(error, 'throttled', 'MODEL_THROTTLED');
    expect(domainError.message).toBe('The model is busy right now. Try again in a moment.');
    expect(fake.requests).toHaveLength(2);
  });

  it.each([
    [401, 'model_unavailable', 'MODEL_ACCESS_DENIED'],
    [403, 'model_unavailable', 'MODEL_ACCESS_DENIED'],
    [404, 'model_unavailable', 'MODEL_NOT_FOUND'],
    [400, 'invalid', 'MODEL_REQUEST_INVALID'],
  ] as const)('maps HTTP %i to %s %s without retrying', async (status, kind, code) => {
    fake.reply(openAiError(status, 'Nope.'));
    const { error } = await collect(model().stream(ask(), new AbortController().signal));
    const domainError = expectDomainError(error, kind, code);
    if (status === 400) expect(domainError.message).toBe('The model refused the request: Nope.');
    if (status === 404) expect(domainError.message).toContain('llama3.2');
    expect(fake.requests).toHaveLength(1);
  });

  it('maps a 5xx that lasts to model_unavailable', async () => {
    fake.reply(openAiError(502, 'Bad gateway.'));
    const { error } = await collect(model({ retry: { ...FAST_RETRY, maxAttempts: 2 } }).stream(ask(), new AbortController().signal));
    expectDomainError(error, 'model_unavailable', 'MODEL_UNAVAILABLE');
    expect(fake.requests).toHaveLength(2);
  });

  it('throws model_failed after the text when the connection is cut mid-stream, without retrying', async () => {
    fake.reply(completion(['Half', ' an answer'], { then: [{ delayMs: 5 }, { hangUp: true }] }), completion(['never sent']));
    const { events, error } = await collect(model().stream(ask(), new AbortController().signal));
    expect(texts(events)).toEqual(['Half', ' an answer']);
    expect(events.some((event) => event.type === 'end')).toBe(false);
    const domainError = expectDomainError(error, 'model_failed', 'MODEL_FAILED');
    expect(domainError.message).toMatch(/part way/);
    expect(fake.requests).toHaveLength(1);
  });

  it('throws model_failed on a malformed JSON chunk', async () => {
    fake.reply(completion(['Half'], { then: [{ raw: 'data: {"choices": [\n\n' }] }));
    const { events, error } = await collect(model().stream(ask(), new AbortController().signal));
    expect(texts(events)).toEqual(['Half']);
    expectDomainError(error, 'model_failed', 'MODEL_FAILED');
  });

  it('throws model_failed on an error chunk mid-stream', async () => {
    fake.reply(completion(['Half'], { then: [{ raw: 'data: {"error": {"message": "CUDA out of memory"}}\n\n' }] }));
    const { error } = await collect(model().stream(ask(), new AbortController().signal));
    expectDomainError(error, 'model_failed', 'MODEL_FAILED');
  });

  it('throws model_failed when the stream ends without a finish reason', async () => {
    fake.reply({ kind: 'stream', steps: [{ text: 'Half' }], done: false });
    const { events, error } = await collect(model().stream(ask(), new AbortController().signal));
    expect(texts(events)).toEqual(['Half']);
    expectDomainError(error, 'model_failed', 'MODEL_FAILED');
  });

  it('closes the connection when the signal aborts, and ends quietly', async () => {
    fake.reply(completion(Array.from({ length: 200 }, (_, i) => `word${i} `), { delayMs: 10 }));
    const controller = new AbortController();
    const events: ModelEvent[] = [];
    for await (const event of model().stream(ask(), controller.signal)) {
      events.push(event);
      if (events.length === 2) controller.abort();
    }
    expect(events.length).toBeLessThanOrEqual(5);
    expect(events.every((event) => event.type === 'text')).toBe(true);
    await eventually(async () => (fake.requests[0]?.clientClosed ? true : undefined), 2000, 'the fake seeing the connection close');
  });

  it('closes the connection when the consumer stops reading', async () => {
    fake.reply(completion(Array.from({ length: 200 }, (_, i) => `word${i} `), { delayMs: 10 }));
    for await (const event of model().stream(ask(), new AbortController().signal)) {
      if (event.type === 'text') break;
    }
    await eventually(async () => (fake.requests[0]?.clientClosed ? true : undefined), 2000, 'the fake seeing the connection close');
  });

  it('reports a server where nothing listens as MODEL_UNREACHABLE', async () => {
    const { error } = await collect(model({ baseUrl: `http://127.0.0.1:${await unusedPort()}/v1` }).stream(ask(), new AbortController().signal));
    expectDomainError(error, 'model_unavailable', 'MODEL_UNREACHABLE');
  });
});
