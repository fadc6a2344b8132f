import type { ContextReport, Message, StopReason, TokenUsage } from './conversation.js';
import type { DomainError } from './errors.js';
import type { FileService } from './file-service.js';
import type { ChatModel } from './ports/chat-model.js';
import type { Clock } from './ports/clock.js';
import type { ConversationStore } from './ports/conversation-store.js';
import type { IdGenerator } from './ports/id-generator.js';
import type { RequestClaims } from './ports/request-claims.js';
import type { TitleWriter } from './title-writer.js';
import type { UsageService } from './usage-service.js';

/** What sending a message takes and gives: shared by ChatService and the idempotent replay. */

/** The usage of an answer the model reported none for (stopped, failed), or of a stored one that carries none. */
export const NO_USAGE: TokenUsage = { inputTokens: 0, outputTokens: 0 };

export interface ChatOptions {
  systemPrompt: string;
  maxMessageChars: number;
  maxFilesPerMessage: number;
}

export interface ChatDeps {
  conversations: ConversationStore;
  /** Idempotency keys: a retried request replays what its first try stored. */
  claims: RequestClaims;
  files: FileService;
  model: ChatModel;
  clock: Clock;
  ids: IdGenerator;
  /** Budgets and rate limits; without it every user may send anything, and nothing is counted. */
  usage?: UsageService;
  /** Names a new conversation after its first answer; without it the title is the question's first words. */
  titles?: TitleWriter;
  /** Told when an answer's usage could not be added to the ledger (the answer itself is kept). */
  onUsageNotRecorded?: (error: unknown, userId: string) => void;
}

export interface SendMessage {
  conversationId?: string;
  /** May be empty when files are attached: the files are the message. */
  message: string;
  fileIds?: string[];
  /** The client's key for this request: a retry with the same key replays instead of answering twice. */
  idempotencyKey?: string;
  /** Who sends it as people know them (name or email): what the admins' usage table shows. */
  senderName?: string;
}

/**
 * A new answer to the question the conversation's latest answer answered: no question is stored
 * again, and the new answer is stored as a new version of the old one (`replaces`).
 */
export interface RegenerateAnswer {
  conversationId: string;
  regenerate: { messageId: string };
  idempotencyKey?: string;
  senderName?: string;
}

/** What `POST /chat` asks: a new message, or a new answer to the last one. */
export type ChatRequest = SendMessage | RegenerateAnswer;

export const isRegenerate = (request: ChatRequest): request is RegenerateAnswer => 'regenerate' in request;

/**
 * What a send produces, in order: one `meta`, any number of `delta`, then one `done` or `error`;
 * after the `done` of a new conversation's first answer, a `title` when a model named it.
 */
export type ChatEvent =
  /** `answerMessageId`: the id the answer will be stored under, known before it is written (for a later Regenerate). */
  | { type: 'meta'; conversationId: string; userMessageId: string; answerMessageId: string; title: string }
  | { type: 'delta'; text: string }
  | { type: 'done'; message: Message & { usage: TokenUsage; stopReason: StopReason }; context: ContextReport; replayed?: true }
  | ChatFailure
  | { type: 'title'; title: string };

/**
 * The answer failed after `meta`: what was streamed is stored under `messageId`, marked with the
 * error's code and message. The error's `kind` says what sort of failure it was (the edge's status).
 */
export interface ChatFailure {
  type: 'error';
  error: DomainError;
  messageId: string;
  /**
   * Set when nothing described the failure (a bug, an outage): `error` stands in for what was
   * thrown, its `cause`, which is worth logging with its stack.
   */
  unforeseen?: true;
  replayed?: true;
}
