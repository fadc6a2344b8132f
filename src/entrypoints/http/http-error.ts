import { DomainError, type ErrorKind } from '../../domain/errors.js';

/** Problems only the edge can see (malformed JSON, unknown route, oversize body...). */
export class HttpError extends Error {
  override readonly name = 'HttpError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const STATUS_BY_KIND: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported: 415,
  unreadable: 422,
  throttled: 429,
  model_failed: 502,
  model_unavailable: 503,
  timeout: 504,
  unavailable: 503,
  unprocessable: 422,
};

export interface ErrorReply {
  status: number;
  code: string;
  message: string;
  /** False for a bug or an outage: worth logging with its stack. */
  expected: boolean;
  /** When trying again can succeed (a budget or a rate limit): the response's Retry-After. */
  retryAfterSeconds?: number;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * A store or service that could not be reached or answered with a server fault (the AWS SDK marks
 * those `$fault: "server"` or gives up with a timeout): an outage to wait out, not a bug.
 */
function isOutage(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code, $fault, $metadata } = error as { name?: string; code?: string; $fault?: string; $metadata?: { httpStatusCode?: number } };
  return (
    (code !== undefined && NETWORK_CODES.has(code)) ||
    name === 'TimeoutError' ||
    $fault === 'server' ||
    ($metadata?.httpStatusCode ?? 0) >= 500
  );
}

/** The one place where errors become HTTP statuses. Anything unknown is a 500 that says nothing inside. */
export function toErrorReply(error: unknown): ErrorReply {
  if (error instanceof DomainError) {
    const reply: ErrorReply = { status: STATUS_BY_KIND[error.kind], code: error.code, message: error.message, expected: true };
    if (error.retryAfterSeconds !== undefined) reply.retryAfterSeconds = error.retryAfterSeconds;
    return reply;
  }
  if (error instanceof HttpError) {
    return { status: error.status, code: error.code, message: error.message, expected: true };
  }
  if (isOutage(error)) {
    // Worth logging (expected: false), but the caller is told plainly to try again, not "a bug".
    return { status: 503, code: 'SERVICE_UNAVAILABLE', message: 'The service is unavailable for a moment. Try again shortly.', expected: false };
  }
  return {
    status: 500,
    code: 'INTERNAL_ERROR',
    message: 'Something went wrong on our side. Try again; if it keeps happening, report the request id.',
    expected: false,
  };
}
