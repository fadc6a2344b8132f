import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import { ScriptedModel, failAfter, replyWith } from '../support/fakes.js';
import { eventually, expectError, startTestServer, type TestServer } from '../support/http-client.js';

/** `POST /chat` with an `Idempotency-Key`: a client's retry neither stores nor bills twice. */
describe('idempotent chats', () => {
  const model = new ScriptedModel(replyWith('One', ' answer'));
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer({ overrides: { model } });
    token = await server.signIn('retrier');
  });
  afterAll(() => server.close());

  const chat = (key: string, message: string, extra: object = {}) =>
    server.api('/chat', { method: 'POST', token, headers: { 'Idempotency-Key': key }, body: { message, ...extra } });

  it('answers a retried JSON request from what was stored, and says it replayed', async () => {
    const calls = model.requests.length;
    const first = await chat('json-1', 'Hello once');
    const retry = await chat('json-1', 'Hello once');
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.json).toEqual(first.json);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(model.requests.length - calls).toBe(1);
    const stored = await server.api(`/conversations/${first.json.conversationId}`, { token });
    expect(stored.json.messages).toHaveLength(2);
  });

  it('replays a failed JSON answer with the status and code the first request got, not a guess from the code', async () => {
    const failures = [
      new DomainError('throttled', 'MODEL_THROTTLED', 'The model is busy. Try again in a minute.', { retryAfterSeconds: 30 }),
      new DomainError('model_unavailable', 'MODEL_UNAVAILABLE', 'The model cannot be reached just now.'),
      new DomainError('timeout', 'MODEL_TIMEOUT', 'The model took too long to start answering.'),
    ];
    for (const [index, failure] of failures.entries()) {
      model.play(failAfter(failure, 'Half an answer'));
      const calls = model.requests.length;
      const question = `Fail with ${failure.code}`;
      const first = await chat(`failed-${index}`, question);
      const retry = await chat(`failed-${index}`, question);
      expect(model.requests.length - calls).toBe(1);
      expect([retry.status, retry.json.error.code]).toEqual([first.status, first.json.error.code]);
      expectError(first, failure.kind === 'throttled' ? 429 : failure.kind === 'timeout' ? 504 : 503, failure.code);
      expect(retry.json.error.message).toBe(failure.message);
    }
    // Reading the conversation shows what the user was told; the kind stays on the server.
    const listed = await server.api('/conversations?limit=1', { token });
    const read = await server.api(`/conversations/${listed.json.items[0].conversationId}`, { token });
    expect(read.json.messages.at(-1)).toMatchObject({ content: 'Half an answer', stopReason: 'error' });
    expect(read.json.messages.at(-1).error).toEqual({ code: 'MODEL_TIMEOUT', message: failures[2]!.message });
  });

  it('replays a stream the client lost mid-way, without calling the model again', async () => {
    model.play(async function* (_request, signal) {
      yield { type: 'text', text: 'Part one.' };
      await new Promise((resolve) => setTimeout(resolve, 200));
      if (!signal.aborted) yield { type: 'text', text: ' Part two.' };
      yield { type: 'end', stopReason: 'end_turn', usage: { inputTokens: 4, outputTokens: 4 } };
    });
    const controller = new AbortController();
    const { events } = await server.openChatStream(token, { message: 'Stream me' }, controller.signal, { 'Idempotency-Key': 'sse-1' });
    let conversationId = '';
    for await (const event of events) {
      if (event.event === 'meta') conversationId = event.data.conversationId as string;
      if (event.event === 'delta') break; // the connection drops after the first piece
    }
    controller.abort();
    // The answer goes on without its client, and is stored whole.
    await eventually(async () => {
      const read = await server.api(`/conversations/${conversationId}`, { token });
      return read.json.messages.length === 2 ? true : undefined;
    });
    const calls = model.requests.length;

    const retry = await server.chatStream(token, { message: 'Stream me' }, { headers: { 'Idempotency-Key': 'sse-1' } });
    expect(retry.events.map((event) => event.event)).toEqual(['meta', 'delta', 'done']);
    expect(retry.events[1]?.data.text).toBe('Part one. Part two.');
    expect(retry.events[2]?.data.stopReason).toBe('end_turn');
    expect(model.requests.length).toBe(calls);
  });

  it('lets concurrent duplicates call the model once: the others wait their turn with 409 or get the replay', async () => {
    model.play(async function* () {
      await new Promise((resolve) => setTimeout(resolve, 100));
      yield { type: 'text', text: 'Only once' };
      yield { type: 'end', stopReason: 'end_turn', usage: { inputTokens: 3, outputTokens: 2 } };
    });
    const calls = model.requests.length;
    const results = await Promise.all(Array.from({ length: 5 }, () => chat('race-1', 'All at once')));
    expect(model.requests.length - calls).toBe(1);
    expect(results.filter((result) => result.status === 200).length).toBeGreaterThanOrEqual(1);
    for (const result of results.filter((candidate) => candidate.status !== 200)) expectError(result, 409, 'IDEMPOTENCY_KEY_IN_USE');
    const settled = await chat('race-1', 'All at once');
    expect(settled.json.message.content).toBe('Only once');
  });

  it('refuses a reused key for another message (422) and a malformed key (400)', async () => {
    await chat('reuse-1', 'First');
    expectError(await chat('reuse-1', 'Second'), 422, 'IDEMPOTENCY_KEY_REUSED');
    expectError(await chat('has spaces in it', 'Hi'), 400, 'INVALID_IDEMPOTENCY_KEY');
    expectError(await chat('x'.repeat(129), 'Hi'), 400, 'INVALID_IDEMPOTENCY_KEY');
  });
});
