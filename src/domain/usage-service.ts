import type { TokenUsage } from './conversation.js';
import { DomainError, invalidInput } from './errors.js';
import type { Clock } from './ports/clock.js';
import type { RateCounter, UsageLedger } from './ports/usage-ledger.js';
import { isMonth, monthOf, monthResetsAt, toMicroUsd, toUsd, usageDelta, type ModelPrices } from './usage.js';

export interface UsageOptions {
  /** Every user's monthly budget unless an admin set one of their own; undefined: unlimited. */
  defaultLimitUsd?: number;
  /** Messages a user may send a minute; undefined: no limit. */
  messagesPerMinute?: number;
  prices: ModelPrices;
}

export interface UsageDeps {
  ledger: UsageLedger;
  rates: RateCounter;
  clock: Clock;
}

/** `GET /usage`: the signed-in user's month. */
export interface UsageSummary {
  month: string;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  /** null: unlimited. */
  limitUsd: number | null;
  /** When the month's budget starts again (ISO 8601). */
  resetsAt: string;
}

/** A row of the admins' table. */
export interface UserUsage {
  userId: string;
  displayName: string | null;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  limitUsd: number | null;
  /** The user has a limit of their own, rather than the default. */
  ownLimit: boolean;
}

export const MAX_LIMIT_USD = 1_000_000;

/** A message counted towards its sender's rate. */
export interface CountedMessage {
  /** `RATE_LIMITED` (429): the count went over the limit. */
  refusal?: DomainError;
  /** Gives the count back: the message was not sent after all. */
  takeBack(): Promise<void>;
}

const NOT_COUNTED: CountedMessage = { takeBack: () => Promise.resolve() };

/**
 * Spending control: what each user's answers cost, month by month, and the limits on it. A user
 * at their budget, or over the message rate, is refused before the question is stored or the
 * model is called (what the refused message took, its claim and its count, is given back, see
 * ChatService); an answer that crosses the budget finishes, and counts.
 */
export class UsageService {
  constructor(
    private readonly deps: UsageDeps,
    private readonly options: UsageOptions,
  ) {}

  /**
   * Both checks a message passes before its model is called, the month's budget then the rate, one
   * after the other: for callers with no round of reads to send them with (the tests of the rules
   * themselves). ChatService sends the two calls beside its reads. Throws `USAGE_LIMIT_REACHED` or
   * `RATE_LIMITED` (both 429).
   */
  async admit(userId: string): Promise<void> {
    await this.checkBudget(userId);
    const counted = await this.countMessage(userId);
    if (counted.refusal) throw counted.refusal;
  }

  /** Refuses a user whose month's spending has reached their limit (reads only). */
  async checkBudget(userId: string): Promise<void> {
    const now = this.deps.clock.now();
    const month = monthOf(now);
    const { usage, limitMicroUsd } = await this.deps.ledger.getStanding(userId, month);
    const limit = limitMicroUsd ?? this.defaultLimitMicroUsd();
    if (limit !== undefined && usage.costMicroUsd >= limit) {
      const resetsAt = monthResetsAt(month);
      throw new DomainError(
        'throttled',
        'USAGE_LIMIT_REACHED',
        `You have used your ${formatUsd(toUsd(limit))} for this month. It starts again on ${resetsAt.toISOString().slice(0, 10)} (${resetsAt.toISOString()}); an admin can raise it before then.`,
        { retryAfterSeconds: Math.ceil((resetsAt.getTime() - now.getTime()) / 1000) },
      );
    }
  }

  /**
   * Counts a message towards the user's rate (a write), as it comes in: the count is made in the
   * same round of store calls as the request's reads, not after them. A message that is then not
   * sent after all (refused for another reason, or a retry replayed) is taken back; one refused
   * for the rate itself stays counted, so that sending harder does not open the gate sooner.
   */
  async countMessage(userId: string): Promise<CountedMessage> {
    const perMinute = this.options.messagesPerMinute;
    if (perMinute === undefined) return NOT_COUNTED;
    const now = this.deps.clock.now();
    const window = now.toISOString().slice(0, 16);
    const windowEnds = new Date(Date.parse(`${window}:00.000Z`) + 60_000);
    const count = await this.deps.rates.increment(userId, window, new Date(windowEnds.getTime() + 60_000));
    const takeBack = () => this.deps.rates.decrement(userId, window);
    if (count <= perMinute) return { takeBack };
    const retryAfterSeconds = Math.max(1, Math.ceil((windowEnds.getTime() - now.getTime()) / 1000));
    const refusal = new DomainError('throttled', 'RATE_LIMITED', `You can send ${perMinute} messages a minute. Try again in ${retryAfterSeconds} seconds.`, {
      retryAfterSeconds,
    });
    return { refusal, takeBack };
  }

