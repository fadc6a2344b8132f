import { describe, expect, it } from 'vitest';
import { MemoryConversationStore } from '../../src/adapters/conversation-store/memory-conversation-store.js';
import { ConversationService, MAX_PAGE_SIZE } from '../../src/domain/conversation-service.js';
import { jsonBytes } from '../../src/domain/json-bytes.js';
import type { Message } from '../../src/domain/conversation.js';
import { FixedClock } from '../support/fakes.js';
import { OTHER_USER, USER, collect, liveSignal, makeDomain, metaOf, type Domain } from '../support/domain-builder.js';
import { expectDomainError } from '../support/domain-error.js';

const at = (s: number) => new Date(Date.parse('2026-01-01T00:00:00.000Z') + s * 1000).toISOString();

async function createConversations(d: Domain, count: number): Promise<void> {
  for (let n = 0; n < count; n++) {
    await d.conversations.create(USER, { conversationId: `c-${n}`, title: `Chat ${n}`, createdAt: at(n), updatedAt: at(n), fileIds: [] });
  }
}

async function startChat(d: Domain, message = 'Plan a trip to Lyon'): Promise<string> {
  return metaOf(await collect(d.chat.send(USER, { message }, liveSignal()))).conversationId;
}

describe('ConversationService.list', () => {
  it('clamps the limit between 1 and the page size', async () => {
    const d = makeDomain();
    await createConversations(d, MAX_PAGE_SIZE + 5);
    const sizes = async (limit: number) => (await d.history.list(USER, { limit })).items.length;
    expect(await sizes(1000)).toBe(MAX_PAGE_SIZE);
    expect(await sizes(0)).toBe(1);
    expect(await sizes(-3)).toBe(1);
    expect(await sizes(2.9)).toBe(2);
  });

  it('pages newest first with the cursor it returns', async () => {
    const d = makeDomain();
    await createConversations(d, 3);
    const first = await d.history.list(USER, { limit: 2 });
    expect(first.items.map((item) => item.conversationId)).toEqual(['c-2', 'c-1']);
    const second = await d.history.list(USER, { limit: 2, cursor: first.nextCursor! });
    expect(second).toEqual({ items: [{ conversationId: 'c-0', title: 'Chat 0', createdAt: at(0), updatedAt: at(0) }] });
  });
});

describe('ConversationService.get', () => {
  it('returns the conversation with its messages, oldest first', async () => {
    const d = makeDomain();
    const conversationId = await startChat(d);
    const conversation = await d.history.get(USER, conversationId);
    expect(conversation).toMatchObject({ conversationId, title: 'Plan a trip to Lyon', fileIds: [] });
    expect(conversation.messages.map(({ role, content }) => ({ role, content }))).toEqual([
      { role: 'user', content: 'Plan a trip to Lyon' },
      { role: 'assistant', content: 'Hello world' },
    ]);
  });

  it("answers not_found for a missing conversation and for another user's", async () => {
    const d = makeDomain();
    const conversationId = await startChat(d);
    await expectDomainError(d.history.get(USER, 'missing'), { kind: 'not_found', code: 'CONVERSATION_NOT_FOUND' });
    await expectDomainError(d.history.get(OTHER_USER, conversationId), { kind: 'not_found', code: 'CONVERSATION_NOT_FOUND' });
  });
});

describe('ConversationService.rename', () => {
  it('trims and folds the title, moves updatedAt and returns the summary', async () => {
    const d = makeDomain();
    const conversationId = await startChat(d);
    const before = await d.history.get(USER, conversationId);
    const summary = await d.history.rename(USER, conversationId, '  Lyon \n  in   May ');
    expect(summary).toEqual({ conversationId, title: 'Lyon in May', createdAt: before.createdAt, updatedAt: expect.any(String) });
    expect(summary.updatedAt > before.updatedAt).toBe(true);
    expect((await d.history.get(USER, conversationId)).title).toBe('Lyon in May');
  });

  it('refuses an empty title and one over 200 characters, and takes 200', async () => {
    const d = makeDomain();
    const conversationId = await startChat(d);
    await expectDomainError(d.history.rename(USER, conversationId, ''), { kind: 'invalid', code: 'INVALID_TITLE' });
    await expectDomainError(d.history.rename(USER, conversationId, ' \n\t '), { kind: 'invalid', code: 'INVALID_TITLE' });
    await expectDomainError(d.history.rename(USER, conversationId, 'x'.repeat(201)), { kind: 'invalid', code: 'INVALID_TITLE' });
    expect((await d.history.get(USER, conversationId)).title).toBe('Plan a trip to Lyon');
    expect((await d.history.rename(USER, conversationId, 'y'.repeat(200))).title).toBe('y'.repeat(200));
  });

  it("answers not_found for a missing conversation and for another user's", async () => {
    const d = makeDomain();
    const conversationId = await startChat(d);
    await expectDomainError(d.history.rename(USER, 'missing', 'New'), { kind: 'not_found' });
    await expectDomainError(d.history.rename(OTHER_USER, conversationId, 'Mine'), { kind: 'not_found' });
    expect((await d.history.get(USER, conversationId)).title).toBe('Plan a trip to Lyon');
  });
});

