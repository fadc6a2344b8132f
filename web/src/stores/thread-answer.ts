import type { ApiError } from '../api/client';
import type { ChatEvent } from '../api/types';
import { useConversationsStore } from './conversations';
import type { ThreadState } from './thread-state';
import type { Asking } from './thread-types';

/** How a stream ends when the answer was stopped (here, or in another tab): shown as stopped, not as a failure. */
const ANSWER_STOPPED = 'ANSWER_STOPPED';
/** How a resumed stream ends when the server writing the answer died: what it stored is read from the conversation. */
const STREAM_ABANDONED = 'STREAM_ABANDONED';

export interface ThreadAnswerHooks {
  /** `meta` arrived: the question is stored, the wait for it is over. */
  started(): void;
  /** A new chat got its id from `meta`: what is kept for the new chat moves to it. */
  named(conversationId: string): void;
}

/**
 * One answer as it streams into the thread: each event of its stream applied to its bubble (and
 * its question's), found by id, since `meta` and `done` rename them. Its stream is another's
 * after the user sends again (a stopped answer's last words may still come): it touches only its
 * own bubbles, so two streams never write into one answer.
 */
export class ThreadAnswer {
  /** `meta` arrived: the question is stored and the answer named. */
  started = false;
  /** Not followed to its end (lost, or its writer died): what the server stored is read once following ends. */
  abandoned = false;

  constructor(
    private readonly state: ThreadState,
    private readonly asking: Asking,
    /** When it was asked (ISO 8601): the time the sidebar shows until the conversation is read again. */
    private readonly now: string,
    public questionId: string,
    public answerId: string,
    private readonly hooks: ThreadAnswerHooks,
  ) {}

  /** The reactive copy of the answer, found by id: changes to a plain object pushed earlier would not be seen. */
  live() {
    return this.state.all.value.find((message) => message.id === this.answerId);
  }

  /** The reactive copy of its question. */
  private asked() {
    return this.state.all.value.find((message) => message.id === this.questionId);
  }

  /** An event of the answer's stream, into the thread (the follower has dropped the ones seen before). */
  apply(event: ChatEvent): void {
    const { state } = this;
    switch (event.type) {
      case 'meta': {
        this.started = true;
        this.hooks.started();
        const question = this.asked();
        if (question) question.id = event.userMessageId;
        this.questionId = event.userMessageId;
        const answer = this.live();
        if (answer && event.answerMessageId) answer.id = event.answerMessageId;
        this.answerId = answer?.id ?? this.answerId;
        const isNew = state.conversationId.value === undefined;
        state.conversationId.value = event.conversationId;
        state.title.value = event.title;
        if (this.asking.kind === 'new') for (const id of this.asking.fileIds) if (!state.fileIds.value.includes(id)) state.fileIds.value.push(id);
        useConversationsStore().upsert({ conversationId: event.conversationId, title: event.title, createdAt: this.now, updatedAt: this.now });
        if (isNew) {
          this.hooks.named(event.conversationId);
          state.announceStarted?.(event.conversationId);
        }
        break;
      }
      case 'delta': {
        const message = this.live();
        if (message) message.content += event.text;
        break;
      }
      case 'done': {
        const message = this.live();
        Object.assign(message ?? {}, { id: event.messageId, usage: event.usage, stopReason: event.stopReason, context: event.context, streaming: false });
        this.answerId = event.messageId;
        break;
      }
      case 'title': {
        // Written by a small model after a new conversation's first answer: the sidebar and the tab follow.
        state.title.value = event.title;
        const id = state.conversationId.value;
        if (id) useConversationsStore().upsert({ conversationId: id, title: event.title, createdAt: this.now, updatedAt: this.now });
        break;
      }
      case 'error': {
        const message = this.live();
        if (event.messageId) this.answerId = event.messageId;
        // Stopped from elsewhere (another tab, another device): stopped, as this tab's Stop shows it, not failed.
        if (event.code === ANSWER_STOPPED) {
          Object.assign(message ?? {}, { streaming: false, stopReason: 'aborted', ...(event.messageId && { id: event.messageId }) });
          break;
        }
        Object.assign(message ?? {}, { streaming: false, stopReason: 'error', error: { code: event.code, message: event.message }, ...(event.messageId && { id: event.messageId }) });
        state.failure.value = { code: event.code, message: event.message };
        if (event.code === STREAM_ABANDONED) this.abandoned = true;
        break;
      }
    }
  }

  /** The connection broke and is being picked up again (true), or flows again (false). */
  reconnecting(yes: boolean): void {
    const message = this.live();
    if (message) message.reconnecting = yes || undefined;
  }

  /** Shown stopped at once; what the server wrote before it heard of the Stop still comes in. */
  stopping(): void {
    const message = this.live();
    if (message) Object.assign(message, { streaming: false, stopReason: 'aborted', reconnecting: undefined });
  }

  /**
   * The question is stored and the answer had begun, but could not be followed to its end: shown
   * failed (Retry asks for a new version of it), and what the server stored is read afterwards.
   */
  lost(error: ApiError): void {
    this.state.failure.value = { code: error.code, message: error.message, receivedAt: Date.now() };
    const message = this.live();
    if (message) Object.assign(message, { streaming: false, stopReason: 'error', error: { code: error.code, message: error.message } });
    this.abandoned = true;
  }

  /** Nothing reached the server: the answer's bubble goes (its question is dealt with as unsent). */
  remove(): void {
    this.state.all.value = this.state.all.value.filter((message) => message.id !== this.answerId);
  }

  /** Following is over: an answer still shown streaming (stopped before `meta`, or left) is shown stopped. */
  end(): void {
    const message = this.live();
    if (message?.streaming) Object.assign(message, { streaming: false, stopReason: message.stopReason ?? 'aborted' });
  }
}
