import type { MonthlyUsage, UsageDelta } from '../usage.js';

/** One page of a month's usage, every user's, in user id order. */
export interface UsagePage {
  items: MonthlyUsage[];
  /** Opaque; absent on the last page. */
  nextCursor?: string;
}

/**
 * What each user spent, by calendar month, and the limits admins set on users. Unlike the other
 * stores it is read across users, but only by the admins' routes.
 */
export interface UsageLedger {
  /**
   * Adds an answer's usage to the user's month in one atomic update: answers ending at the same
   * time all count, none overwrites another. `displayName` is kept for the admins' table.
   */
  add(userId: string, month: string, delta: UsageDelta, displayName: string): Promise<void>;
  /** The user's month; zeros when nothing was recorded. */
  get(userId: string, month: string): Promise<MonthlyUsage>;
  /** Every user who used something in the month, `limit` at a time. A bad cursor throws DomainError `invalid`. */
  listMonth(month: string, page: { limit: number; cursor?: string }): Promise<UsagePage>;
  /** The user's own monthly limit in micro-dollars, or undefined when the default applies. */
  getLimit(userId: string): Promise<number | undefined>;
  /**
   * The user's month and their own limit (absent: the default applies), in one read where the
   * store allows: what every message's budget check waits for.
   */
  getStanding(userId: string, month: string): Promise<{ usage: MonthlyUsage; limitMicroUsd?: number }>;
  /** The limits of these users that have one of their own (absent from the map: the default). */
  getLimits(userIds: readonly string[]): Promise<Map<string, number>>;
  /** Sets the user's own limit (micro-dollars), or clears it (null) so the default applies again. */
  setLimit(userId: string, limitMicroUsd: number | null): Promise<void>;
}

/**
 * Counts a user's messages per fixed window (a minute) across every server or Lambda instance.
 * Counting and reading are one atomic step, so two instances never both see room for one more.
 */
export interface RateCounter {
  /**
   * Adds one to the user's count for `window` (e.g. `2026-11-29T23:59`) and returns the count
   * with it. The count may be forgotten after `expiresAt`.
   */
  increment(userId: string, window: string, expiresAt: Date): Promise<number>;
  /**
   * Takes back one count from the user's `window`: a message counted as it came in and then not
   * sent after all (refused for another reason, or a retry replayed). Never below zero; a window
   * already forgotten stays forgotten.
   */
  decrement(userId: string, window: string): Promise<void>;
}
