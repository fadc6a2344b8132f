import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BedrockChatModel, createBedrockRuntimeClient, type BedrockModelOptions } from '../../src/adapters/chat-model/bedrock-chat-model.js';
import { DomainError } from '../../src/domain/errors.js';
import type { ModelEvent, ModelRequest } from '../../src/domain/ports/chat-model.js';
import { eventually } from '../support/http-client.js';
import { answer, bedrockError, breakOff, startFakeBedrock, type FakeBedrock } from '../support/fake-bedrock.js';
import { unusedPort } from '../support/ports.js';

const MODEL_ID = 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0';
const CREDENTIALS = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' };
/** Back-off pauses of a millisecond or two: the tests count calls, not time. */
const FAST_RETRY = { maxAttempts: 4, budgetMs: 10_000, baseDelayMs: 1, maxDelayMs: 2 };

let fake: FakeBedrock;
beforeAll(async () => {
  fake = await startFakeBedrock();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
  fake.reply(answer(['Hello', ' from', ' the fake.']));
});

function model(options: Partial<BedrockModelOptions> = {}, endpoint = fake.url): BedrockChatModel {
  const client = createBedrockRuntimeClient({ region: 'eu-west-1', endpoint, credentials: CREDENTIALS });
  return new BedrockChatModel(client, { modelId: MODEL_ID, region: 'eu-west-1', retry: FAST_RETRY, ...options });
}

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

