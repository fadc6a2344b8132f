import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { answer, bedrockEnv, bedrockError, startFakeBedrock, type FakeBedrock } from '../support/fake-bedrock.js';
import { startTestServer, type Json, type TestServer } from '../support/http-client.js';

const CHAT_MODEL = 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0';
const TITLE_MODEL = 'eu.anthropic.claude-haiku-4-5-20251001-v1:0';

/**
 * A new conversation is named by a small model after its first answer, through the real Bedrock
 * adapter and a ConverseStream stand-in: the title arrives as a last `title` event and is stored.
 */
describe('conversation titles written by the model', () => {
  let fake: FakeBedrock;
  let app: TestServer;
  let token: string;

  beforeAll(async () => {
    fake = await startFakeBedrock();
    app = await startTestServer({
      env: bedrockEnv(fake, { MODEL_MAX_ATTEMPTS: '1' }),
    });
    token = await app.signIn('titles');
  });
  afterAll(async () => {
    await app.close();
    await fake.close();
  });
  beforeEach(() => {
    fake.requests.length = 0;
  });

  it('names a new conversation with the small model after its first answer, and counts the call', async () => {
    const before = (await app.api('/usage', { token })).json;
    fake.reply(
      answer(['Day one: Vieux Lyon', ' and its traboules.'], { usage: { inputTokens: 40, outputTokens: 8 } }),
      answer(['"Food-lover\'s weekend', ' in Lyon."'], { usage: { inputTokens: 60, outputTokens: 7 } }),
    );
    const result = await app.chatStream(token, { message: '**Plan** a weekend in Lyon for two, we like food' });

    expect(result.events.map((event) => event.event)).toEqual(['meta', 'delta', 'delta', 'done', 'title']);
    const meta = result.events[0]!.data;
    expect(meta.title).toBe('Plan a weekend in Lyon for');
    expect(result.events.at(-1)!.data).toEqual({ title: "Food-lover's weekend in Lyon" });

    expect(fake.requests.map((request) => request.modelId)).toEqual([CHAT_MODEL, TITLE_MODEL]);
    const titleRequest = fake.requests[1]!.body;
    expect(titleRequest.inferenceConfig.maxTokens).toBeLessThanOrEqual(30);
    expect(JSON.stringify(titleRequest.messages)).toContain('Plan** a weekend in Lyon');
    expect(JSON.stringify(titleRequest.messages)).toContain('Vieux Lyon and its traboules.');

    const list = await app.api('/conversations', { token });
    expect((list.json.items as Json[])[0]).toMatchObject({ conversationId: meta.conversationId, title: "Food-lover's weekend in Lyon" });
    const after = (await app.api('/usage', { token })).json;
    expect((after.inputTokens as number) - (before.inputTokens as number)).toBe(100);
    expect((after.outputTokens as number) - (before.outputTokens as number)).toBe(15);
  });

  it('still names the conversation when the client leaves right after the answer', async () => {
    fake.reply(answer(['Use a Map.']), answer(['Counting words'], { then: [{ delayMs: 300 }] }));
    const controller = new AbortController();
    const { events } = await app.openChatStream(token, { message: 'How do I count words in JS?' }, controller.signal);
    let conversationId = '';
    for await (const event of events) {
      if (event.event === 'meta') conversationId = event.data.conversationId as string;
      if (event.event === 'done') break;
    }
    controller.abort();

    await expect
      .poll(async () => (await app.api(`/conversations/${conversationId}`, { token })).json.title, { timeout: 5_000 })
      .toBe('Counting words');
  });

  it('asks for no title on a follow-up', async () => {
    fake.reply(answer(['First.']), answer(['A title']));
    const first = await app.chatStream(token, { message: 'Hello there' });
    const conversationId = first.events[0]!.data.conversationId as string;
    fake.requests.length = 0;
    fake.reply(answer(['Second.']));

    const next = await app.chatStream(token, { conversationId, message: 'And then?' });

    expect(next.events.map((event) => event.event)).toEqual(['meta', 'delta', 'done']);
    expect(fake.requests.map((request) => request.modelId)).toEqual([CHAT_MODEL]);
  });

  it('keeps the first words as the title when the small model fails, and the answer stands', async () => {
    fake.reply(answer(['Use a hash map.']), bedrockError.unavailable());
    const result = await app.chatStream(token, { message: 'How do I count words in Rust?' });

    expect(result.events.map((event) => event.event)).toEqual(['meta', 'delta', 'done']);
    const conversationId = result.events[0]!.data.conversationId as string;
    const stored = await app.api(`/conversations/${conversationId}`, { token });
    expect(stored.json).toMatchObject({ title: 'How do I count words in' });
    expect((stored.json.messages as Json[])[1]).toMatchObject({ content: 'Use a hash map.', stopReason: 'end_turn' });
  });

  it('gives the JSON answer the written title', async () => {
    fake.reply(answer(['Bonjour !']), answer(['Salutations en français']));
    const result = await app.api('/chat', { token, method: 'POST', body: { message: 'Dis bonjour' } });
    expect(result.status).toBe(200);
    expect(result.json).toMatchObject({ title: 'Salutations en français' });
  });
});
