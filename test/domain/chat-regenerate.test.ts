import { describe, expect, it, vi } from 'vitest';
import { currentMessages } from '../../src/domain/answer-versions.js';
import { DomainError } from '../../src/domain/errors.js';
import { UsageService } from '../../src/domain/usage-service.js';
import { MemoryUsageLedger } from '../../src/adapters/usage-ledger/memory-usage-ledger.js';
import { monthOf } from '../../src/domain/usage.js';
import { ChatService } from '../../src/domain/chat-service.js';
import { OTHER_USER, SYSTEM_PROMPT, USER, collect, liveSignal, makeDomain, metaOf, ofType, type Domain } from '../support/domain-builder.js';
import { expectDomainError } from '../support/domain-error.js';
import { failAfter, hangAfter, replyWith } from '../support/fakes.js';

const ask = (d: Domain, message: string, conversationId?: string) =>
  collect(d.chat.send(USER, { message, ...(conversationId && { conversationId }) }, liveSignal()));

const regenerate = (d: Domain, conversationId: string, messageId: string, extra: { idempotencyKey?: string } = {}, userId = USER) =>
  collect(d.chat.send(userId, { conversationId, regenerate: { messageId }, ...extra }, liveSignal()));

/** A conversation of one question and its answer; the ids of all three. */
async function oneExchange(d: Domain, question = 'What is a monad?') {
  d.model.play(replyWith('First answer'));
  const events = await ask(d, question);
  const meta = metaOf(events);
  return { conversationId: meta.conversationId, questionId: meta.userMessageId, answerId: ofType(events, 'done')[0]!.message.id };
}

