/** The HTTP contract (README, "Try it with curl"), as the browser sees it. */

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
}

/** `end_turn`, `max_tokens`, `stop_sequence`, `content_filtered`, `aborted` (stopped), `error`; a model may add others. */
export type StopReason = string;

export interface Message {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  timestamp: string;
  fileIds?: string[];
  usage?: TokenUsage;
  stopReason?: StopReason;
  error?: { code: string; message: string };
  /** A regenerated answer's: the answer it replaces, kept as a previous version. */
  replaces?: string;
}

export interface ConversationSummary {
  conversationId: string;
  title: string;
  createdAt: string;
  updatedAt: string;
}

export interface Conversation extends ConversationSummary {
  fileIds: string[];
  messages: Message[];
  /** Older messages the server kept but left out: the conversation is too long to send whole. */
  omittedMessages?: number;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface FileContext {
  fileId: string;
  fileName: string;
  fileType: string;
  size: number;
  charCount: number;
  status: 'uploading' | 'ready' | 'failed';
  uploadedAt: string;
  pages?: number;
  rows?: number;
  truncated?: boolean;
  error?: { code: string; message: string };
}

/** How full the model's context was for an answer, and what had to give way. */
export interface ContextReport {
  estimatedInputTokens: number;
  contextWindowTokens: number;
  maxOutputTokens: number;
  includedMessages: number;
  droppedMessages: number;
  truncatedFileIds: string[];
}

/** The events of a streamed answer, in order: one meta, deltas, then done or error; a new conversation's `title` may follow `done`. */
export type ChatEvent =
  /** `answerMessageId`: the id the answer is stored under (absent from servers older than Regenerate). */
  | { type: 'meta'; conversationId: string; userMessageId: string; answerMessageId?: string; title: string }
  | { type: 'delta'; text: string }
  | { type: 'done'; messageId: string; stopReason: StopReason; usage: TokenUsage; context: ContextReport }
  | { type: 'error'; code: string; message: string; messageId?: string }
  /** After a new conversation's first `done`: the title a model wrote for it. */
  | { type: 'title'; title: string };

export interface ModelInfo {
  id: string;
  contextWindowTokens: number;
  pricing?: { inputPerMTok: number; outputPerMTok: number; currency: string };
}

export type AuthConfig =
  | { mode: 'local' }
  | {
      mode: 'cognito';
      region: string;
      userPoolId: string;
      clientId: string;
      endpoint?: string;
      /**
       * Anyone (or anyone at an allowed domain) may create an account; false: invitation only.
       * Stacks from before this field offered sign-up: missing means true.
       */
      selfSignUp?: boolean;
    };

/** `/config.json`: written by the stack on AWS, served by `npm start` locally. */
export interface SiteConfig {
  apiUrl: string;
  auth: AuthConfig;
  model?: ModelInfo;
}

export interface UploadSlot {
  fileId: string;
  uploadUrl: string;
  method: 'PUT';
  headers: Record<string, string>;
}

/** `GET /usage`: the signed-in user's spending this calendar month (UTC). */
export interface UsageSummary {
  /** `2026-11`. */
  month: string;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  /** The user's monthly budget in USD; null: unlimited. */
  limitUsd: number | null;
  /** When the month's budget starts again (ISO 8601). */
  resetsAt: string;
  /** May open the admins' page (`/admin`). */
  admin: boolean;
}

/** A row of `GET /admin/usage`: one user's month. */
export interface UserUsage {
  userId: string;
  /** The name or email the user last chatted under. */
  displayName: string | null;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** The limit that applies to the user; null: unlimited. */
  limitUsd: number | null;
  /** The user has a limit of their own, rather than the default. */
  ownLimit: boolean;
}

/** `GET /admin/usage`: a page of every user's usage in a month. */
export interface MonthReport {
  month: string;
  items: UserUsage[];
  nextCursor?: string;
}

/** `PUT /admin/users/{userId}/limit`: the limit that applies after the change. */
export interface LimitChange {
  userId: string;
  limitUsd: number | null;
  ownLimit: boolean;
}
