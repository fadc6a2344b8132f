import en from '../i18n/en.json';
import { errorDetails } from './error-details';
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

/**
 * Refusals before anything was sent, where trying again at once will not help: spending control's,
 * and an ended session (the question waits in the composer for the user's next sign-in).
 */
export const REFUSAL_CODES: ReadonlySet<string> = new Set(['USAGE_LIMIT_REACHED', 'RATE_LIMITED', 'UNAUTHORIZED']);

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

/** The codes the SPA has words for (the English file sets the list; a test keeps French and the server's codes in step). */
const TRANSLATED_CODES: ReadonlySet<string> = new Set(Object.keys(en.errors.codes));

/**
 * The words a user reads for an API error, in their language: the code's sentence, with the numbers
 * the server named where it names them (see error-details), the budget's reset date, the wait a
 * rate limit asks for. A code this SPA does not know yet (a newer server) shows the server's message.
 */
export function errorMessage(error: ErrorLike, context: ErrorContext): string {
  const { t } = context;
  switch (error.code) {
    case 'USAGE_LIMIT_REACHED': {
      const resetsAt = limitResetsAt(error, context);
      return resetsAt ? t('errors.codeDetails.USAGE_LIMIT_REACHED', { date: formatDateTime(resetsAt, context.locale) }) : t('errors.codes.USAGE_LIMIT_REACHED', {});
    }
    case 'RATE_LIMITED': {
      const seconds = error.retryAfterSeconds ?? /(\d+) seconds?/.exec(error.message)?.[1];
      const count = seconds === undefined ? undefined : Math.max(1, Math.ceil(Number(seconds)));
      return count === undefined ? t('errors.codes.RATE_LIMITED', {}) : t('errors.codeDetails.RATE_LIMITED', { count }, count);
    }
  }
  if (!TRANSLATED_CODES.has(error.code)) return error.message || t('errors.generic', {});
  const details = errorDetails(error.code, error.message, context.locale);
  return details ? t(`errors.codeDetails.${error.code}`, details) : t(`errors.codes.${error.code}`, {});
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
