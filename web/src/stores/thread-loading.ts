import { ApiError } from '../api/client';
import type { Conversation } from '../api/types';
import { NEW_CHAT } from '../lib/unsent-questions';
import { useSessionStore } from './session';
import type { ThreadState } from './thread-state';
import { isLocal, type ThreadMessage } from './thread-types';

/**
 * Which conversation the thread shows, and reading it: opening one, a new chat, Reload after a
 * failed read, its older messages page by page, and what the server stored of an answer that
 * could not be followed to its end. `unsentOf` adds the questions kept unsent in this browser.
 */
export function threadLoading(state: ThreadState, unsentOf: (conversationId: string) => ThreadMessage[]) {
  const client = () => useSessionStore().client();

  function clear(): void {
    // Leaving the conversation stops reading the answer, not the answer: it is stored whole.
    state.following?.halt('leave');
    state.opened++;
    state.conversationId.value = undefined;
    state.title.value = '';
    state.fileIds.value = [];
    state.all.value = unsentOf(NEW_CHAT);
    state.chosen.value = {};
    state.notFound.value = false;
    state.failure.value = undefined;
    state.loadFailure.value = undefined;
    state.loading.value = false;
    state.omitted.value = 0;
    state.loadingEarlier.value = false;
  }

  /** Shows the conversation as read, with the questions this browser keeps unsent in it. */
  function show(conversation: Conversation, id: string): void {
    state.title.value = conversation.title;
    state.fileIds.value = conversation.fileIds;
    state.all.value = [...conversation.messages, ...unsentOf(id)];
    state.omitted.value = conversation.omittedMessages ?? 0;
  }

  /** Reads the messages just older than the oldest shown, and puts them before it. */
  async function loadEarlier(): Promise<void> {
    const id = state.conversationId.value;
    const oldest = state.all.value.find((message) => !message.unsent && !isLocal(message.id));
    if (!id || !oldest || state.omitted.value === 0 || state.loadingEarlier.value) return;
    const ticket = state.opened;
    state.loadingEarlier.value = true;
    if (state.failure.value?.retry?.kind === 'loadEarlier') state.failure.value = undefined;
    try {
      const page = await client().getConversation(id, { before: oldest.id });
      if (ticket !== state.opened) return;
      state.all.value = [...page.messages, ...state.all.value];
      state.omitted.value = page.omittedMessages ?? 0;
    } catch (error) {
      // Retry reads them again: a new version of the latest answer would be no answer to this.
      if (ticket === state.opened) state.failure.value = { code: (error as ApiError).code ?? 'ERROR', message: (error as Error).message, retry: { kind: 'loadEarlier' } };
    } finally {
      if (ticket === state.opened) state.loadingEarlier.value = false;
    }
  }

  /** Every older message, page by page (an export is the whole conversation); false if a page failed. */
  async function loadAll(): Promise<boolean> {
    while (state.omitted.value > 0) {
      const before = state.omitted.value;
      await loadEarlier();
      if (state.omitted.value === before) return false;
    }
    return true;
  }

  async function open(id: string): Promise<void> {
    if (id === state.conversationId.value) return;
    clear();
    state.all.value = [];
    state.conversationId.value = id;
    await load(id);
  }

  /** Reads the conversation again after a failed load; the failure stays on screen until it is read. */
  async function reload(): Promise<void> {
    const id = state.conversationId.value;
    if (!id || !state.loadFailure.value || state.loading.value) return;
    await load(id);
  }

  async function load(id: string): Promise<void> {
    const ticket = state.opened;
    state.loading.value = true;
    try {
      const conversation = await client().getConversation(id);
      if (ticket !== state.opened) return; // another conversation was opened meanwhile
      show(conversation, id);
      state.loadFailure.value = undefined;
    } catch (error) {
      if (ticket !== state.opened) return;
      const apiError = error instanceof ApiError ? error : new ApiError(0, 'NETWORK_ERROR', (error as Error).message);
      if (apiError.status === 404) {
        state.notFound.value = true;
        state.loadFailure.value = undefined;
      } else state.loadFailure.value = { status: apiError.status, code: apiError.code, message: apiError.message };
    } finally {
      if (ticket === state.opened) state.loading.value = false;
    }
  }

  /**
   * An answer could not be followed to its end: the conversation is read again, so that the thread
   * shows what the server stored of it (its writer may have gone on without this page, or died
   * after storing part). Not stored (yet), the thread keeps what arrived, with its failure; not
   * read (the network down), it is read again once the network is back.
   */
  async function showStored(answerId: string): Promise<void> {
    const id = state.conversationId.value;
    if (!id) return;
    const ticket = state.opened;
    try {
      const conversation = await client().getConversation(id);
      if (ticket !== state.opened || state.streaming.value) return;
      const stored = conversation.messages.find((message) => message.id === answerId);
      if (!stored) return;
      show(conversation, id);
      // Stored whole (or as stopped) after all: the break cost nothing.
      if (stored.stopReason !== 'error') state.failure.value = undefined;
    } catch {
      if (ticket === state.opened && typeof window !== 'undefined') window.addEventListener('online', () => void showStored(answerId), { once: true });
    }
  }

  return { clear, open, reload, loadEarlier, loadAll, showStored };
}
