import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { ApiError, type SendMessage } from '../api/client';
import type { ChatEvent, ContextReport, Conversation, Message } from '../api/types';
import { threadView, type VersionInfo } from '../lib/answer-versions';
import { REFUSAL_CODES } from '../lib/errors';
import { canRetry, NEW_CHAT, unsentQuestionsOf, type UnsentQuestion, type UnsentReason } from '../lib/unsent-questions';
import { AnswerFollower } from './answer-follower';
import { useComposerStore } from './composer';
import { useConversationsStore } from './conversations';
import { useFilesStore } from './files';
import { useSessionStore } from './session';
import { stopUntilHeard } from './stop-request';

/** A question that did not reach the server: why, and the key a Retry sends it again under. */
export interface Unsent extends UnsentReason {
  key: string;
}

/** A message as the thread shows it: while streaming, with what the answer reported, or unsent. */
export interface ThreadMessage extends Message {
  streaming?: boolean;
  context?: ContextReport;
  /**
   * A question the server never got (unreachable, 5xx, no answer in time): Retry or Edit it; or
   * refused for what it is (too long, a file gone): Edit only (see `canRetry`).
   */
  unsent?: Unsent;
  /** The connection broke while the answer streamed, and is being picked up again (the answer goes on). */
  reconnecting?: boolean;
}

export interface Failure {
  code: string;
  message: string;
  /** From `Retry-After`, and when it arrived (ms). */
  retryAfterSeconds?: number;
  receivedAt?: number;
  /**
   * What Retry does instead of a new version of the latest answer: a Regenerate that did not go,
   * sent again under the same idempotency key (never answered twice); or a read of the earlier
   * messages that failed, read again (nothing is sent, nothing is billed).
   */
  retry?: { kind: 'regenerate'; key: string; answerId: string } | { kind: 'loadEarlier' };
  /** A refusal (spent budget, too many messages): nothing was sent, and Retry at once would be refused again. */
  refused?: boolean;
  /**
   * A refused new question (sent, or retried): its words and files are back in the composer.
   * Not for a refused Regenerate: its question is still in the thread.
   */
  unsent?: { text: string; fileIds: string[] };
}

/** Why the open conversation could not be read (not a 404: that is `notFound`). */
export interface LoadFailure {
  /** The HTTP status, 0 when the server could not be reached. */
  status: number;
  code: string;
  message: string;
}

/** A send that has had no `meta` in this long went nowhere: its question is kept as unsent. */
export const META_TIMEOUT_MS = 60_000;

/** How a stream ends when the answer was stopped (here, or in another tab): shown as stopped, not as a failure. */
const ANSWER_STOPPED = 'ANSWER_STOPPED';
/** How a resumed stream ends when the server writing the answer died: what it stored is read from the conversation. */
const STREAM_ABANDONED = 'STREAM_ABANDONED';

const NO_RESPONSE = new ApiError(0, 'NO_RESPONSE', 'The server did not answer in time. Try again.');

/** What goes out: a new question, or a new version of the latest answer. */
type Asking = { kind: 'new'; text: string; fileIds: string[] } | { kind: 'regenerate'; answerId: string };

/** Ids the thread gives what the server has not named yet. */
const isLocal = (id: string) => id.startsWith('local-');

/**
 * The open conversation: its messages, the answer streaming into it, Stop, Regenerate and Retry.
 * A question that fails to go (server unreachable, 5xx, no answer in time) stays in the thread
 * as unsent, with Retry and Edit, also across a reload; a refused one (spending control) goes back
 * to the composer with its files; a stopped or failed answer keeps what arrived. An answer whose
 * connection breaks is picked up again where it broke (see AnswerFollower); only Stop stops it.
 * Regenerate puts the new answer where the old one was and keeps the old one as a previous version.
 */