describe('ConversationService.delete', () => {
  it('deletes the conversation and its messages, then answers not_found', async () => {
    const d = makeDomain();
    const conversationId = await startChat(d);
    await d.history.delete(USER, conversationId);
    await expectDomainError(d.history.get(USER, conversationId), { kind: 'not_found' });
    expect(await d.conversations.listMessages(USER, conversationId)).toEqual([]);
    await expectDomainError(d.history.delete(USER, conversationId), { kind: 'not_found', code: 'CONVERSATION_NOT_FOUND' });
  });

  it("answers not_found for a missing conversation and for another user's, which stays", async () => {
    const d = makeDomain();
    const conversationId = await startChat(d);
    await expectDomainError(d.history.delete(USER, 'missing'), { kind: 'not_found' });
    await expectDomainError(d.history.delete(OTHER_USER, conversationId), { kind: 'not_found' });
    expect((await d.history.get(USER, conversationId)).messages).toHaveLength(2);
  });
});

describe('ConversationService.get on a very long conversation', () => {
  const message = (n: number): Message => ({ id: `m${n}`, role: n % 2 ? 'assistant' : 'user', content: `message ${n}`, timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString() });
  /** A read's budget, in serialised bytes: the conversation's fields and two messages (each with its comma). */
  const twoMessages = async (store: MemoryConversationStore, count: number) => {
    const conversation = (await store.get(USER, 'long'))!;
    return jsonBytes({ ...conversation, messages: [], omittedMessages: count }) + jsonBytes(message(0)) + 1 + jsonBytes(message(1)) + 1;
  };

  it('sends the newest messages that fit one response, and counts the older ones left out', async () => {
    const store = new MemoryConversationStore();
    const clock = new FixedClock();
    await store.create(USER, { conversationId: 'long', title: 'Long', createdAt: clock.now().toISOString(), updatedAt: clock.now().toISOString(), fileIds: [] });
    for (let n = 0; n < 6; n++) await store.appendMessage(USER, 'long', message(n));
    const service = new ConversationService(store, clock, await twoMessages(store, 6));
    const read = await service.get(USER, 'long');
    expect(read.messages.map((m) => m.id)).toEqual(['m4', 'm5']);
    expect(read.omittedMessages).toBe(4);
    expect((await new ConversationService(store, clock).get(USER, 'long')).omittedMessages).toBeUndefined();
  });

  it('counts serialised bytes, not characters: escaped control characters and UTF-8 take more', async () => {
    const store = new MemoryConversationStore();
    const clock = new FixedClock();
    await store.create(USER, { conversationId: 'long', title: 'Long', createdAt: clock.now().toISOString(), updatedAt: clock.now().toISOString(), fileIds: [] });
    for (let n = 0; n < 6; n++) await store.appendMessage(USER, 'long', message(n));
    const service = new ConversationService(store, clock, await twoMessages(store, 6));
    // Same length in characters as `message N`, six bytes each once escaped (or four in UTF-8).
    await store.appendMessage(USER, 'long', { ...message(6), id: 'control', content: '\u0001'.repeat(9) });
    await store.appendMessage(USER, 'long', { ...message(7), id: 'emoji', content: '😀'.repeat(4) + 'x' });
    const read = await service.get(USER, 'long');
    expect(read.messages.map((m) => m.id)).toEqual(['emoji']);
    expect(read.omittedMessages).toBe(7);
  });

  it('pages back with `before` until nothing is left out, each message sent once', async () => {
    const store = new MemoryConversationStore();
    const clock = new FixedClock();
    await store.create(USER, { conversationId: 'long', title: 'Long', createdAt: clock.now().toISOString(), updatedAt: clock.now().toISOString(), fileIds: [] });
    for (let n = 0; n < 7; n++) await store.appendMessage(USER, 'long', message(n));
    const service = new ConversationService(store, clock, await twoMessages(store, 7));
    const pages: string[][] = [];
    let read = await service.get(USER, 'long');
    pages.push(read.messages.map((m) => m.id));
    while (read.omittedMessages) {
      read = await service.get(USER, 'long', { before: read.messages[0]!.id });
      pages.unshift(read.messages.map((m) => m.id));
    }
    expect(pages).toEqual([['m0'], ['m1', 'm2'], ['m3', 'm4'], ['m5', 'm6']]);
  });

  it('sends one message longer than a whole read rather than none, and refuses an unknown `before`', async () => {
    const store = new MemoryConversationStore();
    const clock = new FixedClock();
    const service = new ConversationService(store, clock, 5);
    await store.create(USER, { conversationId: 'big', title: 'Big', createdAt: clock.now().toISOString(), updatedAt: clock.now().toISOString(), fileIds: [] });
    await store.appendMessage(USER, 'big', { id: 'q', role: 'user', content: 'a long question', timestamp: '2026-01-01T00:00:00.000Z' });
    await store.appendMessage(USER, 'big', { id: 'a', role: 'assistant', content: 'a long answer', timestamp: '2026-01-01T00:00:01.000Z' });
    const newest = await service.get(USER, 'big');
    expect(newest.messages.map((message) => message.id)).toEqual(['a']);
    expect(newest.omittedMessages).toBe(1);
    const older = await service.get(USER, 'big', { before: 'a' });
    expect(older.messages.map((message) => message.id)).toEqual(['q']);
    expect(older.omittedMessages).toBeUndefined();
    await expectDomainError(service.get(USER, 'big', { before: 'no-such-message' }), { kind: 'invalid', code: 'UNKNOWN_MESSAGE' });
    // Another user's conversation stays "not found", whatever `before` says.
    await expectDomainError(service.get(OTHER_USER, 'big', { before: 'a' }), { kind: 'not_found' });
  });
});
