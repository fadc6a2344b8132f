import type { Clock } from '../../domain/ports/clock.js';
import type { RateCounter, UsageLedger, UsagePage } from '../../domain/ports/usage-ledger.js';
import type { MonthlyUsage, UsageDelta } from '../../domain/usage.js';
import { SystemClock } from '../system/system-clock.js';
import { decodeUserCursor, encodeUserCursor } from './usage-cursor.js';

interface RateCount {
  count: number;
  expiresAt: number;
}

/** Forgotten counts are swept at most this often, so an increment is not a walk over every user. */
const SWEEP_INTERVAL_MS = 60_000;

const zeros = (userId: string, month: string): MonthlyUsage => ({
  userId,
  month,
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  costMicroUsd: 0,
});

/** UTF-16 code unit order, as `<` compares: the order DynamoDB's index gives for any ASCII id. */
const byUserId = (a: MonthlyUsage, b: MonthlyUsage): number => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0);

/**
 * Map-backed usage ledger and rate counter for tests and `STORE=memory`, one instance serving
 * both ports. Every update runs without an `await` between its read and its write, so concurrent
 * answers in one process all count, as the store's atomic ADD makes them on DynamoDB.
 */
export class MemoryUsageLedger implements UsageLedger, RateCounter {
  /** month -> user id -> usage. */
  private readonly months = new Map<string, Map<string, MonthlyUsage>>();
  private readonly limits = new Map<string, number>();
  /** JSON [user id, window] -> count. */
  private readonly counts = new Map<string, RateCount>();
  private lastSweep = Number.NEGATIVE_INFINITY;

  /** `clock` tells when rate counts may be forgotten: the domain's clock, so fixed clocks in tests agree. */
  constructor(private readonly clock: Clock = new SystemClock()) {}

  async add(userId: string, month: string, delta: UsageDelta, displayName: string): Promise<void> {
    const users = this.months.get(month) ?? new Map<string, MonthlyUsage>();
    this.months.set(month, users);
    const usage = users.get(userId) ?? zeros(userId, month);
    users.set(userId, {
      userId,
      month,
      inputTokens: usage.inputTokens + delta.inputTokens,
      outputTokens: usage.outputTokens + delta.outputTokens,
      cacheReadTokens: usage.cacheReadTokens + delta.cacheReadTokens,
      cacheWriteTokens: usage.cacheWriteTokens + delta.cacheWriteTokens,
      costMicroUsd: usage.costMicroUsd + delta.costMicroUsd,
      displayName,
    });
  }

  async get(userId: string, month: string): Promise<MonthlyUsage> {
    const usage = this.months.get(month)?.get(userId);
    return usage ? { ...usage } : zeros(userId, month);
  }

  async listMonth(month: string, page: { limit: number; cursor?: string }): Promise<UsagePage> {
    const after = page.cursor === undefined ? undefined : decodeUserCursor(page.cursor);
    const all = [...(this.months.get(month)?.values() ?? [])].sort(byUserId);
    const remaining = after === undefined ? all : all.filter((usage) => usage.userId > after);
    const items = remaining.slice(0, page.limit).map((usage) => ({ ...usage }));
    const last = items[items.length - 1];
    return remaining.length > page.limit && last ? { items, nextCursor: encodeUserCursor(last.userId) } : { items };
  }

  async getLimit(userId: string): Promise<number | undefined> {
    return this.limits.get(userId);
  }

  async getStanding(userId: string, month: string): Promise<{ usage: MonthlyUsage; limitMicroUsd?: number }> {
    const [usage, limitMicroUsd] = await Promise.all([this.get(userId, month), this.getLimit(userId)]);
    return limitMicroUsd === undefined ? { usage } : { usage, limitMicroUsd };
  }

  async getLimits(userIds: readonly string[]): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    for (const userId of userIds) {
      const limit = this.limits.get(userId);
      if (limit !== undefined) found.set(userId, limit);
    }
    return found;
  }

  async setLimit(userId: string, limitMicroUsd: number | null): Promise<void> {
    if (limitMicroUsd === null) this.limits.delete(userId);
    else this.limits.set(userId, limitMicroUsd);
  }

  async increment(userId: string, window: string, expiresAt: Date): Promise<number> {
    const now = this.clock.now().getTime();
    this.sweep(now);
    // JSON keeps the two parts apart whatever characters they hold.
    const key = JSON.stringify([userId, window]);
    const earlier = this.counts.get(key);
    const count = earlier && earlier.expiresAt > now ? earlier.count + 1 : 1;
    this.counts.set(key, { count, expiresAt: expiresAt.getTime() });
    return count;
  }

  async decrement(userId: string, window: string): Promise<void> {
    const kept = this.counts.get(JSON.stringify([userId, window]));
    if (kept && kept.count > 0 && kept.expiresAt > this.clock.now().getTime()) kept.count -= 1;
  }

  /** Drops the counts past their expiry, as TTL does on DynamoDB: memory stays bounded on a long-running server. */
  private sweep(now: number): void {
    if (now - this.lastSweep < SWEEP_INTERVAL_MS) return;
    this.lastSweep = now;
    for (const [key, { expiresAt }] of this.counts) {
      if (expiresAt <= now) this.counts.delete(key);
    }
  }
}