export const useThreadStore = defineStore('thread', () => {
  const conversationId = ref<string>();
  const title = ref('');
  const fileIds = ref<string[]>([]);
  /** Everything loaded: previous versions of answers and unsent questions included. */
  const all = ref<ThreadMessage[]>([]);
  /** The version shown of each answer with several (first version's id → index), when not the newest. */
  const chosen = ref<Record<string, number>>({});
  const loading = ref(false);
  const notFound = ref(false);
  const failure = ref<Failure>();
  /** The conversation in the URL could not be read (server unreachable, 5xx): Reload tries again. */
  const loadFailure = ref<LoadFailure>();
  /** Older messages not loaded yet: the conversation was too long for one read. */
  const omitted = ref(0);
  const loadingEarlier = ref(false);
  /** The answer being streamed into the thread, if any: Stop stops it, leaving stops reading it. */
  let following: AnswerFollower | undefined;
  let opened = 0;
  let sequence = 0;
  /** Told when a new conversation gets its id (the view puts it in the URL), also on a Retry. */
  let announceStarted: ((conversationId: string) => void) | undefined;

  const view = computed(() => threadView(all.value, chosen.value));
  /** The thread as it reads: one version of each answer, where the first one stood. */
  const messages = computed(() => view.value.shown);
  const streaming = computed(() => all.value.some((message) => message.streaming));
  const lastContext = computed(() => [...messages.value].reverse().find((message) => message.context)?.context);
  const canRegenerate = computed(() => {
    const last = messages.value.at(-1);
    return !streaming.value && conversationId.value !== undefined && messages.value.length >= 2 && last?.role === 'assistant' && !isLocal(last.id);
  });

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

  function clear(): void {
    // Leaving the conversation stops reading the answer, not the answer: it is stored whole.
    following?.halt('leave');
    opened++;
    conversationId.value = undefined;
    title.value = '';
    fileIds.value = [];
    all.value = unsentOf(NEW_CHAT);
    chosen.value = {};
    notFound.value = false;
    failure.value = undefined;
    loadFailure.value = undefined;
    loading.value = false;
    omitted.value = 0;
    loadingEarlier.value = false;
  }

  /** Reads the messages just older than the oldest shown, and puts them before it. */
  async function loadEarlier(): Promise<void> {
    const id = conversationId.value;
    const oldest = all.value.find((message) => !message.unsent && !isLocal(message.id));
    if (!id || !oldest || omitted.value === 0 || loadingEarlier.value) return;
    const ticket = opened;
    loadingEarlier.value = true;
    if (failure.value?.retry?.kind === 'loadEarlier') failure.value = undefined;
    try {
      const page = await useSessionStore().client().getConversation(id, { before: oldest.id });
      if (ticket !== opened) return;
      all.value = [...page.messages, ...all.value];
      omitted.value = page.omittedMessages ?? 0;
    } catch (error) {
      // Retry reads them again: a new version of the latest answer would be no answer to this.
      if (ticket === opened) failure.value = { code: (error as ApiError).code ?? 'ERROR', message: (error as Error).message, retry: { kind: 'loadEarlier' } };
    } finally {
      if (ticket === opened) loadingEarlier.value = false;
    }
  }

  /** Every older message, page by page (an export is the whole conversation); false if a page failed. */
  async function loadAll(): Promise<boolean> {
    while (omitted.value > 0) {
      const before = omitted.value;
      await loadEarlier();
      if (omitted.value === before) return false;
    }
    return true;
  }

  async function open(id: string): Promise<void> {
    if (id === conversationId.value) return;
    clear();
    all.value = [];
    conversationId.value = id;
    await load(id);
  }

  /** Reads the conversation again after a failed load; the failure stays on screen until it is read. */
  async function reload(): Promise<void> {
    const id = conversationId.value;
    if (!id || !loadFailure.value || loading.value) return;
    await load(id);
  }

  async function load(id: string): Promise<void> {
    const ticket = opened;
    loading.value = true;
    try {
      const conversation: Conversation = await useSessionStore().client().getConversation(id);
      if (ticket !== opened) return; // another conversation was opened meanwhile
      title.value = conversation.title;
      fileIds.value = conversation.fileIds;
      all.value = [...conversation.messages, ...unsentOf(id)];
      omitted.value = conversation.omittedMessages ?? 0;
      loadFailure.value = undefined;
    } catch (error) {
      if (ticket !== opened) return;
      const apiError = error instanceof ApiError ? error : new ApiError(0, 'NETWORK_ERROR', (error as Error).message);
      if (apiError.status === 404) {
        notFound.value = true;
        loadFailure.value = undefined;
      } else loadFailure.value = { status: apiError.status, code: apiError.code, message: apiError.message };
    } finally {
      if (ticket === opened) loading.value = false;
    }
  }

  /**
   * An answer could not be followed to its end: the conversation is read again, so that the thread
   * shows what the server stored of it (its writer may have gone on without this page, or died
   * after storing part). Not stored (yet), the thread keeps what arrived, with its failure; not
   * read (the network down), it is read again once the network is back.
   */
  async function showStored(answerId: string): Promise<void> {
    const id = conversationId.value;
    if (!id) return;
    const ticket = opened;
    try {
      const conversation = await useSessionStore().client().getConversation(id);
      if (ticket !== opened || streaming.value) return;
      const stored = conversation.messages.find((message) => message.id === answerId);
      if (!stored) return;
      title.value = conversation.title;
      fileIds.value = conversation.fileIds;
      all.value = [...conversation.messages, ...unsentOf(id)];
      omitted.value = conversation.omittedMessages ?? 0;
      // Stored whole (or as stopped) after all: the break cost nothing.
      if (stored.stopReason !== 'error') failure.value = undefined;
    } catch {
      if (ticket === opened && typeof window !== 'undefined') window.addEventListener('online', () => void showStored(answerId), { once: true });
    }
  }

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
    if (onStarted) announceStarted = onStarted;
    return ask({ kind: 'new', text, fileIds: attachFileIds }, idempotencyKey);
  }

  async function ask(asking: Asking, idempotencyKey: string): Promise<string | undefined> {
    // Not into a conversation that could not be read: the view disables the composer meanwhile.
    if (streaming.value || notFound.value || loadFailure.value) return conversationId.value;
    if (asking.kind === 'new' && asking.text.trim() === '' && asking.fileIds.length === 0) return conversationId.value;
    if (asking.kind === 'regenerate' && conversationId.value === undefined) return undefined;
    failure.value = undefined;
    const now = new Date().toISOString();
    const stamp = `${Date.now()}-${++sequence}`;
    let questionId = `local-q-${stamp}`;
    let answerId = `local-a-${stamp}`;
    if (asking.kind === 'new') {
      const attached = asking.fileIds.length > 0 ? { fileIds: asking.fileIds } : {};
      all.value.push({ id: questionId, role: 'user', content: asking.text, timestamp: now, ...attached });
    } else {
      // The new version streams where the old one stands: the newest version is the one shown.
      const { [rootOf(asking.answerId)]: _shown, ...others } = chosen.value;
      chosen.value = others;
    }
    all.value.push({ id: answerId, role: 'assistant', content: '', timestamp: now, streaming: true, ...(asking.kind === 'regenerate' && { replaces: asking.answerId }) });
    // The reactive copies, found by id: changes to the plain objects above would not be seen.
    const live = () => all.value.find((message) => message.id === answerId);
    const asked = () => all.value.find((message) => message.id === questionId);
    const ticket = opened;
    let started = false;
    /** Not followed to its end (lost, or its writer died): what the server stored is read once following ends. */
    let abandoned = false;
    /** An event of the answer's stream, into the thread (the follower has dropped the ones seen before). */
    const apply = (event: ChatEvent): void => {
      switch (event.type) {
        case 'meta': {
          started = true;
          clearTimeout(timer);
          const question = asked();
          if (question) question.id = event.userMessageId;
          questionId = event.userMessageId;
          const answer = live();
          if (answer && event.answerMessageId) answer.id = event.answerMessageId;
          answerId = answer?.id ?? answerId;
          const isNew = conversationId.value === undefined;
          conversationId.value = event.conversationId;
          title.value = event.title;
          if (asking.kind === 'new') for (const id of asking.fileIds) if (!fileIds.value.includes(id)) fileIds.value.push(id);
          useConversationsStore().upsert({ conversationId: event.conversationId, title: event.title, createdAt: now, updatedAt: now });
          if (isNew) {
            // Questions that failed in this new chat belong to the conversation it has become.
            kept()?.move(NEW_CHAT, event.conversationId);
            announceStarted?.(event.conversationId);
          }
          break;
        }
        case 'delta': {
          const message = live();
          if (message) message.content += event.text;
          break;
        }
        case 'done': {
          const message = live();
          Object.assign(message ?? {}, { id: event.messageId, usage: event.usage, stopReason: event.stopReason, context: event.context, streaming: false });
          answerId = event.messageId;
          break;
        }
        case 'title': {
          // Written by a small model after a new conversation's first answer: the sidebar and the tab follow.
          title.value = event.title;
          const id = conversationId.value;
          if (id) useConversationsStore().upsert({ conversationId: id, title: event.title, createdAt: now, updatedAt: now });
          break;
        }
        case 'error': {
          const message = live();
          if (event.messageId) answerId = event.messageId;
          // Stopped from elsewhere (another tab, another device): stopped, as this tab's Stop shows it, not failed.
          if (event.code === ANSWER_STOPPED) {
            Object.assign(message ?? {}, { streaming: false, stopReason: 'aborted', ...(event.messageId && { id: event.messageId }) });
            break;
          }
          Object.assign(message ?? {}, { streaming: false, stopReason: 'error', error: { code: event.code, message: event.message }, ...(event.messageId && { id: event.messageId }) });
          failure.value = { code: event.code, message: event.message };
          if (event.code === STREAM_ABANDONED) abandoned = true;
          break;
        }
      }
    };
    const client = useSessionStore().client();
    const follower = new AnswerFollower({
      apply: (event) => {
        if (ticket === opened) apply(event);
      },
      reconnecting: (yes) => {
        const message = live();
        if (message && ticket === opened) message.reconnecting = yes || undefined;
      },
      // Told again until the server hears it: pressed while the network is down, a Stop is not lost.
      requestStop: (id) => void stopUntilHeard({ send: () => client.stopChat(id), ended: () => follower.ended }),
      // Shown stopped at once; what the server wrote before it heard of the Stop still comes in.
      stopping: () => {
        const message = live();
        if (message && ticket === opened) Object.assign(message, { streaming: false, stopReason: 'aborted', reconnecting: undefined });
      },
    });
    following = follower;
    const timer = setTimeout(() => follower.halt('timeout'), META_TIMEOUT_MS);
    const request: SendMessage =
      asking.kind === 'new'
        ? { message: asking.text, ...(conversationId.value && { conversationId: conversationId.value }), ...(asking.fileIds.length > 0 && { fileIds: asking.fileIds }) }
        : { conversationId: conversationId.value!, regenerate: { messageId: asking.answerId } };
    try {
      const outcome = await follower.follow(
        (signal) => client.chat(request, { signal, idempotencyKey }),
        (id, afterId, signal) => client.resumeChat(id, afterId, { signal }),
      );
      // Stopped by the user or left: what arrived is kept (below). Stopped by the wait for `meta`: a failure.
      const lost = outcome.kind === 'lost' ? outcome.error : outcome.kind === 'halted' && outcome.halt === 'timeout' ? NO_RESPONSE : undefined;
      if (lost !== undefined && ticket === opened) {
        const apiError = lost instanceof ApiError ? lost : new ApiError(0, 'NETWORK_ERROR', 'The connection was lost. Try again.');
        if (started) {
          // The question is stored and the answer had begun, but could not be followed to its end:
          // Retry asks for a new version of it.
          failure.value = { code: apiError.code, message: apiError.message, receivedAt: Date.now() };
          const message = live();
          if (message) Object.assign(message, { streaming: false, stopReason: 'error', error: { code: apiError.code, message: apiError.message } });
          abandoned = true;
        } else {
          all.value = all.value.filter((message) => message.id !== answerId);
          notSent(asking, apiError, idempotencyKey, questionId);
        }
      }
    } finally {
      clearTimeout(timer);
      const message = live();
      if (message?.streaming) Object.assign(message, { streaming: false, stopReason: message.stopReason ?? 'aborted' });
      if (following === follower) following = undefined;
    }
    if (abandoned && ticket === opened) await showStored(answerId);
    return conversationId.value;
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
      failure.value = { ...base, ...(refused ? { refused: true } : { retry: { kind: 'regenerate', key, answerId: asking.answerId } }) };
      return;
    }
    if (refused) {
      all.value = all.value.filter((message) => message.id !== questionId);
      failure.value = { ...base, refused: true, unsent: { text: asking.text, fileIds: asking.fileIds } };
      useComposerStore().giveBack(asking.text);
      useFilesStore().restoreIds(asking.fileIds);
      return;
    }
    const question = all.value.find((message) => message.id === questionId);
    if (!question) return;
    const reason: UnsentReason = { code: error.code, message: error.message, status: error.status };
    // A bubble id of its own: `local-` ids are for what is on its way.
    question.id = `unsent-${crypto.randomUUID()}`;
    question.unsent = { ...reason, key };
    const entry: UnsentQuestion = { id: question.id, text: asking.text, fileIds: asking.fileIds, key, timestamp: question.timestamp, reason };
    kept()?.keep(conversationId.value ?? NEW_CHAT, entry);
  }

  /** Takes an unsent question out of the thread and out of what this browser keeps. */
  function takeUnsent(id: string): ThreadMessage | undefined {
    const question = all.value.find((message) => message.id === id && message.unsent);
    if (!question) return undefined;
    all.value = all.value.filter((message) => message !== question);
    kept()?.forget(conversationId.value ?? NEW_CHAT, id);
    return question;
  }

  /** Sends an unsent question again, under the key it first went with: never answered twice. */
  async function retryUnsent(id: string): Promise<void> {
    if (streaming.value) return;
    // Refused for what it is, it would be refused again: only Edit helps.
    const unsent = all.value.find((message) => message.id === id)?.unsent;
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

  /** Stops the answer: the server stops the model and keeps what was streamed, and so does the thread. */
  function stop(): void {
    following?.stop();
  }

  /** A new version of the latest answer, streamed in its place; the old one stays as a previous version. */
  async function regenerate(): Promise<void> {
    const last = messages.value.at(-1);
    if (!last || !canRegenerate.value) return;
    // Whichever version is on screen, the server replaces the newest: it is "the" answer.
    const newest = view.value.groups.get(rootOf(last.id))?.at(-1) ?? last;
    if (isLocal(newest.id)) return;
    await ask({ kind: 'regenerate', answerId: newest.id }, crypto.randomUUID());
  }

  /**
   * After a failure: the earlier messages that could not be read, read again; the Regenerate that
   * did not go, again under its key; else a new version of the failed answer.
   */
  async function retry(): Promise<void> {
    const again = failure.value?.retry;
    if (again?.kind === 'loadEarlier') await loadEarlier();
    else if (again) await ask({ kind: 'regenerate', answerId: again.answerId }, again.key);
    else await regenerate();
  }

  function dismissFailure(): void {
    failure.value = undefined;
  }

  /** The first version's id of an answer, shown or not. */
  function rootOf(answerId: string): string {
    for (const [root, group] of view.value.groups) if (group.some((version) => version.id === answerId)) return root;
    return answerId;
  }

  /** Where an answer stands among its versions, when it has several. */
  function versionsOf(id: string): VersionInfo | undefined {
    return view.value.versions.get(id);
  }

  /** Shows the previous (-1) or next (+1) version of an answer. */
  function showVersion(id: string, step: -1 | 1): void {
    const info = view.value.versions.get(id);
    if (!info) return;
    const index = info.position - 1 + step;
    if (index < 0 || index >= info.count) return;
    chosen.value = { ...chosen.value, [info.root]: index };
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

  const session = useSessionStore();
  session.onSignOut(clear);
  all.value = unsentOf(NEW_CHAT);
  // Signed in within this page (after a session ended, say): the new chat shows the questions this
  // user left unsent in it, as a reload would. A conversation being opened brings its own.
  watch(
    () => session.user?.email ?? session.user?.name,
    (signedIn) => {
      if (signedIn === undefined || conversationId.value !== undefined || streaming.value) return;
      all.value = [...all.value.filter((message) => !message.unsent), ...unsentOf(NEW_CHAT)];
    },
  );

  return {
    conversationId, title, fileIds, messages, omitted, loadingEarlier, loading, notFound, failure, loadFailure, streaming, lastContext, canRegenerate,
    clear, open, reload, loadEarlier, loadAll, send, stop, regenerate, retry, retryUnsent, editUnsent, dismissFailure, versionsOf, showVersion, snapshot,
  };
});
