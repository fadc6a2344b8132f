import type { ContextReport, Message } from '../api/types';
import type { UnsentReason } from '../lib/unsent-questions';

/** A question that did not reach the server: why, and the key a Retry sends it again under. */
export interface Unsent extends UnsentReason {
  key: string;
}

/** A message as the thread shows it: while streaming, with what the answer reported, or unsent. */
export interface ThreadMessage extends Message {
  streaming?: boolean;
  context?: ContextReport;
  /**
   * A question the server never got (unreachable, 5xx, no answer in time): Retry or Edit it; or
   * refused for what it is (too long, a file gone): Edit only (see `canRetry`).
   */
  unsent?: Unsent;
  /** The connection broke while the answer streamed, and is being picked up again (the answer goes on). */
  reconnecting?: boolean;
}

export interface Failure {
  code: string;
  message: string;
  /** From `Retry-After`, and when it arrived (ms). */
  retryAfterSeconds?: number;
  receivedAt?: number;
  /**
   * What Retry does instead of a new version of the latest answer: a Regenerate that did not go,
   * sent again under the same idempotency key (never answered twice); or a read of the earlier
   * messages that failed, read again (nothing is sent, nothing is billed).
   */
  retry?: { kind: 'regenerate'; key: string; answerId: string } | { kind: 'loadEarlier' };
  /** A refusal (spent budget, too many messages): nothing was sent, and Retry at once would be refused again. */
  refused?: boolean;
  /**
   * A refused new question (sent, or retried): its words and files are back in the composer.
   * Not for a refused Regenerate: its question is still in the thread.
   */
  unsent?: { text: string; fileIds: string[] };
}

/** Why the open conversation could not be read (not a 404: that is `notFound`). */
export interface LoadFailure {
  /** The HTTP status, 0 when the server could not be reached. */
  status: number;
  code: string;
  message: string;
}

/** What goes out: a new question, or a new version of the latest answer. */
export type Asking = { kind: 'new'; text: string; fileIds: string[] } | { kind: 'regenerate'; answerId: string };

/** Sends a question or a Regenerate under an idempotency key, and streams its answer into the thread. */
export type Ask = (asking: Asking, idempotencyKey: string) => Promise<string | undefined>;

/** Ids the thread gives what the server has not named yet. */
export const isLocal = (id: string) => id.startsWith('local-');
