/**
 * Expected outcomes the domain reports. The HTTP edge maps `kind` to a status code in one place
 * (src/entrypoints/http/http-error.ts); `code` is a stable machine-readable name for clients and
 * `message` is written for a person.
 */
export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  /** Signed in, but not allowed this (a user on an admin's route). */
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'unsupported'
  | 'unreadable'
  | 'throttled'
  | 'model_unavailable'
  | 'model_failed'
  | 'timeout'
  /** A store or service the app depends on could not be reached: try again shortly. */
  | 'unavailable'
  /** Well-formed, but contradicts what the server already has (an idempotency key reused). */
  | 'unprocessable';

export class DomainError extends Error {
  override readonly name = 'DomainError';

  /** For `throttled`: when trying again can succeed (the edge's Retry-After). */
  readonly retryAfterSeconds?: number;

  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(message, options);
    if (options?.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;

export const conversationNotFound = (): DomainError =>
  new DomainError('not_found', 'CONVERSATION_NOT_FOUND', 'This conversation does not exist.');

export const fileNotFound = (): DomainError =>
  new DomainError('not_found', 'FILE_NOT_FOUND', 'This file does not exist.');

export const invalidInput = (code: string, message: string): DomainError =>
  new DomainError('invalid', code, message);

export const unauthenticated = (): DomainError =>
  new DomainError(
    'unauthenticated',
    'UNAUTHORIZED',
    'You are not signed in, or your session has expired. Sign in again.',
  );
