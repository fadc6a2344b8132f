import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { ApiError } from '../api/client';
import type { ContextReport, Conversation, Message } from '../api/types';
import { REFUSAL_CODES } from '../lib/errors';
import { useComposerStore } from './composer';
import { useConversationsStore } from './conversations';
import { useFilesStore } from './files';
import { useSessionStore } from './session';

/** A message as the thread shows it: while streaming, and with what the answer reported. */
export interface ThreadMessage extends Message {
  streaming?: boolean;
  context?: ContextReport;
}

export interface Failure {
  code: string;
  message: string;
  /** From `Retry-After`, and when it arrived (ms). */
  retryAfterSeconds?: number;
  receivedAt?: number;
  /**
   * What to send again on Retry, under the same idempotency key: never answered twice.
   * `regenerate`: it asked the last question again, rather than a new one.
   */
  retry?: { text: string; fileIds: string[]; key: string; regenerate?: boolean };
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

/** How a question goes out: a new one (its words go back to the composer if refused), or the last one again. */
type Asking = 'new' | 'regenerate';

/**
 * The open conversation: its messages, the answer streaming into it, Stop, Regenerate and Retry.
 * A failed send keeps the user's words for Retry; a refused one (spending control) puts them and
 * their files back in the composer; a stopped or failed answer keeps what arrived.
 */
export const useThreadStore = defineStore('thread', () => {
  const conversationId = ref<string>();
  const title = ref('');
  const fileIds = ref<string[]>([]);
  const messages = ref<ThreadMessage[]>([]);
  const loading = ref(false);
  const notFound = ref(false);
  const failure = ref<Failure>();
  /** The conversation in the URL could not be read (server unreachable, 5xx): Reload tries again. */
  const loadFailure = ref<LoadFailure>();
  /** Older messages not loaded yet: the conversation was too long for one read. */
  const omitted = ref(0);
  const loadingEarlier = ref(false);
  let controller: AbortController | undefined;
  let opened = 0;

  const streaming = computed(() => messages.value.some((message) => message.streaming));
  const lastContext = computed(() => [...messages.value].reverse().find((message) => message.context)?.context);
  const canRegenerate = computed(
    () => !streaming.value && messages.value.length >= 2 && messages.value.at(-1)?.role === 'assistant',
  );

  function clear(): void {
    stop();
    opened++;
    conversationId.value = undefined;
    title.value = '';
    fileIds.value = [];
    messages.value = [];
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
    const oldest = messages.value[0];
    if (!id || !oldest || omitted.value === 0 || loadingEarlier.value) return;
    const ticket = opened;
    loadingEarlier.value = true;
    try {
      const page = await useSessionStore().client().getConversation(id, { before: oldest.id });
      if (ticket !== opened) return;
      messages.value = [...page.messages, ...messages.value];
      omitted.value = page.omittedMessages ?? 0;
    } catch (error) {
      if (ticket === opened) failure.value = { code: (error as ApiError).code ?? 'ERROR', message: (error as Error).message };
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
      messages.value = conversation.messages;
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
   * Sends a message and streams the answer into the thread. `onStarted` hears the id of a new
   * conversation as soon as the server gives it (the view puts it in the URL).
   */
  async function send(
    text: string,
    attachFileIds: string[] = [],
    onStarted?: (conversationId: string) => void,
    idempotencyKey: string = crypto.randomUUID(),
  ): Promise<string | undefined> {
    return ask(text, attachFileIds, onStarted, idempotencyKey, 'new');
  }

  async function ask(
    text: string,
    attachFileIds: string[],
    onStarted: ((conversationId: string) => void) | undefined,
    idempotencyKey: string,
    asking: Asking,
  ): Promise<string | undefined> {
    // Not into a conversation that could not be read: the view disables the composer meanwhile.
    if (streaming.value || text.trim() === '' || notFound.value || loadFailure.value) return conversationId.value;
    failure.value = undefined;
    const now = new Date().toISOString();
    const question: ThreadMessage = { id: `local-q-${Date.now()}`, role: 'user', content: text, timestamp: now, ...(attachFileIds.length > 0 && { fileIds: attachFileIds }) };
    const answer: ThreadMessage = { id: `local-a-${Date.now()}`, role: 'assistant', content: '', timestamp: now, streaming: true };
    messages.value.push(question, answer);
    // The reactive copies, found by id: changes to the plain objects above would not be seen.
    const live = () => messages.value.find((message) => message.id === answer.id);
    const asked = () => messages.value.find((message) => message.id === questionId);
    let questionId = question.id;
    const ticket = opened;
    controller = new AbortController();
    let started = false;
    try {
      const events = useSessionStore().client().chat(
        { message: text, ...(conversationId.value && { conversationId: conversationId.value }), ...(attachFileIds.length > 0 && { fileIds: attachFileIds }) },
        { signal: controller.signal, idempotencyKey },
      );
      for await (const event of events) {
        if (ticket !== opened) break;
        switch (event.type) {
          case 'meta': {
            started = true;
            const sent = asked();
            if (sent) sent.id = event.userMessageId;
            questionId = event.userMessageId;
            const isNew = conversationId.value === undefined;
            conversationId.value = event.conversationId;
            title.value = event.title;
            for (const id of attachFileIds) if (!fileIds.value.includes(id)) fileIds.value.push(id);
            useConversationsStore().upsert({ conversationId: event.conversationId, title: event.title, createdAt: now, updatedAt: now });
            if (isNew) onStarted?.(event.conversationId);
            break;
          }
          case 'delta': {
            const message = live();
            if (message) message.content += event.text;
            break;
          }
          case 'done':
            Object.assign(live() ?? {}, { id: event.messageId, usage: event.usage, stopReason: event.stopReason, context: event.context, streaming: false });
            break;
          case 'error':
            Object.assign(live() ?? {}, { streaming: false, stopReason: 'error', error: { code: event.code, message: event.message }, ...(event.messageId && { id: event.messageId }) });
            failure.value = { code: event.code, message: event.message };
            break;
        }
      }
    } catch (error) {
      const aborted = (error as Error).name === 'AbortError';
      if (!aborted && ticket === opened) {
        if (!started) messages.value = messages.value.filter((message) => message.id !== questionId && message.id !== answer.id);
        const apiError = error instanceof ApiError ? error : new ApiError(0, 'NETWORK_ERROR', 'The connection was lost. Try again.');
        const refused = !started && REFUSAL_CODES.has(apiError.code);
        const givenBack = refused && asking === 'new';
        failure.value = {
          code: apiError.code,
          message: apiError.message,
          receivedAt: Date.now(),
          ...(apiError.retryAfterSeconds !== undefined && { retryAfterSeconds: apiError.retryAfterSeconds }),
          ...(refused && { refused: true }),
          ...(givenBack && { unsent: { text, fileIds: attachFileIds } }),
          ...(!started && !refused && { retry: { text, fileIds: attachFileIds, key: idempotencyKey, ...(asking === 'regenerate' && { regenerate: true }) } }),
        };
        // Nothing was sent: the words and files go back where they are typed, whoever sent them
        // (the composer, or Retry after a lost connection), so that the question is never lost.
        if (givenBack) {
          useComposerStore().giveBack(text);
          useFilesStore().restoreIds(attachFileIds);
        }
        const message = live();
        if (message) Object.assign(message, { streaming: false, stopReason: 'error', error: { code: apiError.code, message: apiError.message } });
      }
    } finally {
      const message = live();
      if (message?.streaming) Object.assign(message, { streaming: false, stopReason: message.stopReason ?? 'aborted' });
      controller = undefined;
    }
    return conversationId.value;
  }

  /** Stops the answer: the server stops the model and keeps what was streamed, and so does the thread. */
  function stop(): void {
    controller?.abort();
  }

  /** Asks the last question again, for a new answer. */
  async function regenerate(): Promise<void> {
    const question = [...messages.value].reverse().find((message) => message.role === 'user');
    if (question && canRegenerate.value) await ask(question.content, [], undefined, crypto.randomUUID(), 'regenerate');
  }

  /** Sends again what failed to go (same idempotency key); refused now, a new question goes back to the composer. */
  async function retry(): Promise<void> {
    const again = failure.value?.retry;
    if (again) await ask(again.text, again.fileIds, undefined, again.key, again.regenerate ? 'regenerate' : 'new');
    else await regenerate();
  }

  function dismissFailure(): void {
    failure.value = undefined;
  }

  /** The open conversation as the API shapes it, for export. */
  function snapshot(): Conversation {
    return {
      conversationId: conversationId.value ?? '',
      title: title.value,
      createdAt: messages.value[0]?.timestamp ?? '',
      updatedAt: messages.value.at(-1)?.timestamp ?? '',
      fileIds: [...fileIds.value],
      messages: messages.value.map(({ streaming: _streaming, ...message }) => message),
    };
  }

  useSessionStore().onSignOut(clear);

  return {
    conversationId, title, fileIds, messages, omitted, loadingEarlier, loading, notFound, failure, loadFailure, streaming, lastContext, canRegenerate,
    clear, open, reload, loadEarlier, loadAll, send, stop, regenerate, retry, dismissFailure, snapshot,
  };
});
