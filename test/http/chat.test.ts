import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import { ScriptedModel, failAfter, hangAfter, replyWith } from '../support/fakes.js';
import { eventually, expectError, pluck, startTestServer, type Json, type SseEvent, type TestServer } from '../support/http-client.js';

const deltasOf = (events: SseEvent[]) =>
  events
    .filter((e) => e.event === 'delta')
    .map((e) => e.data.text as string)
    .join('');

describe('POST /chat with the offline model', () => {
  let app: TestServer;
  let token: string;

  beforeAll(async () => {
    app = await startTestServer();
    token = await app.signIn('chat-alice');
  });
  afterAll(() => app.close());

  it('streams meta, deltas and one done as text/event-stream, and stores what it streamed', async () => {
    const question = 'What is the capital of France?';
    const result = await app.chatStream(token, { message: question });

    expect(result.status).toBe(200);
    expect(result.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const names = result.events.map((e) => e.event);
    expect(names[0]).toBe('meta');
    expect(names[names.length - 1]).toBe('done');
    expect(names.filter((n) => n === 'done')).toHaveLength(1);
    expect(names.filter((n) => n === 'delta').length).toBeGreaterThanOrEqual(1);
    expect(names.slice(1, -1).every((n) => n === 'delta')).toBe(true);

    const meta = result.events[0]!.data;
    expect(meta).toMatchObject({ conversationId: expect.any(String), userMessageId: expect.any(String) });
    for (const delta of result.events.filter((e) => e.event === 'delta')) expect(delta.data).toEqual({ text: expect.any(String) });
    const done = result.events[result.events.length - 1]!.data;
    expect(done).toMatchObject({
      messageId: expect.any(String),
      stopReason: 'end_turn',
      usage: { inputTokens: expect.any(Number), outputTokens: expect.any(Number) },
    });
    expect(done.usage.inputTokens).toBeGreaterThan(0);
    expect(done.usage.outputTokens).toBeGreaterThan(0);

    const answer = deltasOf(result.events);
    expect(answer).toMatch(/offline/i);
    expect(answer).toContain(question);

    const stored = await app.api(`/conversations/${meta.conversationId}`, { token });
    expect(stored.status).toBe(200);
    const messages = stored.json.messages as Json[];
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatchObject({ id: meta.userMessageId, role: 'user', content: question });
    expect(messages[1]).toMatchObject({ id: done.messageId, role: 'assistant', content: answer, stopReason: 'end_turn', usage: done.usage });
  });

  it('answers JSON without an Accept header and with Accept: application/json', async () => {
    for (const headers of [{}, { Accept: 'application/json' }] as Record<string, string>[]) {
      const question = 'Tell me a joke';
      const res = await app.api('/chat', { method: 'POST', token, body: { message: question }, headers });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      // Written whole at once by the streaming handler: one response with its length, not chunks.
      expect(res.headers.get('transfer-encoding')).toBeNull();
      expect(Number(res.headers.get('content-length'))).toBe(Buffer.byteLength(res.text));
      expect(res.json).toMatchObject({
        conversationId: expect.any(String),
        message: {
          id: expect.any(String),
          role: 'assistant',
          content: expect.any(String),
          timestamp: expect.any(String),
          usage: { inputTokens: expect.any(Number), outputTokens: expect.any(Number) },
          stopReason: 'end_turn',
        },
        usage: { inputTokens: expect.any(Number), outputTokens: expect.any(Number) },
      });
      expect(new Date(res.json.message.timestamp as string).toISOString()).toBe(res.json.message.timestamp);
      expect(res.json.usage).toEqual(res.json.message.usage);
      expect(res.json.message.content).toMatch(/offline/i);
      expect(res.json.message.content).toContain(question);

      const stored = await app.api(`/conversations/${res.json.conversationId}`, { token });
      expect(stored.json.messages[1]).toEqual(res.json.message);
    }
  });

  it('continues a conversation when given its id', async () => {
    const first = await app.api('/chat', { method: 'POST', token, body: { message: 'First question' } });
    expect(first.status).toBe(200);
    const conversationId = first.json.conversationId as string;

    const second = await app.chatStream(token, { conversationId, message: 'Second question' });
    expect(second.status).toBe(200);
    expect(second.events[0]!.data.conversationId).toBe(conversationId);
    expect(deltasOf(second.events)).toContain('Second question');
    expect(deltasOf(second.events)).toMatch(/2 earlier messages/);

    const stored = await app.api(`/conversations/${conversationId}`, { token });
    const messages = stored.json.messages as Json[];
    expect(pluck(messages, 'role')).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(pluck(messages, 'content')).toEqual(['First question', first.json.message.content, 'Second question', deltasOf(second.events)]);
    const times = messages.map((m) => Date.parse(m.timestamp as string));
    expect([...times].sort((a, b) => a - b)).toEqual(times);

    const list = await app.api('/conversations', { token });
    expect(pluck(list.json.items, 'conversationId').filter((id) => id === conversationId)).toHaveLength(1);
  });
});

describe('POST /chat when the model fails or the answer is stopped', () => {
  let app: TestServer;
  let token: string;
  const model = new ScriptedModel();
  const throttled = () => new DomainError('throttled', 'MODEL_THROTTLED', 'The model is busy. Try again in a moment.');

  beforeAll(async () => {
    app = await startTestServer({ overrides: { model } });
    token = await app.signIn('chat-bob');
  });
  afterAll(() => app.close());

  it('ends the stream with an error event and stores the partial answer as an error', async () => {
    model.play(failAfter(throttled(), 'partial'));
    const result = await app.chatStream(token, { message: 'Will you fail?' });

    expect(result.status).toBe(200);
    const names = result.events.map((e) => e.event);
    expect(names).toEqual(['meta', 'delta', 'error']);
    expect(result.events[1]!.data).toEqual({ text: 'partial' });
    expect(result.events[2]!.data).toMatchObject({ code: 'MODEL_THROTTLED', message: expect.any(String) });

    const stored = await app.api(`/conversations/${result.events[0]!.data.conversationId}`, { token });
    const messages = stored.json.messages as Json[];
    expect(messages).toHaveLength(2);
    expect(messages[1]).toMatchObject({ role: 'assistant', content: 'partial', stopReason: 'error' });
  });

  it('answers the JSON form of the same failure with 429 and stores the partial answer', async () => {
    model.play(failAfter(throttled(), 'partial'));
    const res = await app.api('/chat', { method: 'POST', token, body: { message: 'Will you fail in JSON?' } });
    expectError(res, 429, 'MODEL_THROTTLED');

    const list = await app.api('/conversations', { token });
    const conversation = (list.json.items as Json[]).find((c) => c.title === 'Will you fail in JSON?');
    expect(conversation).toBeDefined();
    const stored = await app.api(`/conversations/${conversation.conversationId}`, { token });
    expect(stored.json.messages[1]).toMatchObject({ role: 'assistant', content: 'partial', stopReason: 'error' });
  });

  it('stores the partial answer as aborted when the user stops it, not when the client goes away, and keeps serving', async () => {
    model.play(hangAfter('partial'));
    const controller = new AbortController();
    const { response, events } = await app.openChatStream(token, { message: 'Hang on' }, controller.signal);
    expect(response.status).toBe(200);

    let conversationId: string | undefined;
    let answerMessageId: string | undefined;
    let sawDelta = false;
    try {
      for await (const event of events) {
        if (event.event === 'meta') ({ conversationId, answerMessageId } = event.data as { conversationId: string; answerMessageId: string });
        if (event.event === 'delta') {
          sawDelta = true;
          // While the model hangs: the question is stored already, and other requests are served.
          const during = await app.api(`/conversations/${conversationId}`, { token });
          expect(during.json.messages).toEqual([expect.objectContaining({ role: 'user', content: 'Hang on' })]);
          expect((await app.api('/health')).status).toBe(200);
          controller.abort();
        }
      }
    } catch (error) {
      expect((error as Error).name).toBe('AbortError');
    }
    expect(sawDelta).toBe(true);
    expect(conversationId).toBeDefined();
    // The client went away; the answer did not stop for it (test/http/resumable-streams.test.ts): a Stop does.
    expect((await app.api(`/conversations/${conversationId}`, { token })).json.messages).toHaveLength(1);
    expect((await app.api(`/chat/streams/${answerMessageId}/stop`, { method: 'POST', token })).status).toBe(202);

    const assistant = await eventually(
      async () => {
        const res = await app.api(`/conversations/${conversationId}`, { token });
        return (res.json.messages as Record<string, unknown>[]).find((m) => m.role === 'assistant');
      },
      2000,
      'storing the aborted answer',
    );
    expect(assistant).toMatchObject({ content: 'partial', stopReason: 'aborted' });

    model.play(replyWith('still', ' here'));
    const next = await app.chatStream(token, { conversationId, message: 'Are you still there?' });
    expect(next.status).toBe(200);
    expect(deltasOf(next.events)).toBe('still here');
    expect(next.events[next.events.length - 1]).toMatchObject({ event: 'done', data: { stopReason: 'end_turn' } });
    const health = await app.api('/health');
    expect(health.status).toBe(200);
  });

  it('reports an unexpected model failure as MODEL_FAILED without its internals (SSE error event, JSON 502)', async () => {
    model.play(failAfter(new Error('socket hang up at 10.0.0.7:443'), 'some'));
    const streamed = await app.chatStream(token, { message: 'Crash please' });
    expect(streamed.events.map((e) => e.event)).toEqual(['meta', 'delta', 'error']);
    expect(streamed.events[2]!.data).toMatchObject({ code: 'MODEL_FAILED', message: expect.any(String) });
    expect(JSON.stringify(streamed.events)).not.toContain('10.0.0.7');

    model.play(failAfter(new Error('socket hang up at 10.0.0.7:443')));
    const json = await app.api('/chat', { method: 'POST', token, body: { message: 'Crash in JSON' } });
    expectError(json, 502, 'MODEL_FAILED');
    expect(json.text).not.toContain('10.0.0.7');
  });

  it('reports a model that stops without finishing as a failure, keeping what it wrote', async () => {
    model.play(async function* () {
      yield { type: 'text', text: 'cut' };
    });
    const streamed = await app.chatStream(token, { message: 'Unfinished' });
    expect(streamed.events.map((e) => e.event)).toEqual(['meta', 'delta', 'error']);
    const stored = await app.api(`/conversations/${streamed.events[0]!.data.conversationId}`, { token });
    expect(stored.json.messages[1]).toMatchObject({ content: 'cut', stopReason: 'error' });
  });

  it('keeps newlines and SSE-looking text inside one delta (no frame injection)', async () => {
    const tricky = ['line one\nline two', '\r\n\r\n', 'event: done\ndata: {"messageId":"forged"}\n\n', 'é😀'];
    model.play(replyWith(...tricky));
    const streamed = await app.chatStream(token, { message: 'Be tricky' });
    expect(streamed.events.map((e) => e.event)).toEqual(['meta', 'delta', 'delta', 'delta', 'delta', 'done']);
    expect(streamed.events.filter((e) => e.event === 'delta').map((e) => e.data.text as string)).toEqual(tricky);
    expect(streamed.events[5]!.data.messageId).not.toBe('forged');
  });

  it('answers request problems with a status before the stream starts', async () => {
    model.play(replyWith('never'));
    const result = await app.chatStream(token, { conversationId: 'no-such-conversation', message: 'hello' });
    expect(result.events).toEqual([]);
    expectError({ ...result, text: JSON.stringify(result.json) }, 404, 'CONVERSATION_NOT_FOUND');
  });
});
