import type { Message, StopReason, TokenUsage } from './conversation.js';
import type { FileService } from './file-service.js';
import type { ChatModel } from './ports/chat-model.js';
import type { Clock } from './ports/clock.js';
import type { ConversationStore } from './ports/conversation-store.js';
import type { IdGenerator } from './ports/id-generator.js';
import type { ContextReport } from './prompt/build-prompt.js';
import type { UsageService } from './usage-service.js';

/** What sending a message takes and gives: shared by ChatService and the idempotent replay. */

export interface ChatOptions {
  systemPrompt: string;
  maxMessageChars: number;
  maxFilesPerMessage: number;
}

export interface ChatDeps {
  conversations: ConversationStore;
  files: FileService;
  model: ChatModel;
  clock: Clock;
  ids: IdGenerator;
  /** Budgets and rate limits; without it every user may send anything, and nothing is counted. */
  usage?: UsageService;
  /** Told when an answer's usage could not be added to the ledger (the answer itself is kept). */
  onUsageNotRecorded?: (error: unknown, userId: string) => void;
}

export interface SendMessage {
  conversationId?: string;
  message: string;
  fileIds?: string[];
  /** The client's key for this request: a retry with the same key replays instead of answering twice. */
  idempotencyKey?: string;
  /** Who sends it as people know them (name or email): what the admins' usage table shows. */
  senderName?: string;
}

/** What a send produces, in order: one `meta`, any number of `delta`, then one `done` or `error`. */
export type ChatEvent =
  | { type: 'meta'; conversationId: string; userMessageId: string; title: string }
  | { type: 'delta'; text: string }
  | { type: 'done'; message: Message & { usage: TokenUsage; stopReason: StopReason }; context: ContextReport; replayed?: true }
  | { type: 'error'; code: string; message: string; messageId: string; cause?: unknown; replayed?: true };

export interface CompletedChat {
  conversationId: string;
  title: string;
  message: Message;
  usage: TokenUsage;
  context: ContextReport;
  /** The answer of an earlier request with the same idempotency key, sent again. */
  replayed?: true;
}
