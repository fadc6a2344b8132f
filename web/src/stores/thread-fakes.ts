import type { ApiClient, SendMessage } from '../api/client';
import type { ChatEvent, Conversation } from '../api/types';
import { useSessionStore } from './session';

/** What the thread asked the API: the body and the idempotency key of each `POST /chat`. */
export interface ChatCall {
  body: SendMessage;
  key: string | undefined;
}

export type ChatScript = (call: ChatCall, signal: AbortSignal | undefined) => AsyncGenerator<ChatEvent>;

/**
 * The session's API client for the thread store's tests: `POST /chat` plays one script per call
 * (the last one again once they run out), `GET /conversations/{id}` serves the given conversation.
 */
export function fakeApi(scripts: ChatScript[], conversation?: Conversation) {
  const calls: ChatCall[] = [];
  const client = {
    chat: (body: SendMessage, options: { signal?: AbortSignal; idempotencyKey?: string } = {}) => {
      const call = { body: JSON.parse(JSON.stringify(body)) as SendMessage, key: options.idempotencyKey };
      calls.push(call);
      return scripts[Math.min(calls.length - 1, scripts.length - 1)]!(call, options.signal);
    },
    getConversation: async () => {
      if (!conversation) throw new Error('no conversation to read');
      return structuredClone(conversation);
    },
  } as unknown as ApiClient;
  useSessionStore().client = () => client;
  return { calls };
}

export const meta = (extra: Partial<Extract<ChatEvent, { type: 'meta' }>> = {}): ChatEvent => ({
  type: 'meta',
  conversationId: 'c1',
  userMessageId: 'u1',
  answerMessageId: 'a1',
  title: 'Hello',
  ...extra,
});

export const done = (messageId = 'a1'): ChatEvent => ({
  type: 'done',
  messageId,
  stopReason: 'end_turn',
  usage: { inputTokens: 10, outputTokens: 2 },
  context: { estimatedInputTokens: 10, contextWindowTokens: 200_000, maxOutputTokens: 4000, includedMessages: 1, droppedMessages: 0, truncatedFileIds: [] },
});

/** A script that answers `text` under the given ids. */
export function answers(text: string, ids: { userMessageId?: string; answerMessageId?: string; conversationId?: string } = {}): ChatScript {
  return async function* () {
    yield meta(ids);
    yield { type: 'delta', text };
    yield done(ids.answerMessageId ?? 'a1');
  };
}

/** A script that fails before anything is sent back. */
export function fails(error: Error): ChatScript {
  // eslint-disable-next-line require-yield
  return async function* () {
    throw error;
  };
}
