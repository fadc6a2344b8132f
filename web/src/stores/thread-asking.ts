import { ApiError, type SendMessage } from '../api/client';
import { AnswerFollower } from './answer-follower';
import { useSessionStore } from './session';
import { stopUntilHeard } from './stop-request';
import { ThreadAnswer, type ThreadAnswerHooks } from './thread-answer';
import type { ThreadState } from './thread-state';
import type { Asking } from './thread-types';

/** A send that has had no `meta` in this long went nowhere: its question is kept as unsent. */
export const META_TIMEOUT_MS = 60_000;

const NO_RESPONSE = new ApiError(0, 'NO_RESPONSE', 'The server did not answer in time. Try again.');

export interface AskingDeps {
  /** The first version's id of an answer, shown or not. */
  rootOf(answerId: string): string;
  /** Nothing reached the server: the question is kept unsent, or given back (see threadUnsent). */
  notSent(asking: Asking, error: ApiError, key: string, questionId: string): void;
  /** A new chat got its id: what is kept for the new chat moves to it. */
  moveNewChatTo(conversationId: string): void;
  /** Reads the conversation again, to show what the server stored of an answer not followed to its end. */
  showStored(answerId: string): Promise<void>;
}

/**
 * Sending: a new question, or a Regenerate, goes out under its idempotency key, and its answer is
 * streamed into the thread to its end, across broken connections (see AnswerFollower), until
 * Stop or leaving. Returns `ask`, which answers with the conversation's id.
 */
export function threadAsking(state: ThreadState, deps: AskingDeps) {
  let sequence = 0;

  /** The bubbles of what goes out: the question (none for a Regenerate) and its answer, streaming. */
  function place(asking: Asking, hooks: ThreadAnswerHooks): ThreadAnswer {
    const now = new Date().toISOString();
    const stamp = `${Date.now()}-${++sequence}`;
    const questionId = `local-q-${stamp}`;
    const answerId = `local-a-${stamp}`;
    if (asking.kind === 'new') {
      const attached = asking.fileIds.length > 0 ? { fileIds: asking.fileIds } : {};
      state.all.value.push({ id: questionId, role: 'user', content: asking.text, timestamp: now, ...attached });
    } else {
      // The new version streams where the old one stands: the newest version is the one shown.
      const { [deps.rootOf(asking.answerId)]: _shown, ...others } = state.chosen.value;
      state.chosen.value = others;
    }
    state.all.value.push({ id: answerId, role: 'assistant', content: '', timestamp: now, streaming: true, ...(asking.kind === 'regenerate' && { replaces: asking.answerId }) });
    return new ThreadAnswer(state, asking, now, questionId, answerId, hooks);
  }

  async function ask(asking: Asking, idempotencyKey: string): Promise<string | undefined> {
    // Not into a conversation that could not be read: the view disables the composer meanwhile.
    if (state.streaming.value || state.notFound.value || state.loadFailure.value) return state.conversationId.value;
    if (asking.kind === 'new' && asking.text.trim() === '' && asking.fileIds.length === 0) return state.conversationId.value;
    if (asking.kind === 'regenerate' && state.conversationId.value === undefined) return undefined;
    state.failure.value = undefined;
    // `started` comes with `meta`, once following has begun: `timer` (below) is set by then.
    const answer = place(asking, { started: () => clearTimeout(timer), named: (id) => deps.moveNewChatTo(id) });
    const ticket = state.opened;
    /** Whether the thread still shows the conversation this answer is in. */
    const here = () => ticket === state.opened;
    const client = useSessionStore().client();
    const follower = new AnswerFollower({
      apply: (event) => {
        if (here()) answer.apply(event);
      },
      reconnecting: (yes) => {
        if (here()) answer.reconnecting(yes);
      },
      // Told again until the server hears it: pressed while the network is down, a Stop is not lost.
      requestStop: (id) => void stopUntilHeard({ send: () => client.stopChat(id), ended: () => follower.ended }),
      stopping: () => {
        if (here()) answer.stopping();
      },
    });
    state.following = follower;
    // No `meta` in time: the question went nowhere.
    const timer = setTimeout(() => follower.halt('timeout'), META_TIMEOUT_MS);
    const request: SendMessage =
      asking.kind === 'new'
        ? { message: asking.text, ...(state.conversationId.value && { conversationId: state.conversationId.value }), ...(asking.fileIds.length > 0 && { fileIds: asking.fileIds }) }
        : { conversationId: state.conversationId.value!, regenerate: { messageId: asking.answerId } };
    try {
      const outcome = await follower.follow(
        (signal) => client.chat(request, { signal, idempotencyKey }),
        (id, afterId, signal) => client.resumeChat(id, afterId, { signal }),
      );
      // Stopped by the user or left: what arrived is kept (below). Stopped by the wait for `meta`: a failure.
      const lost = outcome.kind === 'lost' ? outcome.error : outcome.kind === 'halted' && outcome.halt === 'timeout' ? NO_RESPONSE : undefined;
      if (lost !== undefined && here()) {
        const apiError = lost instanceof ApiError ? lost : new ApiError(0, 'NETWORK_ERROR', 'The connection was lost. Try again.');
        if (answer.started) answer.lost(apiError);
        else {
          answer.remove();
          deps.notSent(asking, apiError, idempotencyKey, answer.questionId);
        }
      }
    } finally {
      clearTimeout(timer);
      answer.end();
      if (state.following === follower) state.following = undefined;
    }
    if (answer.abandoned && here()) await deps.showStored(answer.answerId);
    return state.conversationId.value;
  }

  return ask;
}
