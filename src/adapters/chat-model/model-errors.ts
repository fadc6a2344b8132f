import { DomainError } from '../../domain/errors.js';

/**
 * The model failures users can meet, worded for them, shared by the model adapters. `answered`
 * says whether part of the answer had already been streamed: the partial answer is kept, and the
 * message says that it stopped rather than that nothing came.
 */
export const modelErrors = {
  throttled: (answered: boolean, cause?: unknown) =>
    new DomainError(
      'throttled',
      'MODEL_THROTTLED',
      answered ? 'The model became busy and stopped part way. Try again in a moment.' : 'The model is busy right now. Try again in a moment.',
      { cause },
    ),

  unavailable: (answered: boolean, cause?: unknown) =>
    new DomainError(
      'model_unavailable',
      'MODEL_UNAVAILABLE',
      answered ? 'The model became unavailable and stopped part way. Try again later.' : 'The model is unavailable right now. Try again later.',
      { cause },
    ),

  unreachable: (where: string, cause?: unknown) =>
    new DomainError('model_unavailable', 'MODEL_UNREACHABLE', `The model server at ${where} cannot be reached.`, { cause }),

  accessDenied: (message: string, cause?: unknown) => new DomainError('model_unavailable', 'MODEL_ACCESS_DENIED', message, { cause }),

  notFound: (message: string, cause?: unknown) => new DomainError('model_unavailable', 'MODEL_NOT_FOUND', message, { cause }),

  refused: (detail: string, cause?: unknown) =>
    new DomainError('invalid', 'MODEL_REQUEST_INVALID', `The model refused the request: ${detail || 'no reason given'}`, { cause }),

  timeout: (cause?: unknown) =>
    new DomainError('timeout', 'MODEL_TIMEOUT', 'The model took too long to answer. Try again, perhaps with a shorter question or fewer files.', {
      cause,
    }),

  failed: (answered: boolean, cause?: unknown) =>
    new DomainError(
      'model_failed',
      'MODEL_FAILED',
      answered ? 'The model failed part way through the answer. Try again.' : 'The model failed to answer. Try again.',
      { cause },
    ),
};

/** Network failures where another call may well succeed (not a refused connection: that is configuration). */
const TRANSIENT_NETWORK_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'UND_ERR_SOCKET', 'EAI_AGAIN']);
/** Network failures that mean the address is wrong or the server is down. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH']);

/** The Node error code of a network failure, looking through `cause` (fetch wraps it). */
export function networkErrorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (TRANSIENT_NETWORK_CODES.has(code) || UNREACHABLE_CODES.has(code))) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export const isTransientNetworkError = (error: unknown): boolean => TRANSIENT_NETWORK_CODES.has(networkErrorCode(error) ?? '');
export const isUnreachable = (error: unknown): boolean => UNREACHABLE_CODES.has(networkErrorCode(error) ?? '');