describe('BedrockChatModel on a fake ConverseStream', () => {
  it('streams the text pieces, then one end event with the stop reason and the usage, cache tokens included', async () => {
    fake.reply(
      answer(['Bonjour', ', ', 'le monde.'], {
        usage: { inputTokens: 1200, outputTokens: 5, cacheReadInputTokens: 1024, cacheWriteInputTokens: 0 },
      }),
    );
    const { events, error } = await collect(model().stream(ask(), new AbortController().signal));
    expect(error).toBeUndefined();
    expect(events).toEqual([
      { type: 'text', text: 'Bonjour' },
      { type: 'text', text: ', ' },
      { type: 'text', text: 'le monde.' },
      { type: 'end', stopReason: 'end_turn', usage: { inputTokens: 1200, outputTokens: 5, cacheReadTokens: 1024, cacheWriteTokens: 0 } },
    ]);
  });

  it('leaves the cache figures out when Bedrock does not report them', async () => {
    const { events } = await collect(model().stream(ask(), new AbortController().signal));
    expect(events.at(-1)).toEqual({ type: 'end', stopReason: 'end_turn', usage: { inputTokens: 21, outputTokens: 3 } });
  });

  it.each([
    ['end_turn', 'end_turn'],
    ['max_tokens', 'max_tokens'],
    ['stop_sequence', 'stop_sequence'],
    ['content_filtered', 'content_filtered'],
    ['guardrail_intervened', 'guardrail_intervened'],
    ['tool_use', 'tool_use'],
    ['model_context_window_exceeded', 'max_tokens'],
  ])('maps the stop reason %s to %s', async (bedrockReason, ours) => {
    fake.reply(answer(['Some text'], { stopReason: bedrockReason }));
    const { events, error } = await collect(model().stream(ask(), new AbortController().signal));
    expect(error).toBeUndefined();
    expect(events.at(-1)).toMatchObject({ type: 'end', stopReason: ours });
  });

  it('sends the system prompt, then each document, then a cache point; the turns; maxTokens and temperature', async () => {
    const request = ask('What does the note say?', {
      documents: [
        { fileId: 'f1', fileName: 'note.txt', size: 23, text: 'The meeting is at noon.', truncated: false },
        { fileId: 'f2', fileName: 'odd "name".md', size: 5, text: '# Hi', truncated: false },
      ],
      messages: [
        { role: 'user', content: 'I have a note.' },
        { role: 'assistant', content: 'Go ahead.' },
        { role: 'user', content: 'What does the note say?' },
      ],
      maxOutputTokens: 1234,
    });
    const { error } = await collect(model({ temperature: 0.3 }).stream(request, new AbortController().signal));
    expect(error).toBeUndefined();
    expect(fake.requests).toHaveLength(1);
    const sent = fake.requests[0]!;
    expect(sent.modelId).toBe(MODEL_ID);
    expect(sent.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/eu-west-1\/bedrock\/aws4_request/);
    expect(sent.body).toEqual({
      system: [
        { text: 'You are a helpful assistant.' },
        { text: '<document name="note.txt">\nThe meeting is at noon.\n</document>' },
        { text: '<document name="odd &quot;name&quot;.md">\n# Hi\n</document>' },
        { cachePoint: { type: 'default' } },
      ],
      messages: [
        { role: 'user', content: [{ text: 'I have a note.' }] },
        { role: 'assistant', content: [{ text: 'Go ahead.' }] },
        { role: 'user', content: [{ text: 'What does the note say?' }] },
      ],
      inferenceConfig: { maxTokens: 1234, temperature: 0.3 },
    });
  });

  it('adds no cache point when caching is off, when there is no document, or (by default) for a model that is not Claude', async () => {
    const withDocument = ask('Hi', { documents: [{ fileId: 'f1', fileName: 'a.txt', size: 1, text: 'a', truncated: false }] });
    await collect(model({ promptCaching: false }).stream(withDocument, new AbortController().signal));
    await collect(model().stream(ask(), new AbortController().signal));
    await collect(model({ modelId: 'amazon.nova-pro-v1:0' }).stream(withDocument, new AbortController().signal));
    await collect(model({ modelId: 'amazon.nova-pro-v1:0', promptCaching: true }).stream(withDocument, new AbortController().signal));
    const hasCachePoint = fake.requests.map((request) => (request.body.system as object[]).some((block) => 'cachePoint' in block));
    expect(hasCachePoint).toEqual([false, false, false, true]);
  });

  it('guards the alternation of turns: same-role turns merged, empty ones and a leading answer dropped', async () => {
    const request = ask('', {
      messages: [
        { role: 'assistant', content: 'Welcome!' },
        { role: 'user', content: 'First.' },
        { role: 'user', content: 'Second.' },
        { role: 'assistant', content: '   ' },
        { role: 'user', content: 'Third.' },
      ],
    });
    await collect(model().stream(request, new AbortController().signal));
    expect(fake.requests[0]!.body.messages).toEqual([{ role: 'user', content: [{ text: 'First.\n\nSecond.\n\nThird.' }] }]);
    expect(fake.requests[0]!.body.inferenceConfig).toEqual({ maxTokens: 300 });
  });

  it('retries throttling before the first token, then streams the answer', async () => {
    fake.reply(bedrockError.throttled(), bedrockError.throttled(), answer(['After', ' waiting.']));
    const { events, error } = await collect(model().stream(ask(), new AbortController().signal));
    expect(error).toBeUndefined();
    expect(texts(events)).toEqual(['After', ' waiting.']);
    expect(fake.requests).toHaveLength(3);
  });

  it('retries an unavailable service and a throttlingException that arrives before any text', async () => {
    fake.reply(bedrockError.unavailable(), breakOff([], 'throttlingException', 'Too many tokens.'), answer(['Fine.']));
    const { events, error } = await collect(model().stream(ask(), new AbortController().signal));
    expect(error).toBeUndefined();
    expect(texts(events)).toEqual(['Fine.']);
    expect(fake.requests).toHaveLength(3);
  });

  it('gives up after the maximum number of attempts: a throttled DomainError, as many calls as attempts', async () => {
    fake.reply(bedrockError.throttled());
    const { events, error } = await collect(model({ retry: { ...FAST_RETRY, maxAttempts: 3 } }).stream(ask(), new AbortController().signal));
    expect(events).toEqual([]);
    const domainError = expectDomainError(error, 'throttled', 'MODEL_THROTTLED');
    expect(domainError.message).toBe('The model is busy right now. Try again in a moment.');
    expect(fake.requests).toHaveLength(3);
  });

  it('gives up when the next pause would overrun the time budget, however many attempts are left', async () => {
    fake.reply(bedrockError.throttled());
    // Every pause is its full cap (random = 1): 20, 40, 80 ms... against a 50 ms budget.
    const throttled = model({ retry: { maxAttempts: 1000, budgetMs: 50, baseDelayMs: 20, maxDelayMs: 10_000 }, random: () => 1 });
    const { error } = await collect(throttled.stream(ask(), new AbortController().signal));
    expectDomainError(error, 'throttled', 'MODEL_THROTTLED');
    expect(fake.requests.length).toBeGreaterThanOrEqual(1);
    expect(fake.requests.length).toBeLessThanOrEqual(3);
  });

  it('makes exactly one call when retries are off: the SDK does not retry on its own', async () => {
    fake.reply(bedrockError.throttled());
    const { error } = await collect(model({ retry: { ...FAST_RETRY, maxAttempts: 1 } }).stream(ask(), new AbortController().signal));
    expectDomainError(error, 'throttled', 'MODEL_THROTTLED');
    expect(fake.requests).toHaveLength(1);
  });

  it('throws a DomainError after the text events when modelStreamErrorException arrives mid-stream, without retrying', async () => {
    fake.reply(breakOff(['Part', ' of it']), answer(['never sent']));
    const { events, error } = await collect(model().stream(ask(), new AbortController().signal));
    expect(events).toEqual([
      { type: 'text', text: 'Part' },
      { type: 'text', text: ' of it' },
    ]);
    const domainError = expectDomainError(error, 'model_failed', 'MODEL_FAILED');
    expect(domainError.message).toMatch(/part way/);
    expect(fake.requests).toHaveLength(1);
  });

  it('throws a throttled DomainError when throttlingException arrives after text', async () => {
    fake.reply(breakOff(['Part'], 'throttlingException', 'Too many tokens.'));
    const { events, error } = await collect(model().stream(ask(), new AbortController().signal));
    expect(texts(events)).toEqual(['Part']);
    const domainError = expectDomainError(error, 'throttled', 'MODEL_THROTTLED');
    expect(domainError.message).toMatch(/part way/);
    expect(fake.requests).toHaveLength(1);
  });

  it('throws model_failed when the connection is cut mid-stream', async () => {
    fake.reply({ kind: 'stream', steps: [{ text: 'Half' }, { delayMs: 5 }, { hangUp: true }] });
    const { events, error } = await collect(model().stream(ask(), new AbortController().signal));
    expect(texts(events)).toEqual(['Half']);
    expectDomainError(error, 'model_failed', 'MODEL_FAILED');
  });

  it('throws model_failed when the stream ends without messageStop', async () => {
    fake.reply({ kind: 'stream', steps: [{ text: 'Half' }] });
    const { events, error } = await collect(model().stream(ask(), new AbortController().signal));
    expect(texts(events)).toEqual(['Half']);
    expectDomainError(error, 'model_failed', 'MODEL_FAILED');
  });

  it('does not retry a validation error: one call, an invalid DomainError quoting Bedrock', async () => {
    fake.reply(bedrockError.validation('messages: roles must alternate.'));
    const { error } = await collect(model().stream(ask(), new AbortController().signal));
    const domainError = expectDomainError(error, 'invalid', 'MODEL_REQUEST_INVALID');
    expect(domainError.message).toBe('The model refused the request: messages: roles must alternate.');
    expect(fake.requests).toHaveLength(1);
  });

  it('does not retry access denied, and says which model to enable in which region', async () => {
    fake.reply(bedrockError.accessDenied());
    const { error } = await collect(model().stream(ask(), new AbortController().signal));
    const domainError = expectDomainError(error, 'model_unavailable', 'MODEL_ACCESS_DENIED');
    expect(domainError.message).toContain(`Model access is not enabled for ${MODEL_ID} in eu-west-1: enable it in the Bedrock console`);
    expect(fake.requests).toHaveLength(1);
  });

  it('reports an unknown model as MODEL_NOT_FOUND, without retrying', async () => {
    fake.reply(bedrockError.notFound());
    const { error } = await collect(model().stream(ask(), new AbortController().signal));
    const domainError = expectDomainError(error, 'model_unavailable', 'MODEL_NOT_FOUND');
    expect(domainError.message).toContain(MODEL_ID);
    expect(fake.requests).toHaveLength(1);
  });

  it('reports an endpoint where nothing listens as MODEL_UNREACHABLE, at once', async () => {
    const { error } = await collect(model({}, `http://127.0.0.1:${await unusedPort()}`).stream(ask(), new AbortController().signal));
    expectDomainError(error, 'model_unavailable', 'MODEL_UNREACHABLE');
  });

  it('closes the HTTP stream when the signal aborts, and ends quietly', async () => {
    fake.reply(answer(Array.from({ length: 200 }, (_, i) => `word${i} `), { delayMs: 10 }));
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

  it('closes the HTTP stream when the consumer stops reading', async () => {
    fake.reply(answer(Array.from({ length: 200 }, (_, i) => `word${i} `), { delayMs: 10 }));
    for await (const event of model().stream(ask(), new AbortController().signal)) {
      if (event.type === 'text') break;
    }
    await eventually(async () => (fake.requests[0]?.clientClosed ? true : undefined), 2000, 'the fake seeing the connection close');
  });

  it('makes no call when the signal has already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const { events, error } = await collect(model().stream(ask(), controller.signal));
    expect({ events, error }).toEqual({ events: [], error: undefined });
    expect(fake.requests).toHaveLength(0);
  });

  it('stops waiting between retries when the signal aborts', async () => {
    fake.reply(bedrockError.throttled());
    const controller = new AbortController();
    const slow = model({ retry: { maxAttempts: 5, budgetMs: 60_000, baseDelayMs: 30_000, maxDelayMs: 30_000 }, random: () => 1 });
    const pending = collect(slow.stream(ask(), controller.signal));
    await eventually(async () => (fake.requests.length > 0 ? true : undefined), 2000, 'the first call');
    controller.abort();
    expect(await pending).toEqual({ events: [] });
    expect(fake.requests).toHaveLength(1);
  });
});