  /** Adds an answer's tokens and cost to the user's month (after the answer is stored). */
  async record(userId: string, displayName: string, usage: TokenUsage): Promise<void> {
    const delta = usageDelta(usage, this.options.prices);
    if (delta.inputTokens + delta.outputTokens + delta.cacheReadTokens + delta.cacheWriteTokens === 0) return;
    await this.deps.ledger.add(userId, monthOf(this.deps.clock.now()), delta, displayName);
  }

  async summary(userId: string): Promise<UsageSummary> {
    const month = monthOf(this.deps.clock.now());
    const { usage, limitMicroUsd } = await this.deps.ledger.getStanding(userId, month);
    const limit = limitMicroUsd ?? this.defaultLimitMicroUsd();
    return {
      month,
      costUsd: toUsd(usage.costMicroUsd),
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      limitUsd: limit === undefined ? null : toUsd(limit),
      resetsAt: monthResetsAt(month).toISOString(),
    };
  }

  /** Every user's usage in `month` (this month by default), a page at a time. */
  async monthReport(month: string | undefined, page: { limit: number; cursor?: string }): Promise<{ month: string; items: UserUsage[]; nextCursor?: string }> {
    const wanted = month ?? monthOf(this.deps.clock.now());
    if (!isMonth(wanted)) throw invalidInput('INVALID_MONTH', 'month must be a calendar month written YYYY-MM, such as 2026-11.');
    const found = await this.deps.ledger.listMonth(wanted, page);
    const own = await this.deps.ledger.getLimits(found.items.map((item) => item.userId));
    const fallback = this.defaultLimitMicroUsd();
    const items = found.items.map((item): UserUsage => {
      const limit = own.get(item.userId) ?? fallback;
      return {
        userId: item.userId,
        displayName: item.displayName ?? null,
        costUsd: toUsd(item.costMicroUsd),
        inputTokens: item.inputTokens,
        outputTokens: item.outputTokens,
        cacheReadTokens: item.cacheReadTokens,
        cacheWriteTokens: item.cacheWriteTokens,
        limitUsd: limit === undefined ? null : toUsd(limit),
        ownLimit: own.has(item.userId),
      };
    });
    return { month: wanted, items, ...(found.nextCursor && { nextCursor: found.nextCursor }) };
  }

  /** An admin sets a user's own monthly limit, or clears it (null) so the default applies again. */
  async setLimit(userId: string, limitUsd: number | null): Promise<{ limitUsd: number | null; ownLimit: boolean }> {
    if (limitUsd !== null && (!Number.isFinite(limitUsd) || limitUsd < 0 || limitUsd > MAX_LIMIT_USD)) {
      throw invalidInput('INVALID_LIMIT', `limitUsd must be a number of dollars from 0 to ${MAX_LIMIT_USD}, or null to clear it.`);
    }
    await this.deps.ledger.setLimit(userId, limitUsd === null ? null : toMicroUsd(limitUsd));
    const limit = await this.limitOf(userId);
    return { limitUsd: limit === undefined ? null : toUsd(limit), ownLimit: limitUsd !== null };
  }

  private async limitOf(userId: string): Promise<number | undefined> {
    return (await this.deps.ledger.getLimit(userId)) ?? this.defaultLimitMicroUsd();
  }

  private defaultLimitMicroUsd(): number | undefined {
    return this.options.defaultLimitUsd === undefined ? undefined : toMicroUsd(this.options.defaultLimitUsd);
  }
}

function formatUsd(usd: number): string {
  return `$${usd.toFixed(2)}`;
}
