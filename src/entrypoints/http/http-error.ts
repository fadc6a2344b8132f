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
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported: 415,
  unreadable: 422,
  throttled: 429,
  model_failed: 502,
  model_unavailable: 503,
  timeout: 504,
};

export interface ErrorReply {
  status: number;
  code: string;
  message: string;
  /** False for a bug or an outage: worth logging with its stack. */
  expected: boolean;
}

/** The one place where errors become HTTP statuses. Anything unknown is a 500 that says nothing inside. */
export function toErrorReply(error: unknown): ErrorReply {
  if (error instanceof DomainError) {
    return { status: STATUS_BY_KIND[error.kind], code: error.code, message: error.message, expected: true };
  }
  if (error instanceof HttpError) {
    return { status: error.status, code: error.code, message: error.message, expected: true };
  }
  return {
    status: 500,
    code: 'INTERNAL_ERROR',
    message: 'Something went wrong on our side. Try again; if it keeps happening, report the request id.',
    expected: false,
  };
}
