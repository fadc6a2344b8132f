import type { UserUsage } from '../api/types';

/** The admins' usage table: its columns, their order, and the limit an admin types. */

export type SortKey = 'user' | 'cost' | 'inputTokens' | 'outputTokens' | 'limit';
export type SortDirection = 'ascending' | 'descending';
export interface SortState {
  key: SortKey;
  direction: SortDirection;
}

/** The most a limit can be (the API refuses more: 400 INVALID_LIMIT). */
export const MAX_LIMIT_USD = 1_000_000;

/** A row's name: the name or email the user last chatted under, else their id. */
export const userLabel = (row: Pick<UserUsage, 'displayName' | 'userId'>): string => row.displayName?.trim() || row.userId;

const valueOf: Record<Exclude<SortKey, 'user'>, (row: UserUsage) => number> = {
  cost: (row) => row.costUsd,
  inputTokens: (row) => row.inputTokens,
  outputTokens: (row) => row.outputTokens,
  // Unlimited is above any limit.
  limit: (row) => row.limitUsd ?? Number.POSITIVE_INFINITY,
};

/** The rows in the asked order; equal values keep a stable order by name, then id. */
export function sortRows(rows: readonly UserUsage[], sort: SortState, locale = 'en'): UserUsage[] {
  const collator = new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
  const byName = (a: UserUsage, b: UserUsage) => collator.compare(userLabel(a), userLabel(b)) || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0);
  const sign = sort.direction === 'ascending' ? 1 : -1;
  return [...rows].sort((a, b) => {
    if (sort.key === 'user') return sign * byName(a, b);
    const value = valueOf[sort.key];
    const difference = value(a) === value(b) ? 0 : value(a) < value(b) ? -1 : 1;
    return sign * difference || byName(a, b);
  });
}

/** A click on a column's header: the same column turns around; another starts with names A-Z, figures largest first. */
export function nextSort(current: SortState, key: SortKey): SortState {
  if (current.key === key) return { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
  return { key, direction: key === 'user' ? 'ascending' : 'descending' };
}

/** `2026-11` for now, in UTC as the server counts months. */
export const currentMonth = (now: Date = new Date()): string => now.toISOString().slice(0, 7);

/** This month and the `count - 1` before it, newest first (`2026-11`, `2026-10`, ...). */
export function recentMonths(now: Date = new Date(), count = 13): string[] {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  return Array.from({ length: count }, (_, back) => new Date(Date.UTC(year, month - back, 1)).toISOString().slice(0, 7));
}

/** "November 2026" / "novembre 2026". */
export function monthLabel(month: string, locale: string): string {
  const [year, number] = month.split('-').map(Number) as [number, number];
  return new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(year, number - 1, 1)));
}

export const isMonth = (value: unknown): value is string => typeof value === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(value);

export type LimitInput = { ok: true; value: number } | { ok: false; reason: 'empty' | 'notNumber' | 'negative' | 'tooLarge' };

/**
 * What an admin typed as a monthly limit, in dollars: "5", "12.50", "$1,000.50", and in French
 * "12,50" or "1 000". A lone comma is a decimal comma in French, and in English too unless three
 * digits follow it ("1,000" is a thousand). Empty is not "no limit": that is "Use default".
 */
export function parseLimitInput(text: string, locale = 'en'): LimitInput {
  let cleaned = text.replace(/[\s\u00a0\u202f$]/g, '').replace(/^(US|USD)/i, '').replace(/(US|USD)$/i, '');
  if (cleaned === '') return { ok: false, reason: 'empty' };
  const commas = cleaned.split(',').length - 1;
  const dots = cleaned.split('.').length - 1;
  if (commas > 0 && dots > 0) {
    // Both: the last one is the decimal mark, the other groups thousands.
    const decimal = cleaned.lastIndexOf(',') > cleaned.lastIndexOf('.') ? ',' : '.';
    const group = decimal === ',' ? '.' : ',';
    cleaned = cleaned.split(group).join('').replace(decimal, '.');
  } else if (commas === 1 && (locale.startsWith('fr') || !/,\d{3}$/.test(cleaned))) {
    cleaned = cleaned.replace(',', '.');
  } else if (commas > 0) {
    if (!/^-?\d{1,3}(,\d{3})+$/.test(cleaned)) return { ok: false, reason: 'notNumber' };
    cleaned = cleaned.replace(/,/g, '');
  }
  if (!/^-?(\d+(\.\d*)?|\.\d+)$/.test(cleaned)) return { ok: false, reason: 'notNumber' };
  const value = Number(cleaned);
  if (!Number.isFinite(value)) return { ok: false, reason: 'notNumber' };
  if (value < 0) return { ok: false, reason: 'negative' };
  if (value > MAX_LIMIT_USD) return { ok: false, reason: 'tooLarge' };
  return { ok: true, value };
}
