import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { answer, bedrockEnv, bedrockError, startFakeBedrock, type FakeBedrock } from '../support/fake-bedrock.js';
import { base64, expectError, startTestServer, type Json, type TestServer } from '../support/http-client.js';

const MAX_ATTEMPTS = 3;

/**
 * The whole path with the real Bedrock adapter and SDK: browser request, local server, chat
 * service, ConverseStream over HTTP to a local stand-in, SSE back, history stored.
 */
describe('POST /chat with MODEL_PROVIDER=bedrock (a local ConverseStream stand-in)', () => {
  let fake: FakeBedrock;
  let app: TestServer;
  let token: string;

  beforeAll(async () => {
    fake = await startFakeBedrock();
    app = await startTestServer({
      env: bedrockEnv(fake, {
        // The request is signed with these (checked below).
        AWS_ACCESS_KEY_ID: 'AKIDENDTOEND',
        AWS_SECRET_ACCESS_KEY: 'end-to-end-secret',
        MODEL_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
        MODEL_RETRY_BASE_DELAY_MS: '1',
        // One model call per answer here; titles.test.ts covers the second call that names a conversation.
        TITLE_MODEL_ID: 'none',
      }),
    });
    token = await app.signIn('bedrock-e2e');
  });
  afterAll(async () => {
    await app.close();
    await fake.close();
  });
  beforeEach(() => {
    fake.requests.length = 0;
  });

  it('streams the answer and stores it with the usage Bedrock reported, cache figures included', async () => {
    const usage = { inputTokens: 1345, outputTokens: 4, cacheReadInputTokens: 1200, cacheWriteInputTokens: 0 };
    fake.reply(answer(['Paris', ' is', ' the', ' capital.'], { usage }));
    const result = await app.chatStream(token, { message: 'What is the capital of France?' });

    expect(result.status).toBe(200);
    expect(result.events.map((event) => event.event)).toEqual(['meta', 'delta', 'delta', 'delta', 'delta', 'done']);
    const meta = result.events[0]!.data;
    const done = result.events.at(-1)!.data;
    const expectedUsage = { inputTokens: 1345, outputTokens: 4, cacheReadTokens: 1200, cacheWriteTokens: 0 };
    expect(done).toMatchObject({ stopReason: 'end_turn', usage: { inputTokens: 1345, outputTokens: 4 } });

    const stored = await app.api(`/conversations/${meta.conversationId}`, { token });
    const messages = stored.json.messages as Json[];
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatchObject({ role: 'user', content: 'What is the capital of France?' });
    expect(messages[1]).toMatchObject({ role: 'assistant', content: 'Paris is the capital.', stopReason: 'end_turn', usage: expectedUsage });

    expect(fake.requests).toHaveLength(1);
    const sent = fake.requests[0]!;
    expect(sent.modelId).toBe('eu.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(sent.headers.authorization).toContain('Credential=AKIDENDTOEND/');
    expect(sent.body.messages).toEqual([{ role: 'user', content: [{ text: 'What is the capital of France?' }] }]);
    expect(sent.body.inferenceConfig).toEqual({ maxTokens: 4000 });
  });

  it("gives the conversation's files to the model after the system prompt, with a cache point", async () => {
    fake.reply(answer(['At noon.']));
    const file = await app.api('/files', {
      method: 'POST',
      token,
      body: { fileName: 'note.txt', contentType: 'text/plain', data: base64('The meeting is at noon.') },
    });
    expect(file.status).toBe(201);
    const result = await app.chatStream(token, { message: 'When is the meeting?', fileIds: [file.json.fileId] });
    expect(result.events.at(-1)!.event).toBe('done');

    const system = fake.requests[0]!.body.system as Json[];
    expect(system).toHaveLength(3);
    expect(system[0].text).toMatch(/helpful assistant/);
    expect(system[1]).toEqual({ text: '<document name="note.txt">\nThe meeting is at noon.\n</document>' });
    expect(system[2]).toEqual({ cachePoint: { type: 'default' } });
  });

  it('ends the stream with an error event MODEL_THROTTLED when the model stays busy, and keeps the question', async () => {
    fake.reply(bedrockError.throttled());
    const result = await app.chatStream(token, { message: 'Are you there?' });

    expect(result.status).toBe(200);
    expect(result.events.map((event) => event.event)).toEqual(['meta', 'error']);
    expect(result.events[1]!.data).toMatchObject({ code: 'MODEL_THROTTLED', message: 'The model is busy right now. Try again in a moment.' });
    expect(fake.requests).toHaveLength(MAX_ATTEMPTS);

    const stored = await app.api(`/conversations/${result.events[0]!.data.conversationId}`, { token });
    const messages = stored.json.messages as Json[];
    expect(messages[0]).toMatchObject({ role: 'user', content: 'Are you there?' });
    expect(messages[1]).toMatchObject({ role: 'assistant', content: '', stopReason: 'error', error: { code: 'MODEL_THROTTLED' } });
  });

  it('answers a JSON chat with 429 MODEL_THROTTLED when the model stays busy', async () => {
    fake.reply(bedrockError.throttled());
    const response = await app.api('/chat', { method: 'POST', token, body: { message: 'Still there?' }, headers: { Accept: 'application/json' } });
    expectError(response, 429, 'MODEL_THROTTLED');
  });

  it('closes the HTTP call to Bedrock on Stop, and not when the client merely goes away', async () => {
    const words = Array.from({ length: 400 }, (_, i) => `word${i} `);
    fake.reply(answer(words, { delayMs: 5 }));
    // A client that goes away: the answer goes on to its end, the call to the model is not cut.
    const dropped = new AbortController();
    const first = await app.openChatStream(token, { message: 'A long story' }, dropped.signal);
    const meta = (await first.events.next()).value!.data;
    await first.events.next();
    dropped.abort();
    await expect.poll(async () => (await app.api(`/conversations/${meta.conversationId}`, { token })).json.messages?.[1]?.stopReason, { timeout: 15_000 }).toBe('end_turn');
    expect(fake.requests[0]!.clientClosed).toBe(false);

    // Stop: Bedrock sees its stream closed, and the part is kept.
    const second = await app.openChatStream(token, { message: 'Another long story' });
    const { answerMessageId, conversationId } = (await second.events.next()).value!.data;
    await second.events.next();
    const stopping = await app.api(`/chat/streams/${answerMessageId}/stop`, { method: 'POST', token });
    expect(stopping.status).toBe(202);
    await expect.poll(() => fake.requests[1]!.clientClosed, { timeout: 10_000 }).toBe(true);
    await expect.poll(async () => (await app.api(`/conversations/${conversationId}`, { token })).json.messages?.[1]?.stopReason, { timeout: 10_000 }).toBe('aborted');
  });

  it('answers 503 MODEL_ACCESS_DENIED naming the model when access is not enabled', async () => {
    fake.reply(bedrockError.accessDenied());
    const response = await app.api('/chat', { method: 'POST', token, body: { message: 'Hello?' }, headers: { Accept: 'application/json' } });
    expectError(response, 503, 'MODEL_ACCESS_DENIED');
    expect(response.json.error.message).toContain('eu.anthropic.claude-sonnet-4-5-20250929-v1:0 in eu-west-1');
    expect(fake.requests).toHaveLength(1);
  });
});
