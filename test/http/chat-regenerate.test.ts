import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptedModel, replyWith } from '../support/fakes.js';
import { base64, expectError, pluck, startTestServer, type Json, type TestServer } from '../support/http-client.js';

/** `POST /chat` with `regenerate`: a new answer in place of the last one, the question never posted again. */
describe('POST /chat: Regenerate', () => {
  const model = new ScriptedModel();
  let app: TestServer;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    app = await startTestServer({ overrides: { model } });
    [alice, bob] = await Promise.all([app.signIn('regen-alice'), app.signIn('regen-bob')]);
  });
  afterAll(() => app.close());

  const messagesOf = async (conversationId: string, token = alice): Promise<Json[]> =>
    (await app.api(`/conversations/${conversationId}`, { token })).json.messages as Json[];

  /** A conversation of one question and its answer. */
  async function exchange(question: string) {
    model.play(replyWith('First answer'));
    const res = await app.api('/chat', { method: 'POST', token: alice, body: { message: question } });
    expect(res.status).toBe(200);
    return { conversationId: res.json.conversationId as string, answerId: res.json.message.id as string };
  }

  const regenerate = (conversationId: string, messageId: string, options: { token?: string; headers?: Record<string, string> } = {}) =>
    app.api('/chat', { method: 'POST', token: options.token ?? alice, body: { conversationId, regenerate: { messageId } }, ...(options.headers && { headers: options.headers }) });

  it('streams a new answer to the same question, stores no new question, and keeps the old answer as a previous version', async () => {
    const { conversationId, answerId } = await exchange('Name three rivers');
    const [question] = await messagesOf(conversationId);
    model.play(replyWith('The Rhône, ', 'the Loire, ', 'the Seine.'));
    const streamed = await app.chatStream(alice, { conversationId, regenerate: { messageId: answerId } });

    expect(streamed.status).toBe(200);
    expect(pluck(streamed.events, 'event')).toEqual(['meta', 'delta', 'delta', 'delta', 'done']);
    const meta = streamed.events[0]!.data;
    const done = streamed.events.at(-1)!.data;
    expect(meta).toMatchObject({ conversationId, userMessageId: question.id, answerMessageId: done.messageId });

    const messages = await messagesOf(conversationId);
    expect(pluck(messages, 'role')).toEqual(['user', 'assistant', 'assistant']);
    expect(messages.filter((message) => message.role === 'user')).toHaveLength(1);
    expect(messages[1]).toMatchObject({ id: answerId, content: 'First answer' });
    expect(messages[1].replaces).toBeUndefined();
    expect(messages[2]).toMatchObject({ id: done.messageId, content: 'The Rhône, the Loire, the Seine.', replaces: answerId, stopReason: 'end_turn' });

    // The model was asked the question once, without the answer being replaced.
    expect(model.requests.at(-1)?.messages).toEqual([{ role: 'user', content: 'Name three rivers' }]);
  });

  it('answers JSON too, with the new version and what it replaces', async () => {
    const { conversationId, answerId } = await exchange('Name a mountain');
    model.play(replyWith('Mont Blanc.'));
    const res = await regenerate(conversationId, answerId);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ conversationId, message: { role: 'assistant', content: 'Mont Blanc.', replaces: answerId } });
    expect(await messagesOf(conversationId)).toHaveLength(3);
  });

  it('refuses any answer but the latest with 409 NOT_LATEST_ANSWER', async () => {
    const { conversationId, answerId } = await exchange('First question');
    await app.api('/chat', { method: 'POST', token: alice, body: { conversationId, message: 'Second question' } });
    const calls = model.requests.length;
    expectError(await regenerate(conversationId, answerId), 409, 'NOT_LATEST_ANSWER');
    expectError(await app.chatStream(alice, { conversationId, regenerate: { messageId: answerId } }), 409, 'NOT_LATEST_ANSWER');
    // A previous version of the latest answer (a tab that has not seen the new one) names that answer:
    // its newest version is replaced, and the chain stays one line.
    const [, , , latest] = await messagesOf(conversationId);
    await regenerate(conversationId, latest.id as string);
    const newest = (await messagesOf(conversationId)).at(-1)!;
    await regenerate(conversationId, latest.id as string);
    expect((await messagesOf(conversationId)).at(-1)).toMatchObject({ replaces: newest.id });
    expect(model.requests.length).toBe(calls + 2);
  });

  it("answers 404 for an unknown answer and for another user's conversation, and stores nothing", async () => {
    const { conversationId, answerId } = await exchange('Private question');
    expectError(await regenerate(conversationId, 'no-such-answer'), 404, 'MESSAGE_NOT_FOUND');
    expectError(await regenerate(conversationId, answerId, { token: bob }), 404, 'CONVERSATION_NOT_FOUND');
    expectError(await app.chatStream(bob, { conversationId, regenerate: { messageId: answerId } }), 404, 'CONVERSATION_NOT_FOUND');
    expect(await messagesOf(conversationId)).toHaveLength(2);
  });

  it('refuses a body with both a message and regenerate, or neither, with a code that says so', async () => {
    const { conversationId, answerId } = await exchange('Anything');
    expectError(await app.api('/chat', { method: 'POST', token: alice, body: { conversationId, message: 'Hi', regenerate: { messageId: answerId } } }), 400, 'MESSAGE_AND_REGENERATE');
    expectError(await app.api('/chat', { method: 'POST', token: alice, body: { conversationId, fileIds: ['f1'], regenerate: { messageId: answerId } } }), 400, 'MESSAGE_AND_REGENERATE');
    expectError(await app.api('/chat', { method: 'POST', token: alice, body: { conversationId } }), 400, 'MISSING_MESSAGE');
    expectError(await app.api('/chat', { method: 'POST', token: alice, body: { regenerate: { messageId: answerId } } }), 400, 'MISSING_CONVERSATION_ID');
    expectError(await app.api('/chat', { method: 'POST', token: alice, body: { conversationId, regenerate: { messageId: 'not an id' } } }), 400, 'VALIDATION_FAILED');
    expectError(await app.api('/chat', { method: 'POST', token: alice, body: { conversationId, regenerate: answerId } }), 400, 'VALIDATION_FAILED');
    const messages = await app.api('/chat', { method: 'POST', token: alice, body: { conversationId } });
    expect(messages.json.error.message).toMatch(/message/);
  });

  it('replays a retry with the same idempotency key: one new answer, one model call', async () => {
    const { conversationId, answerId } = await exchange('Retry me');
    model.play(replyWith('Only once'));
    const key = { 'Idempotency-Key': 'regen-http-1' };
    const first = await app.chatStream(alice, { conversationId, regenerate: { messageId: answerId } }, { headers: key });
    const calls = model.requests.length;
    const retry = await app.chatStream(alice, { conversationId, regenerate: { messageId: answerId } }, { headers: key });
    expect(retry.status).toBe(200);
    expect(retry.events[0]!.data).toEqual(first.events[0]!.data);
    expect(retry.events.at(-1)!.data.messageId).toBe(first.events.at(-1)!.data.messageId);
    const json = await regenerate(conversationId, answerId, { headers: key });
    expect(json.headers.get('idempotent-replayed')).toBe('true');
    expect(json.json.message).toMatchObject({ content: 'Only once', replaces: answerId });
    expect(model.requests.length).toBe(calls);
    expect(await messagesOf(conversationId)).toHaveLength(3);
    // The same key for a new message is another request.
    expectError(await app.api('/chat', { method: 'POST', token: alice, headers: key, body: { conversationId, message: 'Retry me' } }), 422, 'IDEMPOTENCY_KEY_REUSED');
  });
});

