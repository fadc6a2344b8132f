import { watch } from 'vue';
import type { ApiError } from '../api/client';
import { REFUSAL_CODES } from '../lib/errors';
import { canRetry, NEW_CHAT, unsentQuestionsOf, type UnsentQuestion, type UnsentReason } from '../lib/unsent-questions';
import { useComposerStore } from './composer';
import { useFilesStore } from './files';
import { useSessionStore } from './session';
import type { ThreadState } from './thread-state';
import type { Ask, Asking, Failure, ThreadMessage } from './thread-types';

/**
 * The questions that did not reach the server: kept in the thread (and in this browser, across a
 * reload) for Retry or Edit; or, refused (spending control), given back to the composer.
 * `ask` sends a retried one again.
 */
export function threadUnsent(state: ThreadState, ask: Ask) {
  /** This user's unsent questions in this browser (none kept when nobody is signed in). */
  function kept() {
    return unsentQuestionsOf(useSessionStore().user);
  }

  /** The unsent questions kept for `id` (NEW_CHAT for a new chat), as bubbles. */
  function unsentOf(id: string): ThreadMessage[] {
    return (kept()?.of(id) ?? []).map((question) => ({
      id: question.id,
      role: 'user' as const,
      content: question.text,
      timestamp: question.timestamp,
      ...(question.fileIds.length > 0 && { fileIds: question.fileIds }),
      unsent: { ...question.reason, key: question.key },
    }));
  }

  /** Questions that failed in a new chat belong to the conversation it has become. */
  function moveNewChatTo(conversationId: string): void {
    kept()?.move(NEW_CHAT, conversationId);
  }

  /**
   * What nothing reached the server with becomes. A refused question (spent budget, too many
   * messages) goes back to the composer, words and files; any other new question stays in the
   * thread as unsent, kept across reloads, for Retry or Edit (Edit only when the server refused it
   * for what it is, see `canRetry`). A Regenerate leaves the old answer
   * shown, with a Retry that sends it again under the same key.
   */
  function notSent(asking: Asking, error: ApiError, key: string, questionId: string): void {
    const refused = REFUSAL_CODES.has(error.code);
    const base: Failure = {
      code: error.code,
      message: error.message,
      receivedAt: Date.now(),
      ...(error.retryAfterSeconds !== undefined && { retryAfterSeconds: error.retryAfterSeconds }),
    };
    if (asking.kind === 'regenerate') {
      state.failure.value = { ...base, ...(refused ? { refused: true } : { retry: { kind: 'regenerate', key, answerId: asking.answerId } }) };
      return;
    }
    if (refused) {
      state.all.value = state.all.value.filter((message) => message.id !== questionId);
      state.failure.value = { ...base, refused: true, unsent: { text: asking.text, fileIds: asking.fileIds } };
      useComposerStore().giveBack(asking.text);
      useFilesStore().restoreIds(asking.fileIds);
      return;
    }
    const question = state.all.value.find((message) => message.id === questionId);
    if (!question) return;
    const reason: UnsentReason = { code: error.code, message: error.message, status: error.status };
    // A bubble id of its own: `local-` ids are for what is on its way.
    question.id = `unsent-${crypto.randomUUID()}`;
    question.unsent = { ...reason, key };
    const entry: UnsentQuestion = { id: question.id, text: asking.text, fileIds: asking.fileIds, key, timestamp: question.timestamp, reason };
    kept()?.keep(state.conversationId.value ?? NEW_CHAT, entry);
  }

  /** Takes an unsent question out of the thread and out of what this browser keeps. */
  function takeUnsent(id: string): ThreadMessage | undefined {
    const question = state.all.value.find((message) => message.id === id && message.unsent);
    if (!question) return undefined;
    state.all.value = state.all.value.filter((message) => message !== question);
    kept()?.forget(state.conversationId.value ?? NEW_CHAT, id);
    return question;
  }

  /** Sends an unsent question again, under the key it first went with: never answered twice. */
  async function retryUnsent(id: string): Promise<void> {
    if (state.streaming.value) return;
    // Refused for what it is, it would be refused again: only Edit helps.
    const unsent = state.all.value.find((message) => message.id === id)?.unsent;
    if (!unsent || !canRetry(unsent)) return;
    const question = takeUnsent(id);
    if (question?.unsent) await ask({ kind: 'new', text: question.content, fileIds: [...(question.fileIds ?? [])] }, question.unsent.key);
  }

  /** Puts an unsent question's words and files back in the composer, to change them before sending. */
  function editUnsent(id: string): void {
    const question = takeUnsent(id);
    if (!question) return;
    useComposerStore().giveBack(question.content);
    useFilesStore().restoreIds(question.fileIds ?? []);
  }

  /**
   * Signed in within this page (after a session ended, say): the new chat shows the questions this
   * user left unsent in it, as a reload would. A conversation being opened brings its own.
   */
  function showOnSignIn(): void {
    const session = useSessionStore();
    watch(
      () => session.user?.email ?? session.user?.name,
      (signedIn) => {
        if (signedIn === undefined || state.conversationId.value !== undefined || state.streaming.value) return;
        state.all.value = [...state.all.value.filter((message) => !message.unsent), ...unsentOf(NEW_CHAT)];
      },
    );
  }

  return { unsentOf, moveNewChatTo, notSent, retryUnsent, editUnsent, showOnSignIn };
}

export type ThreadUnsent = ReturnType<typeof threadUnsent>;
