import type { ErrorKind } from './errors.js';

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
  /** Set when the answer ended in an error: what the user was told, and the kind it was for a replay. */
  error?: StoredFailure;
  /** An answer's: how full the model's context was for it, and what was left out to fit. */
  context?: ContextReport;
  /**
   * A regenerated answer's: the id of the answer it replaces. That one is kept as a previous
   * version (people page back through versions) but is no longer part of the conversation the
   * model sees.
   */
  replaces?: string;
}

/**
 * How an answer failed. `code` and `message` are what the user was told, and what reading the
 * conversation shows; `kind` (the status the edge answered with) is kept so that a retry with the
 * same Idempotency-Key hears the same status. Messages stored before it was kept have none.
 */
export interface StoredFailure {
  code: string;
  message: string;
  kind?: ErrorKind;
}

/** A message as reading the conversation shows it: a failure's kind stays on the server. */
export function shownMessage(message: Message): Message {
  if (!message.error?.kind) return message;
  return { ...message, error: { code: message.error.code, message: message.error.message } };
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
/** A title is a few words: what the sidebar and the tab show. Cutting them to fit is the view's job. */
const TITLE_WORDS = 6;
/** One word may be long (a file name, an identifier): the stored title stays bounded all the same. */
const TITLE_MAX_CHARS = 80;

/**
 * A title from the first message, as people would write it: the first line that says something,
 * without Markdown (headings, emphasis, code marks, link targets), URLs, list or quote markers,
 * its first few words. Never an ellipsis: the data holds words, the view truncates.
 */
export function titleFromMessage(message: string): string {
  for (const line of message.split(/\r?\n/)) {
    const words = plainText(line).split(' ').filter(Boolean);
    if (words.length === 0) continue;
    const title = words.slice(0, TITLE_WORDS).join(' ').slice(0, TITLE_MAX_CHARS).trim();
    const trimmed = title.replace(/[\s.,;:!\-–—(]+$/u, '');
    if (trimmed !== '') return trimmed;
  }
  return 'New conversation';
}

/** One line of Markdown as the words a person reads in it. */
function plainText(line: string): string {
  return line
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // [text](target), ![alt](src): the text
    .replace(/<?\b(?:https?|ftp):\/\/[^\s>]+>?/gi, ' ') // bare URLs say nothing a title needs
    .replace(/^\s{0,3}(?:#{1,6}\s+|>\s*|[-*+]\s+|\d+[.)]\s+)+/, '') // heading, quote, list markers
    .replace(/(\*\*|__|~~|[*_`])/g, '') // emphasis and code marks
    .replace(/\$\$|\\[()[\]]/g, '') // math delimiters ($$, \( \), \[ \]); a lone $ may be money
    .replace(/\s+/g, ' ')
    .trim();
}

export const toSummary = (conversation: ConversationSummary): ConversationSummary => ({
  conversationId: conversation.conversationId,
  title: conversation.title,
  createdAt: conversation.createdAt,
  updatedAt: conversation.updatedAt,
});
