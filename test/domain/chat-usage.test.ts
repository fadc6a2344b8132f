import { describe, expect, it } from 'vitest';
import { MemoryUsageLedger } from '../../src/adapters/usage-ledger/memory-usage-ledger.js';
import { ChatService } from '../../src/domain/chat-service.js';
import type { SendMessage } from '../../src/domain/chat-types.js';
import { UsageService } from '../../src/domain/usage-service.js';
import { monthOf } from '../../src/domain/usage.js';
import { SYSTEM_PROMPT, USER, collect, liveSignal, makeDomain, metaOf, ofType } from '../support/domain-builder.js';
import { expectDomainError } from '../support/domain-error.js';
import { failAfter, replyWith } from '../support/fakes.js';

const PRICES = { inputPerMTok: 3, outputPerMTok: 15, cacheReadPerMTok: 0.3, cacheWritePerMTok: 3.75 };

/** The domain of makeDomain, with a ChatService that has a UsageService ($1 a month by default). */
function makeChatWithUsage(messagesPerMinute?: number) {
  const domain = makeDomain();
  const ledger = new MemoryUsageLedger(domain.clock);
  const usage = new UsageService({ ledger, rates: ledger, clock: domain.clock }, { prices: PRICES, defaultLimitUsd: 1, ...(messagesPerMinute !== undefined && { messagesPerMinute }) });
  const chat = new ChatService(
    { conversations: domain.conversations, claims: domain.claims, files: domain.files, model: domain.model, clock: domain.clock, ids: domain.ids, usage },
    { systemPrompt: SYSTEM_PROMPT, maxMessageChars: 1000, maxFilesPerMessage: 3 },
  );
  const month = monthOf(domain.clock.now());
  const send = (input: SendMessage) => collect(chat.send(USER, input, liveSignal()));
  return { ...domain, ledger, usage, chat, month, send };
}