describe('ChatService: Regenerate', () => {
  it('answers the same question again without storing it again, and keeps the old answer as a previous version', async () => {
    const d = makeDomain();
    const { conversationId, questionId, answerId } = await oneExchange(d);
    d.model.play(replyWith('Second ', 'answer'));
    const events = await regenerate(d, conversationId, answerId);

    expect(events.map((event) => event.type)).toEqual(['meta', 'delta', 'delta', 'done']);
    const meta = metaOf(events);
    expect(meta).toMatchObject({ conversationId, userMessageId: questionId });
    const [done] = ofType(events, 'done');
    expect(meta.answerMessageId).toBe(done!.message.id);
    expect(done!.message).toMatchObject({ content: 'Second answer', replaces: answerId, stopReason: 'end_turn' });

    const stored = await d.conversations.listMessages(USER, conversationId);
    expect(stored.map((message) => [message.role, message.content, message.replaces])).toEqual([
      ['user', 'What is a monad?', undefined],
      ['assistant', 'First answer', undefined],
      ['assistant', 'Second answer', answerId],
    ]);
    // Stamped after the answer it replaces: it sorts last in every store.
    expect(stored[2]!.timestamp > stored[1]!.timestamp).toBe(true);
  });

  it('gives the model the question once and never the answer it replaces', async () => {
    const d = makeDomain();
    const { conversationId, answerId } = await oneExchange(d);
    await regenerate(d, conversationId, answerId);
    expect(d.model.requests.at(-1)).toMatchObject({ system: SYSTEM_PROMPT, messages: [{ role: 'user', content: 'What is a monad?' }] });
  });

  it('follows chains (A3 replaces A2 replaces A1): later turns see only the newest version', async () => {
    const d = makeDomain();
    const { conversationId, answerId: a1 } = await oneExchange(d);
    d.model.play(replyWith('Second answer'));
    const a2 = ofType(await regenerate(d, conversationId, a1), 'done')[0]!.message.id;
    // A tab still showing the first version names it: the newest version is the one replaced, no fork.
    d.model.play(replyWith('Third answer'));
    const a3 = ofType(await regenerate(d, conversationId, a1), 'done')[0]!.message;
    expect(a3.replaces).toBe(a2);

    d.model.play(replyWith('Fine'));
    const [done] = ofType(await ask(d, 'And a functor?', conversationId), 'done');
    expect(d.model.requests.at(-1)?.messages).toEqual([
      { role: 'user', content: 'What is a monad?' },
      { role: 'assistant', content: 'Third answer' },
      { role: 'user', content: 'And a functor?' },
    ]);
    // Previous versions are neither included nor "dropped to fit".
    expect(done!.context).toMatchObject({ includedMessages: 3, droppedMessages: 0 });
    const stored = await d.conversations.listMessages(USER, conversationId);
    expect(stored).toHaveLength(6);
    expect(currentMessages(stored).map((message) => message.content)).toEqual(['What is a monad?', 'Third answer', 'And a functor?', 'Fine']);
  });

  it('keeps what two tabs did at once in the order the user sees: each answer after its own question', async () => {
    const d = makeDomain();
    const { conversationId, answerId: a1 } = await oneExchange(d);
    // Tab 1 regenerates the first answer; while it streams, tab 2 asks a new question.
    d.model.play(hangAfter('Second version'));
    const controller = new AbortController();
    const regenerating = collect(d.chat.send(USER, { conversationId, regenerate: { messageId: a1 } }, controller.signal));
    await vi.waitFor(() => expect(d.model.requests).toHaveLength(2));
    d.model.play(replyWith('About functors'));
    await ask(d, 'And a functor?', conversationId);
    controller.abort();
    await regenerating;

    const stored = await d.conversations.listMessages(USER, conversationId);
    // Stored in time order the new version comes after the new question; read as the user sees it, it stands where the first was.
    expect(currentMessages(stored).map((message) => message.content)).toEqual(['What is a monad?', 'Second version', 'And a functor?', 'About functors']);
    d.model.play(replyWith('Another take on functors'));
    const latest = stored.find((message) => message.content === 'About functors')!.id;
    await regenerate(d, conversationId, latest);
    expect(d.model.requests.at(-1)?.messages).toEqual([
      { role: 'user', content: 'What is a monad?' },
      { role: 'assistant', content: 'Second version' },
      { role: 'user', content: 'And a functor?' },
    ]);
  });

  it('lets only the newest of two versions written at once be the answer', async () => {
    const d = makeDomain();
    const { conversationId, answerId: a1 } = await oneExchange(d);
    d.model.play(replyWith('From tab one'));
    await regenerate(d, conversationId, a1);
    // A version that names the first answer directly, as a request checked before the other was stored would.
    const forked = { id: 'fork', role: 'assistant' as const, content: 'From tab two', timestamp: '2026-06-01T00:00:00.000Z', replaces: a1 };
    await d.conversations.appendMessage(USER, conversationId, forked);
    const stored = await d.conversations.listMessages(USER, conversationId);
    expect(currentMessages(stored).map((message) => message.content)).toEqual(['What is a monad?', 'From tab two']);
    d.model.play(replyWith('Third'));
    const [done] = ofType(await regenerate(d, conversationId, a1), 'done');
    expect(done!.message.replaces).toBe('fork');
  });

  it('refuses any answer but the latest with 409 NOT_LATEST_ANSWER, a question with 400 and an unknown id with 404', async () => {
    const d = makeDomain();
    const { conversationId, questionId, answerId } = await oneExchange(d);
    await ask(d, 'Second question', conversationId);
    const calls = d.model.requests.length;
    await expectDomainError(regenerate(d, conversationId, answerId), { kind: 'conflict', code: 'NOT_LATEST_ANSWER' });
    await expectDomainError(regenerate(d, conversationId, questionId), { kind: 'invalid', code: 'NOT_AN_ANSWER' });
    await expectDomainError(regenerate(d, conversationId, 'no-such-answer'), { kind: 'not_found', code: 'MESSAGE_NOT_FOUND' });
    expect(d.model.requests).toHaveLength(calls);
    expect(await d.conversations.listMessages(USER, conversationId)).toHaveLength(4);
  });

  it("refuses another user's conversation as if it did not exist", async () => {
    const d = makeDomain();
    const { conversationId, answerId } = await oneExchange(d);
    await expectDomainError(regenerate(d, conversationId, answerId, {}, OTHER_USER), { kind: 'not_found', code: 'CONVERSATION_NOT_FOUND' });
    expect(await d.conversations.listMessages(USER, conversationId)).toHaveLength(2);
  });

  it('keeps a failed new version, marked, as the latest answer: it can be regenerated in turn', async () => {
    const d = makeDomain();
    const { conversationId, answerId } = await oneExchange(d);
    d.model.play(failAfter(new DomainError('throttled', 'MODEL_THROTTLED', 'The model is busy.'), 'Half'));
    const events = await regenerate(d, conversationId, answerId);
    const [error] = ofType(events, 'error');
    expect(error?.error).toMatchObject({ kind: 'throttled', code: 'MODEL_THROTTLED' });
    const failed = (await d.conversations.listMessages(USER, conversationId)).at(-1);
    expect(failed).toMatchObject({ id: error!.messageId, content: 'Half', stopReason: 'error', replaces: answerId });
    d.model.play(replyWith('Whole'));
    expect(ofType(await regenerate(d, conversationId, failed!.id), 'done')[0]!.message).toMatchObject({ content: 'Whole', replaces: failed!.id });
  });

  it('replays a retry with the same idempotency key: no second answer, no second model call', async () => {
    const d = makeDomain();
    const { conversationId, questionId, answerId } = await oneExchange(d);
    d.model.play(replyWith('Once'));
    const first = await regenerate(d, conversationId, answerId, { idempotencyKey: 'regen-1' });
    const calls = d.model.requests.length;
    const retry = await regenerate(d, conversationId, answerId, { idempotencyKey: 'regen-1' });

    expect(d.model.requests).toHaveLength(calls);
    expect(metaOf(retry)).toEqual(metaOf(first));
    expect(metaOf(retry).userMessageId).toBe(questionId);
    expect(ofType(retry, 'done')[0]).toMatchObject({ replayed: true, message: { content: 'Once', replaces: answerId } });
    expect(await d.conversations.listMessages(USER, conversationId)).toHaveLength(3);
    // The same key for another request is refused, as for messages.
    await expectDomainError(collect(d.chat.send(USER, { message: 'Hi', conversationId, idempotencyKey: 'regen-1' }, liveSignal())), {
      kind: 'unprocessable',
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
  });

  it('is admitted and counted by spending control like a message', async () => {
    const base = makeDomain();
    const ledger = new MemoryUsageLedger(base.clock);
    const usage = new UsageService({ ledger, rates: ledger, clock: base.clock }, { prices: { inputPerMTok: 3, outputPerMTok: 15, cacheReadPerMTok: 0.3, cacheWritePerMTok: 3.75 }, defaultLimitUsd: 1 });
    const chat = new ChatService(
      { conversations: base.conversations, claims: base.claims, files: base.files, model: base.model, clock: base.clock, ids: base.ids, usage },
      { systemPrompt: SYSTEM_PROMPT, maxMessageChars: 1000, maxFilesPerMessage: 3 },
    );
    const d = { ...base, chat };
    const month = monthOf(base.clock.now());
    const { conversationId, answerId } = await oneExchange(d);
    d.model.play(replyWith('Second', ' answer'));
    await regenerate(d, conversationId, answerId);
    // replyWith reports 10 input tokens and one output token a piece: both answers are counted.
    expect(await ledger.get(USER, month)).toMatchObject({ inputTokens: 20, outputTokens: 3 });

    // Over the budget now: refused before anything is stored or the model is called.
    await ledger.add(USER, month, { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costMicroUsd: 1_000_000 }, 'Alice');
    const latest = (await d.conversations.listMessages(USER, conversationId)).at(-1)!;
    const calls = d.model.requests.length;
    await expectDomainError(regenerate(d, conversationId, latest.id), { kind: 'throttled', code: 'USAGE_LIMIT_REACHED' });
    expect(d.model.requests).toHaveLength(calls);
    expect(await d.conversations.listMessages(USER, conversationId)).toHaveLength(3);
  });
});
