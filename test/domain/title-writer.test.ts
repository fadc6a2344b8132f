import { describe, expect, it } from 'vitest';
import { MemoryConversationStore } from '../../src/adapters/conversation-store/memory-conversation-store.js';
import { DomainError } from '../../src/domain/errors.js';
import { TitleWriter, cleanTitle, type FirstExchange } from '../../src/domain/title-writer.js';
import { ScriptedModel, failAfter, hangAfter, replyWith } from '../support/fakes.js';
import { USER } from '../support/domain-builder.js';

const CREATED = '2026-01-01T00:00:00.000Z';
const ANSWERED = '2026-01-01T00:00:05.000Z';

async function setUp(model: ScriptedModel) {
  const conversations = new MemoryConversationStore();
  await conversations.create(USER, { conversationId: 'c1', title: 'Plan a weekend in Lyon', createdAt: CREATED, updatedAt: CREATED, fileIds: [] });
  const failures: unknown[] = [];
  const writer = new TitleWriter({ model, conversations, onFailure: (error) => failures.push(error) });
  const exchange: FirstExchange = {
    userId: USER,
    senderName: 'alice@example.com',
    conversationId: 'c1',
    provisionalTitle: 'Plan a weekend in Lyon',
    question: 'Plan a weekend in Lyon for two, we like food and old streets',
    answer: 'Day one: Vieux Lyon and its traboules...',
    answeredAt: ANSWERED,
  };
  return { conversations, writer, exchange, failures };
}

describe('TitleWriter', () => {
  it('asks the model for a short title of the first exchange and stores it', async () => {
    const model = new ScriptedModel(replyWith('Title: "Food-lover\'s ', 'weekend in Lyon".'));
    const { conversations, writer, exchange } = await setUp(model);

    await expect(writer.write(exchange)).resolves.toBe("Food-lover's weekend in Lyon");

    const stored = await conversations.get(USER, 'c1');
    expect(stored).toMatchObject({ title: "Food-lover's weekend in Lyon", updatedAt: ANSWERED });
    const [request] = model.requests;
    expect(request!.maxOutputTokens).toBeLessThanOrEqual(30);
    expect(request!.documents).toEqual([]);
    expect(request!.messages).toHaveLength(1);
    expect(request!.messages[0]!.content).toContain(exchange.question);
    expect(request!.messages[0]!.content).toContain(exchange.answer);
    expect(request!.system).toMatch(/3 to 6 words/);
  });

  it('sends only the start of a very long question and answer', async () => {
    const model = new ScriptedModel(replyWith('Long text'));
    const { writer, exchange } = await setUp(model);
    await writer.write({ ...exchange, question: 'q'.repeat(50_000), answer: 'a'.repeat(50_000) });
    expect(model.requests[0]!.messages[0]!.content.length).toBeLessThan(3_200);
  });

  it('never overwrites a title the user changed while the answer streamed', async () => {
    const model = new ScriptedModel(replyWith('Weekend in Lyon'));
    const { conversations, writer, exchange } = await setUp(model);
    await conversations.rename(USER, 'c1', 'My trip', CREATED);

    await expect(writer.write(exchange)).resolves.toBeUndefined();
    expect((await conversations.get(USER, 'c1'))?.title).toBe('My trip');
  });

  it('leaves a deleted conversation deleted', async () => {
    const { conversations, writer, exchange } = await setUp(new ScriptedModel(replyWith('Weekend in Lyon')));
    await conversations.delete(USER, 'c1');
    await expect(writer.write(exchange)).resolves.toBeUndefined();
    expect(await conversations.get(USER, 'c1')).toBeUndefined();
  });

  it('keeps the first-line title when the model fails, and reports why', async () => {
    const error = new DomainError('throttled', 'MODEL_THROTTLED', 'Busy.');
    const { conversations, writer, exchange, failures } = await setUp(new ScriptedModel(failAfter(error, 'Week')));

    await expect(writer.write(exchange)).resolves.toBeUndefined();
    expect((await conversations.get(USER, 'c1'))?.title).toBe('Plan a weekend in Lyon');
    expect(failures).toEqual([error]);
  });

  it('gives up after its own time limit, whatever the request does, and says so', async () => {
    const model = new ScriptedModel(hangAfter('Weekend'));
    const conversations = new MemoryConversationStore();
    await conversations.create(USER, { conversationId: 'c1', title: 'Plan a weekend in Lyon', createdAt: CREATED, updatedAt: CREATED, fileIds: [] });
    const failures: unknown[] = [];
    const writer = new TitleWriter({ model, conversations, onFailure: (error) => failures.push(error), timeoutMs: 20 });
    const { exchange } = await setUp(model);

    await expect(writer.write(exchange)).resolves.toBeUndefined();
    expect((await conversations.get(USER, 'c1'))?.title).toBe('Plan a weekend in Lyon');
    expect(failures).toHaveLength(1);
    expect(String(failures[0])).toMatch(/did not answer in time/);
  });

  it('keeps the first-line title when the reply has no words', async () => {
    const { conversations, writer, exchange } = await setUp(new ScriptedModel(replyWith('  **  ', '""')));
    await expect(writer.write(exchange)).resolves.toBeUndefined();
    expect((await conversations.get(USER, 'c1'))?.title).toBe('Plan a weekend in Lyon');
  });
});

describe('cleanTitle', () => {
  it.each([
    ['Weekend in Lyon', 'Weekend in Lyon'],
    ['"Weekend in Lyon"', 'Weekend in Lyon'],
    ['“Week-end à Lyon”', 'Week-end à Lyon'],
    ['**Title:** Weekend in Lyon.', 'Weekend in Lyon'],
    ['Titre : Week-end gourmand à Lyon !', 'Week-end gourmand à Lyon'],
    ['# Weekend in Lyon\n\nThis title captures...', 'Weekend in Lyon'],
    ['Why is the sky blue?', 'Why is the sky blue'],
    ["'Rust borrow checker basics'", 'Rust borrow checker basics'],
    ['A very long title that goes on and on and on', 'A very long title that goes'],
  ])('%j becomes %j', (reply, title) => {
    expect(cleanTitle(reply)).toBe(title);
  });

  it.each(['', '   ', '""', '**', 'Title:'])('%j gives no title', (reply) => {
    expect(cleanTitle(reply)).toBeUndefined();
  });
});
