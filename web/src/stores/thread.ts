import { defineStore } from 'pinia';
import { computed } from 'vue';
import type { Conversation } from '../api/types';
import { NEW_CHAT } from '../lib/unsent-questions';
import { useSessionStore } from './session';
import { threadAsking } from './thread-asking';
import { threadLoading } from './thread-loading';
import { createThreadState } from './thread-state';
import { isLocal } from './thread-types';
import { threadUnsent } from './thread-unsent';
import { threadVersions } from './thread-versions';

export { META_TIMEOUT_MS } from './thread-asking';
export type { Failure, LoadFailure, ThreadMessage, Unsent } from './thread-types';

/**
 * The open conversation: its messages, the answer streaming into it, Stop, Regenerate and Retry.
 * A question that fails to go (server unreachable, 5xx, no answer in time) stays in the thread
 * as unsent, with Retry and Edit, also across a reload; a refused one (spending control) goes back
 * to the composer with its files; a stopped or failed answer keeps what arrived. An answer whose
 * connection breaks is picked up again where it broke (see AnswerFollower); only Stop stops it.
 * Regenerate puts the new answer where the old one was and keeps the old one as a previous version.
 *
 * Made of parts that share its state (thread-state.ts): reading the conversation
 * (thread-loading.ts), sending and following the answer (thread-asking.ts, each stream's events
 * applied by thread-answer.ts), unsent questions (thread-unsent.ts) and versions (thread-versions.ts).
 */
export const useThreadStore = defineStore('thread', () => {
  const state = createThreadState();
  const { conversationId, title, fileIds, messages, omitted, loadingEarlier, loading, notFound, failure, loadFailure, streaming } = state;
  const versions = threadVersions(state);
  // `ask` is called only once the store is set up, by which time it is defined.
  const unsent = threadUnsent(state, (asking, key) => ask(asking, key));
  const reading = threadLoading(state, unsent.unsentOf);
  const ask = threadAsking(state, { rootOf: versions.rootOf, notSent: unsent.notSent, moveNewChatTo: unsent.moveNewChatTo, showStored: reading.showStored });

  const lastContext = computed(() => [...messages.value].reverse().find((message) => message.context)?.context);
  const canRegenerate = computed(() => {
    const last = messages.value.at(-1);
    return !streaming.value && conversationId.value !== undefined && messages.value.length >= 2 && last?.role === 'assistant' && !isLocal(last.id);
  });

  /**
   * Sends a message (its words may be empty when files go with it) and streams the answer into
   * the thread. `onStarted` hears the id of a new conversation as soon as the server gives it
   * (the view puts it in the URL).
   */
  async function send(
    text: string,
    attachFileIds: string[] = [],
    onStarted?: (conversationId: string) => void,
    idempotencyKey: string = crypto.randomUUID(),
  ): Promise<string | undefined> {
    if (onStarted) state.announceStarted = onStarted;
    return ask({ kind: 'new', text, fileIds: attachFileIds }, idempotencyKey);
  }

  /** Stops the answer: the server stops the model and keeps what was streamed, and so does the thread. */
  function stop(): void {
    state.following?.stop();
  }

  /** A new version of the latest answer, streamed in its place; the old one stays as a previous version. */
  async function regenerate(): Promise<void> {
    const last = messages.value.at(-1);
    if (!last || !canRegenerate.value) return;
    // Whichever version is on screen, the server replaces the newest: it is "the" answer.
    const newest = versions.newestOf(last.id);
    if (isLocal(newest)) return;
    await ask({ kind: 'regenerate', answerId: newest }, crypto.randomUUID());
  }

  /**
   * After a failure: the earlier messages that could not be read, read again; the Regenerate that
   * did not go, again under its key; else a new version of the failed answer.
   */
  async function retry(): Promise<void> {
    const again = failure.value?.retry;
    if (again?.kind === 'loadEarlier') await reading.loadEarlier();
    else if (again) await ask({ kind: 'regenerate', answerId: again.answerId }, again.key);
    else await regenerate();
  }

  function dismissFailure(): void {
    failure.value = undefined;
  }

  /** The open conversation as the API shapes it, as it reads (the versions shown), for export. */
  function snapshot(): Conversation {
    const sent = messages.value.filter((message) => !message.unsent);
    return {
      conversationId: conversationId.value ?? '',
      title: title.value,
      createdAt: sent[0]?.timestamp ?? '',
      updatedAt: sent.at(-1)?.timestamp ?? '',
      fileIds: [...fileIds.value],
      messages: sent.map(({ streaming: _streaming, unsent: _unsent, reconnecting: _reconnecting, ...message }) => message),
    };
  }

  useSessionStore().onSignOut(reading.clear);
  state.all.value = unsent.unsentOf(NEW_CHAT);
  unsent.showOnSignIn();

  const { clear, open, reload, loadEarlier, loadAll } = reading;
  const { retryUnsent, editUnsent } = unsent;
  const { versionsOf, showVersion } = versions;
  return {
    conversationId, title, fileIds, messages, omitted, loadingEarlier, loading, notFound, failure, loadFailure, streaming, lastContext, canRegenerate,
    clear, open, reload, loadEarlier, loadAll, send, stop, regenerate, retry, retryUnsent, editUnsent, dismissFailure, versionsOf, showVersion, snapshot,
  };
});
