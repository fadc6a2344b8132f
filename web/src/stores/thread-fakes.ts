import { StreamNotFoundError, type ApiClient, type SendMessage } from '../api/client';
import type { StreamEvent } from '../api/sse';
import type { ChatEvent, Conversation } from '../api/types';
import { useSessionStore } from './session';

/** What the thread asked the API: the body and the idempotency key of each `POST /chat`. */
export interface ChatCall {
  body: SendMessage;
  key: string | undefined;
}

export type ChatScript = (call: ChatCall, signal: AbortSignal | undefined) => AsyncGenerator<StreamEvent>;

/** What a resume asked: the answer's stream, after which event. */
export interface ResumeCall {
  messageId: string;
  afterId: number;
}

export type ResumeScript = (call: ResumeCall, signal: AbortSignal | undefined) => AsyncGenerator<StreamEvent>;

/**
 * The session's API client for the thread store's tests: `POST /chat` plays one script per call
 * (the last one again once they run out), `GET /conversations/{id}` serves the given conversation,
 * `GET /chat/streams/{id}` plays one of `resumes` per call (then 404, as for a stream not kept),
 * and `POST /chat/streams/{id}/stop` is recorded.
 */
export function fakeApi(scripts: ChatScript[], conversation?: Conversation, resumes: ResumeScript[] = []) {
  const calls: ChatCall[] = [];
  const resumed: ResumeCall[] = [];
  const stopped: string[] = [];
  const client = {
    chat: (body: SendMessage, options: { signal?: AbortSignal; idempotencyKey?: string } = {}) => {
      const call = { body: JSON.parse(JSON.stringify(body)) as SendMessage, key: options.idempotencyKey };
      calls.push(call);
      return scripts[Math.min(calls.length - 1, scripts.length - 1)]!(call, options.signal);
    },
    resumeChat: (messageId: string, afterId: number, { signal }: { signal?: AbortSignal } = {}) => {
      const call = { messageId, afterId };
      resumed.push(call);
      return (resumes[resumed.length - 1] ?? notKept)(call, signal);
    },
    stopChat: async (messageId: string) => {
      stopped.push(messageId);
      return 'stopping';
    },
    getConversation: async () => {
      if (!conversation) throw new Error('no conversation to read');
      return structuredClone(conversation);
    },
  } as unknown as ApiClient;
  useSessionStore().client = () => client;
  return { calls, resumed, stopped };
}

// eslint-disable-next-line require-yield
async function* notKept(): AsyncGenerator<StreamEvent> {
  throw new StreamNotFoundError();
}

/** `event` as the server numbers it: its place in the answer's stream. */
export const numbered = (eventId: number, event: ChatEvent): StreamEvent => ({ ...event, eventId });

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
