import type { Role, StopReason, TokenUsage } from '../conversation.js';

export interface ModelLimits {
  /** Tokens the model reads and writes in one call, prompt and answer together. */
  contextWindowTokens: number;
  /** The most tokens one answer may have. */
  maxOutputTokens: number;
}

/** A file's text given to the model as context. */
export interface PromptDocument {
  fileId: string;
  fileName: string;
  /** Bytes of the original file. */
  size: number;
  text: string;
  /** The text was cut to fit the budget; `text` ends with a visible marker saying so. */
  truncated: boolean;
}

export interface PromptMessage {
  role: Role;
  content: string;
}

/**
 * What the model is asked. `messages` alternate user/assistant and start and end with a user turn;
 * `documents` stay the same from turn to turn (adapters may cache them with the system prompt).
 */
export interface ModelRequest {
  system: string;
  documents: PromptDocument[];
  messages: PromptMessage[];
  maxOutputTokens: number;
}

export type ModelEvent =
  | { type: 'text'; text: string }
  | { type: 'end'; stopReason: StopReason; usage: TokenUsage };

/**
 * A model that streams an answer: text events, then exactly one `end`. Failures throw DomainError
 * (`throttled`, `model_unavailable`, `model_failed`, `timeout`, `invalid`). When `signal` aborts,
 * the adapter stops generating at once and the iteration ends (or throws the abort reason).
 */
export interface ChatModel {
  readonly modelId: string;
  readonly limits: ModelLimits;
  stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelEvent>;
}
