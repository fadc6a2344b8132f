import type { StoredFailure } from './conversation.js';
import { DomainError } from './errors.js';

/**
 * The failures of an answer that no one else described: the domain names them here, so that each
 * has a kind (what the edge turns into a status) beside its code and message.
 */

/**
 * The code of an answer that failed before the model was called (its history or files unreadable),
 * when the question was stored first. Reads now happen before anything is stored, so such a
 * failure is refused as a whole instead; answers stored that way are still replayed.
 */
const NOT_PREPARED = 'SERVICE_UNAVAILABLE';

/** The model failed in a way its adapter did not describe: the client hears no internals. */
export const answerBroken = (cause: unknown): DomainError =>
  new DomainError('model_failed', 'MODEL_FAILED', 'The answer failed part way. Try again.', { cause });

/** The model's stream ended without saying how. */
export const answerUnfinished = (): DomainError =>
  new DomainError('model_failed', 'MODEL_FAILED', 'The model stopped before finishing its answer.');

/** The answer was stopped (a limit, the client gone) before it ended, and no one said why. */
export const answerInterrupted = (): DomainError =>
  new DomainError('model_failed', 'MODEL_FAILED', 'The answer was interrupted. Try again.');

/** A failure as an answer stores it (Message['error']): what the user was told, and its kind. */
export const failureToStore = (error: DomainError): StoredFailure => ({ code: error.code, message: error.message, kind: error.kind });

/**
 * A stored failure, for a retry to hear again with the status the first request got. Answers
 * stored before the kind was kept have only code and message: theirs is that of a failed answer,
 * or `unavailable` for the one the domain made before the model was called (a retry shortly can
 * succeed), which is what every failure replayed as until then.
 */
export function storedFailure(stored: StoredFailure): DomainError {
  const kind = stored.kind ?? (stored.code === NOT_PREPARED ? 'unavailable' : 'model_failed');
  return new DomainError(kind, stored.code, stored.message);
}