describe('POST /chat with only files', () => {
  let app: TestServer;
  let token: string;

  beforeAll(async () => {
    app = await startTestServer();
    token = await app.signIn('files-only');
  });
  afterAll(() => app.close());

  it('sends attached files without words, and the offline model names them', async () => {
    const upload = await app.api('/files', { method: 'POST', token, body: { fileName: 'minutes.md', contentType: 'text/markdown', data: base64('# Minutes\nShip on Friday.') } });
    expect(upload.status).toBe(201);
    const streamed = await app.chatStream(token, { message: '', fileIds: [upload.json.fileId] });
    expect(streamed.status).toBe(200);
    expect(pluck(streamed.events, 'event').at(-1)).toBe('done');
    const meta = streamed.events[0]!.data;
    expect(meta.title).toBe('minutes.md');
    const answer = streamed.events.filter((event) => event.event === 'delta').map((event) => event.data.text as string).join('');
    expect(answer).toContain('minutes.md');

    const stored = await app.api(`/conversations/${meta.conversationId}`, { token });
    expect(stored.json.messages[0]).toMatchObject({ role: 'user', content: '', fileIds: [upload.json.fileId] });
  });

  it('still refuses an empty message without files', async () => {
    expectError(await app.api('/chat', { method: 'POST', token, body: { message: '' } }), 400, 'EMPTY_MESSAGE');
    expectError(await app.api('/chat', { method: 'POST', token, body: { message: ' ', fileIds: [] } }), 400, 'EMPTY_MESSAGE');
  });
});
