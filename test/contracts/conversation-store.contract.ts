import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Conversation, Message } from '../../src/domain/conversation.js';
import type { ConversationStore } from '../../src/domain/ports/conversation-store.js';
import { expectDomainError } from '../support/domain-error.js';

export type MakeConversationStore = () => Promise<{ store: ConversationStore; cleanup?: () => Promise<void> }>;

const T0 = Date.parse('2026-02-01T09:00:00.000Z');
/** A timestamp `s` seconds after T0. */
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const pad = (n: number) => String(n).padStart(3, '0');

const conversation = (conversationId: string, updatedAt = at(0), fileIds: string[] = []): Conversation => ({
  conversationId,
  title: `Title of ${conversationId}`,
  createdAt: at(0),
  updatedAt,
  fileIds,
});

const message = (n: number, extra: Partial<Message> = {}): Message => ({
  id: `m-${pad(n)}`,
  role: n % 2 === 0 ? 'user' : 'assistant',
  content: `message ${n}`,
  timestamp: at(1000 + n),
  ...extra,
});

/**
 * What every ConversationStore must do, through the port only. Each test gets a fresh store from
 * `makeStore` and fresh user ids, so adapters may share one table between tests.
 */
export function conversationStoreContract(name: string, makeStore: MakeConversationStore): void {
  describe(`ConversationStore contract: ${name}`, () => {
    let store: ConversationStore;
    let cleanup: (() => Promise<void>) | undefined;
    let alice: string;
    let bob: string;

    beforeEach(async () => {
      ({ store, cleanup } = await makeStore());
      alice = `alice-${randomUUID()}`;
      bob = `bob-${randomUUID()}`;
    });
    afterEach(async () => {
      await cleanup?.();
    });

    const listAll = async (userId: string, limit: number) => {
      const pages: { ids: string[]; nextCursor?: string }[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.list(userId, cursor === undefined ? { limit } : { limit, cursor });
        pages.push({ ids: page.items.map((item) => item.conversationId), ...(page.nextCursor && { nextCursor: page.nextCursor }) });
        cursor = page.nextCursor;
      } while (cursor !== undefined && pages.length < 100);
      return pages;
    };

    it('gets a conversation it created, files included', async () => {
      const created = conversation('c1', at(5), ['f1', 'f2']);
      await store.create(alice, created);
      expect(await store.get(alice, 'c1')).toEqual(created);
    });

    it("gets nothing for a missing id or for another user's conversation", async () => {
      await store.create(alice, conversation('c1'));
      expect(await store.get(alice, 'missing')).toBeUndefined();
      expect(await store.get(bob, 'c1')).toBeUndefined();
    });

    it('lists newest activity first and pages through 25 with limit 10, without duplicates or gaps', async () => {
      for (let i = 0; i < 25; i++) {
        const n = (i * 7) % 25; // created out of order
        await store.create(alice, conversation(`c-${pad(n)}`, at(n)));
      }
      const pages = await listAll(alice, 10);
      expect(pages.map((page) => page.ids.length)).toEqual([10, 10, 5]);
      expect(pages[0]?.nextCursor).toEqual(expect.any(String));
      expect(pages[2]?.nextCursor).toBeUndefined();
      const expected = Array.from({ length: 25 }, (_, i) => `c-${pad(24 - i)}`);
      expect(pages.flatMap((page) => page.ids)).toEqual(expected);
    });

    it('lists summaries: id, title, createdAt and updatedAt', async () => {
      await store.create(alice, conversation('c1', at(3), ['f1']));
      const page = await store.list(alice, { limit: 10 });
      expect(page.items).toEqual([{ conversationId: 'c1', title: 'Title of c1', createdAt: at(0), updatedAt: at(3) }]);
      expect(page.nextCursor).toBeUndefined();
    });

    it('refuses a cursor it did not issue with DomainError invalid', async () => {
      await store.create(alice, conversation('c1'));
      for (const cursor of ['garbage', '!!not a cursor!!', 'eyJub3QiOiJ5b3VycyJ9']) {
        await expectDomainError(store.list(alice, { limit: 5, cursor }), { kind: 'invalid' });
      }
    });

    it("lists nothing of another user's, even with their cursor", async () => {
      for (let n = 0; n < 3; n++) await store.create(alice, conversation(`c${n}`, at(n)));
      const alicePage = await store.list(alice, { limit: 2 });
      expect(alicePage.nextCursor).toBeDefined();
      expect(await store.list(bob, { limit: 10 })).toEqual({ items: [] });
      const withAliceCursor = await store
        .list(bob, { limit: 10, cursor: alicePage.nextCursor! })
        .catch((error: unknown) => (expect(error).toMatchObject({ kind: 'invalid' }), { items: [] }));
      expect(withAliceCursor.items).toEqual([]);
    });

    it('renames: returns the summary and moves updatedAt, so the list order changes', async () => {
      await store.create(alice, conversation('c1', at(1)));
      await store.create(alice, conversation('c2', at(2)));
      const renamed = await store.rename(alice, 'c1', 'A new name', at(10));
      expect(renamed).toEqual({ conversationId: 'c1', title: 'A new name', createdAt: at(0), updatedAt: at(10) });
      expect(await store.get(alice, 'c1')).toMatchObject({ title: 'A new name', updatedAt: at(10) });
      expect((await store.list(alice, { limit: 10 })).items.map((item) => item.conversationId)).toEqual(['c1', 'c2']);
    });

    it("renames nothing that is missing or another user's", async () => {
      await store.create(alice, conversation('c1'));
      expect(await store.rename(alice, 'missing', 'x', at(9))).toBeUndefined();
      expect(await store.rename(bob, 'c1', 'mine now', at(9))).toBeUndefined();
      expect(await store.get(alice, 'c1')).toEqual(conversation('c1'));
    });

    it('attaches files as a set union', async () => {
      await store.create(alice, conversation('c1', at(0), ['f1']));
      await store.attachFiles(alice, 'c1', ['f1', 'f2'], at(1));
      await store.attachFiles(alice, 'c1', ['f3', 'f2'], at(2));
      const fileIds = (await store.get(alice, 'c1'))?.fileIds ?? [];
      expect([...fileIds].sort()).toEqual(['f1', 'f2', 'f3']);
    });

    it('keeps the files of 10 concurrent attaches, and never moves updatedAt back', async () => {
      await store.create(alice, conversation('c1', at(0)));
      await store.appendMessage(alice, 'c1', { ...message(0), timestamp: at(50) });
      await Promise.all(Array.from({ length: 10 }, (_, n) => store.attachFiles(alice, 'c1', [`f${n}`, 'shared'], at(n + 1))));
      const stored = await store.get(alice, 'c1');
      expect([...(stored?.fileIds ?? [])].sort()).toEqual(['f0', 'f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7', 'f8', 'f9', 'shared']);
      expect(stored?.updatedAt).toBe(at(50));
    });

    it('appends messages oldest first and moves updatedAt to the last message, so the list order changes', async () => {
      await store.create(alice, conversation('c1', at(1)));
      await store.create(alice, conversation('c2', at(2)));
      const messages = [message(0), message(1), message(2)];
      for (const item of messages) await store.appendMessage(alice, 'c1', item);
      expect(await store.listMessages(alice, 'c1')).toEqual(messages);
      expect((await store.get(alice, 'c1'))?.updatedAt).toBe(messages[2]?.timestamp);
      expect((await store.list(alice, { limit: 10 })).items.map((item) => item.conversationId)).toEqual(['c1', 'c2']);
    });

    it("refuses to append to a missing conversation or another user's with DomainError not_found", async () => {
      await store.create(alice, conversation('c1'));
      await expectDomainError(store.appendMessage(alice, 'missing', message(0)), { kind: 'not_found' });
      await expectDomainError(store.appendMessage(bob, 'c1', message(0)), { kind: 'not_found' });
      expect(await store.listMessages(alice, 'c1')).toEqual([]);
      expect(await store.get(bob, 'c1')).toBeUndefined();
    });

    it('keeps all of 20 concurrent appends', async () => {
      await store.create(alice, conversation('c1'));
      const messages = Array.from({ length: 20 }, (_, n) => message(n));
      await Promise.all(messages.map((item) => store.appendMessage(alice, 'c1', item)));
      const stored = await store.listMessages(alice, 'c1');
      expect(stored.map((item) => item.id).sort()).toEqual(messages.map((item) => item.id));
      expect((await store.get(alice, 'c1'))?.updatedAt).toBe(messages[19]?.timestamp);
    });

    it('reads a conversation with its messages, oldest first, as get and listMessages give them', async () => {
      await store.create(alice, conversation('c1', at(1), ['f1']));
      await store.create(alice, conversation('c10', at(2)));
      for (const n of [0, 1, 2]) await store.appendMessage(alice, 'c1', message(n));
      // A conversation whose id starts with c1's: none of its items belong to c1.
      await store.appendMessage(alice, 'c10', message(7));
      const thread = await store.read(alice, 'c1');
      expect(thread).toEqual({ conversation: await store.get(alice, 'c1'), messages: await store.listMessages(alice, 'c1') });
      expect(thread?.messages.map((item) => item.id)).toEqual([message(0).id, message(1).id, message(2).id]);
      expect(await store.read(alice, 'c10')).toEqual({ conversation: await store.get(alice, 'c10'), messages: [message(7)] });
    });

    it('starts a conversation with its first message: both there, updatedAt the message\'s, listed first', async () => {
      await store.create(alice, conversation('c0', at(1)));
      const first = message(3, { fileIds: ['f1'] });
      await store.start(alice, conversation('c1', at(2), ['f1']), first);
      expect(await store.read(alice, 'c1')).toEqual({ conversation: { ...conversation('c1', at(2), ['f1']), updatedAt: first.timestamp }, messages: [first] });
      expect((await store.list(alice, { limit: 10 })).items.map((item) => item.conversationId)).toEqual(['c1', 'c0']);
      expect(await store.read(bob, 'c1')).toBeUndefined();
    });

    it("reads nothing of a missing conversation or of another user's", async () => {
      await store.create(alice, conversation('c1'));
      await store.appendMessage(alice, 'c1', message(0));
      expect(await store.read(bob, 'c1')).toBeUndefined();
      expect(await store.read(alice, 'missing')).toBeUndefined();
      expect((await store.read(alice, 'c1'))?.messages).toEqual([message(0)]);
    });

    it("lists no messages of a missing conversation or of another user's", async () => {
      await store.create(alice, conversation('c1'));
      await store.appendMessage(alice, 'c1', message(0));
      expect(await store.listMessages(bob, 'c1')).toEqual([]);
      expect(await store.listMessages(alice, 'missing')).toEqual([]);
    });

    it('keeps every field of a message: fileIds, usage, stopReason, error, context, replaces', async () => {
      await store.create(alice, conversation('c1'));
      const question = message(0, { fileIds: ['f1', 'f2'] });
      const answer = message(1, {
        content: 'A partial answer',
        usage: { inputTokens: 120, outputTokens: 7, cacheReadTokens: 100, cacheWriteTokens: 0 },
        stopReason: 'error',
        error: { code: 'MODEL_THROTTLED', message: 'The model is busy.' },
        context: { estimatedInputTokens: 1200, contextWindowTokens: 200_000, maxOutputTokens: 4000, includedMessages: 3, droppedMessages: 1, truncatedFileIds: ['f2'] },
      });
      const aborted = message(3, { content: '', usage: { inputTokens: 0, outputTokens: 0 }, stopReason: 'aborted' });
      // A regenerated answer names the one it replaces: both are kept, the old as a previous version.
      const regenerated = message(4, { role: 'assistant', content: 'A better answer', stopReason: 'end_turn', replaces: answer.id });
      for (const item of [question, answer, message(2), aborted, regenerated]) await store.appendMessage(alice, 'c1', item);
      expect(await store.listMessages(alice, 'c1')).toEqual([question, answer, message(2), aborted, regenerated]);
    });

    it('deletes a conversation and its messages, once', async () => {
      await store.create(alice, conversation('c1'));
      await store.appendMessage(alice, 'c1', message(0));
      await store.appendMessage(alice, 'c1', message(1));
      expect(await store.delete(alice, 'c1')).toBe(true);
      expect(await store.get(alice, 'c1')).toBeUndefined();
      expect(await store.listMessages(alice, 'c1')).toEqual([]);
      expect((await store.list(alice, { limit: 10 })).items).toEqual([]);
      expect(await store.delete(alice, 'c1')).toBe(false);
    });

    it("does not touch another user's conversation with the same id", async () => {
      await store.create(alice, conversation('same'));
      await store.appendMessage(alice, 'same', message(0));
      await store.create(bob, conversation('same'));
      expect(await store.delete(bob, 'same')).toBe(true);
      expect(await store.get(alice, 'same')).toEqual({ ...conversation('same'), updatedAt: message(0).timestamp });
      expect(await store.listMessages(alice, 'same')).toEqual([message(0)]);
    });

    it('hands out and keeps copies: mutating objects never changes what is stored', async () => {
      const created = conversation('c1', at(0), ['f1']);
      await store.create(alice, created);
      created.title = 'changed after create';
      created.fileIds.push('f-after-create');
      const appended = message(0, { fileIds: ['f1'] });
      await store.appendMessage(alice, 'c1', appended);
      appended.content = 'changed after append';
      appended.fileIds?.push('f-after-append');

      const got = await store.get(alice, 'c1');
      got!.title = 'mutated';
      got!.fileIds.push('f-mutated');
      const listed = await store.listMessages(alice, 'c1');
      listed[0]!.content = 'mutated';
      listed.push(message(1));
      (await store.list(alice, { limit: 5 })).items[0]!.title = 'mutated';

      expect(await store.get(alice, 'c1')).toEqual({ ...conversation('c1', message(0).timestamp, ['f1']) });
      expect(await store.listMessages(alice, 'c1')).toEqual([message(0, { fileIds: ['f1'] })]);
    });
  });
}