describe('ChatService with spending control', () => {
  it('refuses a user over budget before storing anything or calling the model', async () => {
    const d = makeChatWithUsage();
    await d.ledger.add(USER, d.month, { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, costMicroUsd: 1_000_000 }, 'Alice');
    await expectDomainError(d.send({ message: 'One more question', idempotencyKey: 'k-1' }), { kind: 'throttled', code: 'USAGE_LIMIT_REACHED' });
    expect(d.model.requests).toEqual([]);
    expect((await d.conversations.list(USER, { limit: 10 })).items).toEqual([]);
    // Its idempotency claim given back: the same key works once the budget allows.
    expect(await d.claims.claim(USER, { key: 'k-1', fingerprint: 'f', conversationId: 'c', userMessageId: 'u', answerMessageId: 'a', createdAt: d.clock.now().toISOString() })).toBeUndefined();
  });

  it('counts towards the rate only the messages that go to the model: not refused ones, not replays', async () => {
    const d = makeChatWithUsage(2);
    for (let i = 0; i < 3; i++) await expectDomainError(d.send({ message: 'Hello?', conversationId: 'no-such-conversation' }), { kind: 'not_found', code: 'CONVERSATION_NOT_FOUND' });
    const first = await d.send({ message: 'First', idempotencyKey: 'k-1' });
    for (let i = 0; i < 3; i++) expect(ofType(await d.send({ message: 'First', idempotencyKey: 'k-1' }), 'done')[0]?.replayed).toBe(true);
    expect(ofType(await d.send({ message: 'Second' }), 'done')).toHaveLength(1);
    await expectDomainError(d.send({ message: 'Third', idempotencyKey: 'k-3' }), { kind: 'throttled', code: 'RATE_LIMITED' });
    expect(d.model.requests).toHaveLength(2);
    expect(ofType(first, 'done')).toHaveLength(1);
    // Refused by the rate: nothing stored, and its key free for the retry after the minute.
    expect(await d.claims.find(USER, 'k-3')).toBeUndefined();
  });

  it('records a completed answer’s usage under the sender’s name', async () => {
    const d = makeChatWithUsage();
    d.model.play(replyWith('Hello', ' there', '!'));
    const events = await d.send({ message: 'Hi', senderName: 'alice@example.com' });
    expect(ofType(events, 'done')).toHaveLength(1);
    // replyWith reports 10 input tokens and one output token a piece: 10 × $3 + 3 × $15 per million.
    expect(await d.ledger.get(USER, d.month)).toEqual({
      userId: USER,
      month: d.month,
      inputTokens: 10,
      outputTokens: 3,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      costMicroUsd: 75,
      displayName: 'alice@example.com',
    });
  });

  it('names the user by id when the edge gave no name', async () => {
    const d = makeChatWithUsage();
    await d.send({ message: 'Hi' });
    expect((await d.ledger.get(USER, d.month)).displayName).toBe(USER);
  });

  it('counts an answer the model did not finish at its estimate: the model was paid for all the same', async () => {
    const d = makeChatWithUsage();
    d.model.play(failAfter(new Error('connection reset'), 'Half an'));
    const events = await d.send({ message: 'Hi' });
    expect(ofType(events, 'error')).toHaveLength(1);
    const counted = await d.ledger.get(USER, d.month);
    // The prompt's estimate (system prompt and question) and the two output tokens of 'Half an'.
    expect(counted.inputTokens).toBeGreaterThan(0);
    expect(counted.outputTokens).toBe(2);
    expect(counted.costMicroUsd).toBeGreaterThan(0);
  });

  it('counts an answer the user stopped, so Stop is no way around the budget', async () => {
    const d = makeChatWithUsage();
    d.model.play(replyWith('A long', ' answer', ' that goes on'));
    const controller = new AbortController();
    const events = [];
    for await (const event of d.chat.send(USER, { message: 'Tell me everything' }, controller.signal)) {
      events.push(event);
      if (event.type === 'delta') controller.abort();
    }
    expect(ofType(events, 'done')).toEqual([]);
    expect((await d.ledger.get(USER, d.month)).costMicroUsd).toBeGreaterThan(0);
  });

  it('replays a request already answered even once the budget is spent, and counts it once', async () => {
    const d = makeChatWithUsage();
    d.model.play(replyWith('The answer'));
    await d.send({ message: 'Hi', idempotencyKey: 'k-1' });
    const once = await d.ledger.get(USER, d.month);
    await d.ledger.add(USER, d.month, { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costMicroUsd: 1_000_000 }, 'Alice');
    const replay = await d.send({ message: 'Hi', idempotencyKey: 'k-1' });
    expect(ofType(replay, 'done')).toEqual([expect.objectContaining({ replayed: true })]);
    expect(d.model.requests).toHaveLength(1);
    expect((await d.ledger.get(USER, d.month)).costMicroUsd).toBe(once.costMicroUsd + 1_000_000);
    // A new request is refused as before.
    await expectDomainError(d.send({ message: 'Another', idempotencyKey: 'k-2' }), { kind: 'throttled', code: 'USAGE_LIMIT_REACHED' });
  });

  it('gives back the count of a message refused after it was counted: file not ready, old answer, question not stored, budget spent', async () => {
    const d = makeChatWithUsage(1);
    const pending = await d.files.createUpload(USER, { fileName: 'later.txt', contentType: 'text/plain', size: 10 });
    await expectDomainError(d.send({ message: 'Read this', fileIds: [pending.fileId] }), { kind: 'conflict', code: 'FILE_NOT_READY' });
    const first = await d.send({ message: 'First', idempotencyKey: 'k-1' });
    const { conversationId } = metaOf(first);
    const firstAnswer = ofType(first, 'done')[0]!.message.id;
    d.clock.advance(60_000); // the next minute: room for one message again
    const second = await d.send({ message: 'Second', conversationId });
    d.clock.advance(60_000);
    await expectDomainError(collect(d.chat.send(USER, { conversationId, regenerate: { messageId: firstAnswer } }, liveSignal())), { kind: 'conflict', code: 'NOT_LATEST_ANSWER' });
    const appendMessage = d.conversations.appendMessage.bind(d.conversations);
    d.conversations.appendMessage = () => Promise.reject(new Error('store down'));
    await expect(d.send({ message: 'Lost', conversationId })).rejects.toThrow('store down');
    d.conversations.appendMessage = appendMessage;
    await d.ledger.add(USER, d.month, { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costMicroUsd: 1_000_000 }, 'Alice');
    await expectDomainError(d.send({ message: 'Over budget', conversationId }), { kind: 'throttled', code: 'USAGE_LIMIT_REACHED' });
    await d.ledger.add(USER, d.month, { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costMicroUsd: -1_000_000 }, 'Alice');
    // Four refusals in this minute, none of them counted: the one message the rate allows goes.
    expect(ofType(await d.send({ message: 'Third', conversationId }), 'done')).toHaveLength(1);
    await expectDomainError(d.send({ message: 'Fourth', conversationId }), { kind: 'throttled', code: 'RATE_LIMITED' });
    expect(ofType(second, 'done')).toHaveLength(1);
  });

  it('tells a message over the rate of its unknown file first, and does not count it', async () => {
    const d = makeChatWithUsage(1);
    await d.send({ message: 'First' });
    await expectDomainError(d.send({ message: 'With a file', fileIds: ['no-such-file'] }), { kind: 'not_found', code: 'FILE_NOT_FOUND' });
    await expectDomainError(d.send({ message: 'Plain' }), { kind: 'throttled', code: 'RATE_LIMITED' });
  });

  it('keeps the answer when the ledger fails to record it, and reports the failure', async () => {
    const d = makeChatWithUsage();
    const reported: string[] = [];
    const chat = new ChatService(
      {
        conversations: d.conversations,
        claims: d.claims,
        files: d.files,
        model: d.model,
        clock: d.clock,
        ids: d.ids,
        usage: d.usage,
        onUsageNotRecorded: (error, userId) => reported.push(`${userId}: ${(error as Error).message}`),
      },
      { systemPrompt: SYSTEM_PROMPT, maxMessageChars: 1000, maxFilesPerMessage: 3 },
    );
    d.ledger.add = () => Promise.reject(new Error('ledger down'));
    const events = await collect(chat.send(USER, { message: 'Hi' }, liveSignal()));
    expect(ofType(events, 'done')).toHaveLength(1);
    expect(reported).toEqual([`${USER}: ledger down`]);
  });
});
