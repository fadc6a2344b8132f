import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import { ApiError } from '../api/client';
import type { Conversation, FileContext } from '../api/types';
import { useComposerStore } from './composer';
import { useConversationsStore } from './conversations';
import { useFilesStore } from './files';
import { useSessionStore } from './session';
import { META_TIMEOUT_MS, useThreadStore } from './thread';
import { answers, fails, fakeApi } from './thread-fakes';

const unreachable = () => new ApiError(0, 'NETWORK_ERROR', 'The server cannot be reached. Check your connection and try again.');

const conversation: Conversation = {
  conversationId: 'c1',
  title: 'Trip to Lyon',
  createdAt: '2026-11-02T10:00:00.000Z',
  updatedAt: '2026-11-02T10:01:00.000Z',
  fileIds: [],
  messages: [
    { id: 'u1', role: 'user', content: 'Hello', timestamp: '2026-11-02T10:00:00.000Z' },
    { id: 'a1', role: 'assistant', content: 'Hi', timestamp: '2026-11-02T10:01:00.000Z' },
  ],
};

/** A new page: a new Pinia, the same browser storage, the same user signed in. */
function reloadPage(user = 'Ada'): void {
  setActivePinia(createPinia());
  useSessionStore().user = { name: user };
}

describe('the thread store, when a question cannot be sent', () => {
  beforeEach(() => {
    localStorage.clear();
    reloadPage();
  });
  afterEach(() => vi.useRealTimers());

  it('keeps the question in the thread as unsent, with why, and no answer under it', async () => {
    fakeApi([fails(new ApiError(503, 'SERVICE_UNAVAILABLE', 'The service is unavailable.'))]);
    const thread = useThreadStore();
    await thread.send('Plan a weekend in Lyon', ['f1']);
    expect(thread.messages).toHaveLength(1);
    expect(thread.messages[0]).toMatchObject({
      role: 'user',
      content: 'Plan a weekend in Lyon',
      fileIds: ['f1'],
      unsent: { code: 'SERVICE_UNAVAILABLE', status: 503, key: expect.any(String) },
    });
    // The thread says it, under the question: no banner to dismiss, so nothing to lose by dismissing.
    expect(thread.failure).toBeUndefined();
    expect(thread.streaming).toBe(false);
    expect(useComposerStore().draft).toBe('');
    expect(thread.snapshot().messages).toEqual([]);
  });

  it('sends it again on Retry under the same idempotency key, so it is never answered twice', async () => {
    const { calls } = fakeApi([fails(unreachable()), answers('Lyon in two days')]);
    const thread = useThreadStore();
    const started: string[] = [];
    await thread.send('Plan a weekend in Lyon', [], (id) => started.push(id));
    const [unsent] = thread.messages;
    await thread.retryUnsent(unsent!.id);

    expect(calls.map((call) => call.body)).toEqual([{ message: 'Plan a weekend in Lyon' }, { message: 'Plan a weekend in Lyon' }]);
    expect(calls[1]!.key).toBe(calls[0]!.key);
    expect(thread.messages.map((message) => [message.id, message.content, message.unsent])).toEqual([
      ['u1', 'Plan a weekend in Lyon', undefined],
      ['a1', 'Lyon in two days', undefined],
    ]);
    // The new conversation gets its address, even though the Retry came from the thread.
    expect(started).toEqual(['c1']);
  });

  it('puts the words and files back in the composer on Edit, and takes the question out of the thread', async () => {
    fakeApi([fails(unreachable())]);
    const files = useFilesStore();
    files.library = { f1: { fileId: 'f1', fileName: 'notes.md', fileType: 'markdown', size: 10, charCount: 10, status: 'ready', uploadedAt: '' } satisfies FileContext };
    const thread = useThreadStore();
    await thread.send('Summarise this', ['f1']);
    thread.editUnsent(thread.messages[0]!.id);
    expect(thread.messages).toEqual([]);
    expect(useComposerStore().draft).toBe('Summarise this');
    expect(files.attachments).toMatchObject([{ name: 'notes.md', status: 'ready', file: { fileId: 'f1' } }]);
    // Taken back: a reload does not bring it back.
    reloadPage();
    expect(useThreadStore().messages).toEqual([]);
  });

  it('does not send again a question refused for what it is (too long): Edit gives it back to change', async () => {
    const { calls } = fakeApi([fails(new ApiError(400, 'MESSAGE_TOO_LONG', 'The message is 200001 characters; the limit is 200000.'))]);
    const files = useFilesStore();
    files.library = { f1: { fileId: 'f1', fileName: 'notes.md', fileType: 'markdown', size: 10, charCount: 10, status: 'ready', uploadedAt: '' } satisfies FileContext };
    const thread = useThreadStore();
    await thread.send('A very long question', ['f1']);
    const [unsent] = thread.messages;
    expect(unsent).toMatchObject({ content: 'A very long question', unsent: { code: 'MESSAGE_TOO_LONG', status: 400 } });
    await thread.retryUnsent(unsent!.id);
    expect(calls).toHaveLength(1);
    expect(thread.messages).toEqual([unsent]);

    thread.editUnsent(unsent!.id);
    expect(thread.messages).toEqual([]);
    expect(useComposerStore().draft).toBe('A very long question');
    expect(files.attachments).toMatchObject([{ name: 'notes.md', file: { fileId: 'f1' } }]);
  });

  it('counts a send with no answer at all in a minute as failed', async () => {
    vi.useFakeTimers();
    fakeApi([
      // The server took the request and says nothing: no meta, ever.
      // eslint-disable-next-line require-yield
      async function* (_call, signal) {
        await new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
      },
    ]);
    const thread = useThreadStore();
    const sending = thread.send('Anyone there?');
    await vi.advanceTimersByTimeAsync(META_TIMEOUT_MS - 1000);
    expect(thread.streaming).toBe(true);
    await vi.advanceTimersByTimeAsync(1000);
    await sending;
    expect(thread.streaming).toBe(false);
    expect(thread.messages).toMatchObject([{ content: 'Anyone there?', unsent: { code: 'NO_RESPONSE', status: 0 } }]);
  });

  it('keeps unsent questions across a reload, in their conversation, for the user who wrote them', async () => {
    fakeApi([fails(unreachable())], conversation);
    const thread = useThreadStore();
    await thread.open('c1');
    await thread.send('And in winter?');
    const [, , unsent] = thread.messages;
    expect(unsent).toMatchObject({ content: 'And in winter?', unsent: { code: 'NETWORK_ERROR' } });
    const firstKey = unsent!.unsent!.key;

    reloadPage();
    fakeApi([], conversation);
    const again = useThreadStore();
    await again.open('c1');
    expect(again.messages.map((message) => [message.content, message.unsent?.code])).toEqual([
      ['Hello', undefined],
      ['Hi', undefined],
      ['And in winter?', 'NETWORK_ERROR'],
    ]);
    // Not in a new chat, nor for someone else.
    again.clear();
    expect(again.messages).toEqual([]);
    reloadPage('Bob');
    fakeApi([], conversation);
    await useThreadStore().open('c1');
    expect(useThreadStore().messages).toHaveLength(2);

    // Retried after the reload: the same request as the first time, and then no longer kept.
    reloadPage();
    const { calls } = fakeApi([answers('Snow', { conversationId: 'c1', userMessageId: 'u2', answerMessageId: 'a2' })], conversation);
    const third = useThreadStore();
    await third.open('c1');
    await third.retryUnsent(third.messages[2]!.id);
    expect(calls.map((call) => [call.body, call.key])).toEqual([[{ message: 'And in winter?', conversationId: 'c1' }, firstKey]]);
    expect(third.messages.map((message) => message.content)).toEqual(['Hello', 'Hi', 'And in winter?', 'Snow']);
    reloadPage();
    fakeApi([], conversation);
    await useThreadStore().open('c1');
    expect(useThreadStore().messages.some((message) => message.unsent)).toBe(false);
  });

  it('keeps a new chat’s unsent question for the new chat, then for the conversation it becomes', async () => {
    fakeApi([fails(unreachable())]);
    await useThreadStore().send('First try');
    reloadPage();
    const { calls } = fakeApi([answers('Answered', { conversationId: 'c9' })]);
    const thread = useThreadStore();
    expect(thread.messages.map((message) => [message.content, message.unsent?.code])).toEqual([['First try', 'NETWORK_ERROR']]);
    await thread.send('Second try');
    expect(calls[0]!.body).toEqual({ message: 'Second try' });
    expect(thread.conversationId).toBe('c9');
    // Reloaded into c9, the unsent question is there; the new chat is empty again.
    reloadPage();
    fakeApi([], { ...conversation, conversationId: 'c9', messages: [] });
    const later = useThreadStore();
    expect(later.messages).toEqual([]);
    await later.open('c9');
    expect(later.messages.map((message) => message.content)).toEqual(['First try']);
  });
});

