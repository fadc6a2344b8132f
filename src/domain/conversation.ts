/** The shapes of a conversation and its messages, as the API and the stores see them. */

export type Role = 'user' | 'assistant';

/**
 * Why an answer ended. The first six come from the model; `aborted` means the user stopped it or
 * went away, `error` means the model failed part way. In both cases what was streamed is kept.
 */
export type StopReason =
  | 'end_turn'
  | 'max_tokens'
  | 'stop_sequence'
  | 'content_filtered'
  | 'guardrail_intervened'
  | 'tool_use'
  | 'aborted'
  | 'error';

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
}

export interface Message {
  id: string;
  role: Role;
  content: string;
  /** ISO 8601 */
  timestamp: string;
  fileIds?: string[];
  usage?: TokenUsage;
  stopReason?: StopReason;
  /** Set when the answer ended in an error: what the user was told. */
  error?: { code: string; message: string };
  /** An answer's: how full the model's context was for it, and what was left out to fit. */
  context?: ContextReport;
}

/** How full the model's context is for this turn, and what had to give way: shown to the user. */
export interface ContextReport {
  estimatedInputTokens: number;
  contextWindowTokens: number;
  maxOutputTokens: number;
  includedMessages: number;
  droppedMessages: number;
  truncatedFileIds: string[];
}


export interface ConversationSummary {
  conversationId: string;
  title: string;
  createdAt: string;
  updatedAt: string;
}

export interface Conversation extends ConversationSummary {
  /** Files attached to the conversation: every turn gives their text to the model. */
  fileIds: string[];
}

export interface ConversationWithMessages extends Conversation {
  messages: Message[];
  /** Older messages left out of a conversation too long to send whole (they are still stored). */
  omittedMessages?: number;
}

export const MAX_TITLE_LENGTH = 200;
const GENERATED_TITLE_LENGTH = 60;

/** A title from the first message: its first line, whitespace folded, cut at a word boundary. */
export function titleFromMessage(message: string): string {
  const firstLine = message.trim().split('\n', 1)[0] ?? '';
  const folded = firstLine.replace(/\s+/g, ' ').trim();
  if (folded.length === 0) return 'New conversation';
  if (folded.length <= GENERATED_TITLE_LENGTH) return folded;
  // One character more, so that a word ending exactly at the limit is kept whole.
  const lastSpace = folded.slice(0, GENERATED_TITLE_LENGTH + 1).lastIndexOf(' ');
  const cut = folded.slice(0, GENERATED_TITLE_LENGTH);
  const base = lastSpace > GENERATED_TITLE_LENGTH / 2 ? cut.slice(0, lastSpace) : cut;
  return `${base.replace(/[\s.,;:!?-]+$/, '')}…`;
}

export const toSummary = (conversation: ConversationSummary): ConversationSummary => ({
  conversationId: conversation.conversationId,
  title: conversation.title,
  createdAt: conversation.createdAt,
  updatedAt: conversation.updatedAt,
});
