import { describe, expect, it } from 'vitest';
import { LruTextCache } from '../../src/adapters/text-cache/lru-text-cache.js';
import { MemoryUsageLedger } from '../../src/adapters/usage-ledger/memory-usage-ledger.js';
import { ChatService } from '../../src/domain/chat-service.js';
import type { ChatRequest } from '../../src/domain/chat-types.js';
import { UsageService } from '../../src/domain/usage-service.js';
import { SYSTEM_PROMPT, USER, collect, liveSignal, makeDomain, metaOf, ofType, uploadText } from '../support/domain-builder.js';
import { trackStoreRounds } from '../support/store-rounds.js';

const PRICES = { inputPerMTok: 3, outputPerMTok: 15, cacheReadPerMTok: 0.3, cacheWritePerMTok: 3.75 };

/**
 * The domain as production composes it: budgets and rates on, files' texts kept in memory, every
 * store call tracked. `process()` is another server process (or Lambda instance) over the same
 * stores: it has seen no conversation yet.
 */
function makeTrackedDomain() {
  const domain = makeDomain({ texts: new LruTextCache(1024 * 1024) });
  const ledger = new MemoryUsageLedger(domain.clock);
  const usage = new UsageService({ ledger, rates: ledger, clock: domain.clock }, { prices: PRICES, defaultLimitUsd: 10, messagesPerMinute: 100 });
  const process = () =>
    new ChatService(
      { conversations: domain.conversations, claims: domain.claims, files: domain.files, model: domain.model, clock: domain.clock, ids: domain.ids, usage },
      { systemPrompt: SYSTEM_PROMPT, maxMessageChars: 1000, maxFilesPerMessage: 3 },
    );
  const rounds = trackStoreRounds({ conversations: domain.conversations, claims: domain.claims, catalog: domain.catalog, blobs: domain.blobs, ledger }, domain.model);
  const send = (chat: ChatService, input: ChatRequest) => {
    rounds.reset();
    return collect(chat.send(USER, input, liveSignal()));
  };
  return { ...domain, process, rounds, send };
}

describe('ChatService: store round trips before the model is asked', () => {
  it('asks the model after one round for a new conversation: claim, budget and rate sent together', async () => {
    const d = makeTrackedDomain();
    await d.send(d.process(), { message: 'When do we leave?', idempotencyKey: 'k-1' });
    expect(d.rounds.roundsBeforeModel()).toBe(1);
    expect(d.rounds.callsBeforeModel()).toEqual(['claims.claim', 'ledger.getStanding', 'ledger.increment']);
  });

  it('reads a new file’s text after its record: a second round, the text then kept for the next messages', async () => {
    const d = makeTrackedDomain();
    const notes = await uploadText(d, USER, 'notes.txt', 'Leave on Monday.');
    await d.send(d.process(), { message: 'When do we leave?', fileIds: [notes.fileId], idempotencyKey: 'k-1' });
    expect(d.rounds.roundsBeforeModel()).toBe(2);
    expect(d.rounds.callsBeforeModel()).toEqual(['blobs.get', 'catalog.get', 'claims.claim', 'ledger.getStanding', 'ledger.increment']);
    expect(d.model.requests[0]?.documents.map((doc) => doc.text)).toEqual(['Leave on Monday.']);
  });

  it('asks the model after one round for a follow-up with a file, on a process that answered in the conversation before', async () => {
    const d = makeTrackedDomain();
    const chat = d.process();
    const notes = await uploadText(d, USER, 'notes.txt', 'Leave on Monday.');
    const { conversationId } = metaOf(await d.send(chat, { message: 'When do we leave?', fileIds: [notes.fileId] }));

    await d.send(chat, { message: 'And come back?', conversationId, idempotencyKey: 'k-2' });
    expect(d.rounds.roundsBeforeModel()).toBe(1);
    // The conversation with its messages, the file's record (its text from memory), the claim, the budget, the rate.
    expect(d.rounds.callsBeforeModel()).toEqual(['catalog.get', 'claims.claim', 'conversations.read', 'ledger.getStanding', 'ledger.increment'].sort());
    expect(d.model.requests[1]?.documents.map((doc) => doc.text)).toEqual(['Leave on Monday.']);
  });

  it('reads the files of a conversation it has not seen in a second round, and gives them to the model all the same', async () => {
    const d = makeTrackedDomain();
    const notes = await uploadText(d, USER, 'notes.txt', 'Leave on Monday.');
    const { conversationId } = metaOf(await d.send(d.process(), { message: 'When do we leave?', fileIds: [notes.fileId] }));

    await d.send(d.process(), { message: 'And come back?', conversationId });
    expect(d.rounds.roundsBeforeModel()).toBe(2);
    expect(d.model.requests[1]?.documents.map((doc) => doc.text)).toEqual(['Leave on Monday.']);
  });

  it('reads a file another process attached to the conversation, and leaves out one deleted since', async () => {
    const d = makeTrackedDomain();
    const [here, there] = [d.process(), d.process()];
    const notes = await uploadText(d, USER, 'notes.txt', 'Leave on Monday.');
    const plan = await uploadText(d, USER, 'plan.txt', 'Train at nine.');
    const { conversationId } = metaOf(await d.send(here, { message: 'When do we leave?', fileIds: [notes.fileId] }));
    await d.send(there, { message: 'And the plan?', conversationId, fileIds: [plan.fileId] });

    await d.send(here, { message: 'Both, please.', conversationId });
    expect(d.rounds.roundsBeforeModel()).toBe(2);
    expect(d.model.requests.at(-1)?.documents.map((doc) => doc.text)).toEqual(['Leave on Monday.', 'Train at nine.']);

    // Guessed, and gone: the catalog says so in the same round, and the model no longer gets it.
    await d.files.delete(USER, notes.fileId);
    await d.send(here, { message: 'Only the plan now?', conversationId });
    expect(d.rounds.roundsBeforeModel()).toBe(1);
    expect(d.model.requests.at(-1)?.documents.map((doc) => doc.text)).toEqual(['Train at nine.']);
  });

  it('asks the model after two rounds for a Regenerate, whose claim names the question the conversation holds', async () => {
    const d = makeTrackedDomain();
    const chat = d.process();
    const events = await d.send(chat, { message: 'When do we leave?' });
    const { conversationId } = metaOf(events);
    const answerId = ofType(events, 'done')[0]!.message.id;

    await d.send(chat, { conversationId, regenerate: { messageId: answerId }, idempotencyKey: 'k-r' });
    expect(d.rounds.roundsBeforeModel()).toBe(2);
    expect(d.rounds.callsBeforeModel()).toEqual(['claims.claim', 'claims.find', 'conversations.read', 'ledger.getStanding', 'ledger.increment'].sort());
  });
});