describe('unsent questions, when the user signs out or deletes their conversation', () => {
  beforeEach(() => {
    localStorage.clear();
    reloadPage();
  });

  const contents = () => useThreadStore().messages.map((message) => [message.content, message.unsent?.code]);

  it('shows a new chat’s unsent question again as soon as its user signs in again, after their session ended', async () => {
    fakeApi([fails(unreachable())]);
    const thread = useThreadStore();
    await thread.send('Plan a weekend in Lyon');
    const session = useSessionStore();
    session.signOut('ended');
    await nextTick();
    expect(thread.messages).toEqual([]);
    session.user = { name: 'Ada' };
    await nextTick();
    expect(contents()).toEqual([['Plan a weekend in Lyon', 'NETWORK_ERROR']]);
  });

  it('keeps them when the session ended, and forgets them on sign-out, even from a page that never showed the thread', async () => {
    fakeApi([fails(unreachable())]);
    await useThreadStore().send('Plan a weekend in Lyon');
    useSessionStore().signOut('ended');
    reloadPage();
    expect(contents()).toEqual([['Plan a weekend in Lyon', 'NETWORK_ERROR']]);

    reloadPage();
    useSessionStore().signOut();
    reloadPage();
    expect(contents()).toEqual([]);
  });

  it('forgets the ones of a deleted conversation, and only those', async () => {
    fakeApi([fails(unreachable())], conversation);
    useSessionStore().client().deleteConversation = async () => undefined;
    const thread = useThreadStore();
    await thread.send('For a new chat');
    await thread.open('c1');
    await thread.send('And in winter?');
    expect(contents()).toEqual([['Hello', undefined], ['Hi', undefined], ['And in winter?', 'NETWORK_ERROR']]);

    await useConversationsStore().remove('c1');
    reloadPage();
    fakeApi([], conversation);
    expect(contents()).toEqual([['For a new chat', 'NETWORK_ERROR']]);
    await useThreadStore().open('c1');
    expect(contents()).toEqual([['Hello', undefined], ['Hi', undefined]]);
  });
});
