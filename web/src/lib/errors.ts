import { formatDateTime } from './format';

/** What the API refused or failed with, as the stores keep it. */
export interface ErrorLike {
  code: string;
  /** The server's words (English), used when we have none of our own for the code. */
  message: string;
  /** From `Retry-After`, and when it arrived (ms). */
  retryAfterSeconds?: number;
  receivedAt?: number;
}

/** The refusals of spending control: the question was not sent, and trying again at once will not help. */
export const REFUSAL_CODES: ReadonlySet<string> = new Set(['USAGE_LIMIT_REACHED', 'RATE_LIMITED']);

export type Translate = (key: string, named: Record<string, unknown>, plural?: number) => string;

export interface ErrorContext {
  t: Translate;
  /** For dates (`en-GB`, `fr`). */
  locale: string;
  /** `GET /usage`'s resetsAt, when the server's message does not name the moment. */
  resetsAt?: string;
}

const ISO_INSTANT = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z/;

/** When a spent month's budget starts again: named in the server's message, else /usage's resetsAt, else Retry-After. */
export function limitResetsAt(error: ErrorLike, context: Pick<ErrorContext, 'resetsAt'>): string | undefined {
  const named = ISO_INSTANT.exec(error.message)?.[0];
  if (named && !Number.isNaN(Date.parse(named))) return new Date(named).toISOString();
  if (context.resetsAt && !Number.isNaN(Date.parse(context.resetsAt))) return context.resetsAt;
  if (error.retryAfterSeconds !== undefined) return new Date((error.receivedAt ?? Date.now()) + error.retryAfterSeconds * 1000).toISOString();
  return undefined;
}

/**
 * The words a user reads for an API error, in their language for the codes we know (spending
 * control's refusals, storage, admins' routes); the server's own message for the rest.
 */
export function errorMessage(error: ErrorLike, context: ErrorContext): string {
  const { t } = context;
  switch (error.code) {
    case 'USAGE_LIMIT_REACHED': {
      const resetsAt = limitResetsAt(error, context);
      return resetsAt ? t('errors.usageLimit', { date: formatDateTime(resetsAt, context.locale) }) : t('errors.usageLimitNoDate', {});
    }
    case 'RATE_LIMITED': {
      const seconds = error.retryAfterSeconds ?? /(\d+) seconds?/.exec(error.message)?.[1];
      const count = seconds === undefined ? undefined : Math.max(1, Math.ceil(Number(seconds)));
      return count === undefined ? t('errors.rateLimitedNoWait', {}) : t('errors.rateLimited', { count }, count);
    }
    case 'STORAGE_LIMIT_REACHED':
      return t('errors.storageLimit', {});
    case 'FORBIDDEN':
      return t('errors.forbidden', {});
    default:
      return error.message || t('errors.generic', {});
  }
}

/**
 * Why a conversation could not be read, in plain words: the server out of reach, or in trouble
 * (5xx, with its status), else what `errorMessage` says of the code.
 */
export function loadFailureReason(error: ErrorLike & { status: number }, context: ErrorContext): string {
  if (error.status === 0 || error.code === 'NETWORK_ERROR') return context.t('conversation.loadUnreachable', {});
  if (error.status >= 500) return context.t('conversation.loadServerError', { status: error.status });
  return errorMessage(error, context);
}
