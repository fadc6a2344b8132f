import { describe, expect, it } from 'vitest';
import { MemoryUsageLedger } from '../../src/adapters/usage-ledger/memory-usage-ledger.js';
import { UsageService, type UsageOptions } from '../../src/domain/usage-service.js';
import type { ModelPrices, UsageDelta } from '../../src/domain/usage.js';
import { OTHER_USER, USER } from '../support/domain-builder.js';
import { expectDomainError } from '../support/domain-error.js';
import { FixedClock } from '../support/fakes.js';

const PRICES: ModelPrices = { inputPerMTok: 3, outputPerMTok: 15, cacheReadPerMTok: 0.3, cacheWritePerMTok: 3.75 };
const MONTH = '2026-11';

/** `micro` micro-dollars spent, with some tokens to show. */
const spent = (micro: number): UsageDelta => ({ inputTokens: 1000, outputTokens: 100, cacheReadTokens: 0, cacheWriteTokens: 0, costMicroUsd: micro });

/** A UsageService on the memory ledger; the clock starts 30 seconds before December 2026. */
function makeUsage(options: Partial<UsageOptions> = {}, start = '2026-11-30T23:59:30.000Z') {
  const clock = new FixedClock(start);
  const ledger = new MemoryUsageLedger(clock);
  const usage = new UsageService({ ledger, rates: ledger, clock }, { prices: PRICES, ...options });
  return { clock, ledger, usage };
}

describe('UsageService.admit: the monthly budget', () => {
  it('lets a user under the limit send, and refuses one at it, naming the day it starts again', async () => {
    const { ledger, usage } = makeUsage({ defaultLimitUsd: 5 });
    await ledger.add(USER, MONTH, spent(4_999_999), 'Alice');
    await usage.admit(USER);
    await ledger.add(USER, MONTH, spent(1), 'Alice');
    const error = await expectDomainError(usage.admit(USER), { kind: 'throttled', code: 'USAGE_LIMIT_REACHED' });
    expect(error.message).toContain('$5.00');
    expect(error.message).toContain('2026-12-01');
    // Until the month ends, 30 seconds away.
    expect(error.retryAfterSeconds).toBe(30);
  });

  it('refuses a user over the limit (an answer that crossed it counted in full)', async () => {
    const { ledger, usage } = makeUsage({ defaultLimitUsd: 1 });
    await ledger.add(USER, MONTH, spent(1_250_000), 'Alice');
    await expectDomainError(usage.admit(USER), { kind: 'throttled', code: 'USAGE_LIMIT_REACHED' });
  });

  it('lets every user start again in a new month', async () => {
    const { clock, ledger, usage } = makeUsage({ defaultLimitUsd: 1 });
    await ledger.add(USER, MONTH, spent(1_000_000), 'Alice');
    await expectDomainError(usage.admit(USER), { code: 'USAGE_LIMIT_REACHED', kind: 'throttled' });
    clock.advance(30_000);
    await usage.admit(USER);
  });

  it('applies a user’s own limit over the default, higher or lower, and the default again once it is cleared', async () => {
    const { ledger, usage } = makeUsage({ defaultLimitUsd: 5 });
    await ledger.add(USER, MONTH, spent(6_000_000), 'Alice');
    await ledger.add(OTHER_USER, MONTH, spent(2_000_000), 'Bob');

    await usage.setLimit(USER, 10);
    await usage.setLimit(OTHER_USER, 1.5);
    await usage.admit(USER);
    await expectDomainError(usage.admit(OTHER_USER), { kind: 'throttled', code: 'USAGE_LIMIT_REACHED' });

    await usage.setLimit(USER, null);
    await usage.setLimit(OTHER_USER, null);
    await expectDomainError(usage.admit(USER), { kind: 'throttled', code: 'USAGE_LIMIT_REACHED' });
    await usage.admit(OTHER_USER);
  });

  it('refuses everything to a user whose own limit is zero', async () => {
    const { usage } = makeUsage();
    await usage.setLimit(USER, 0);
    await expectDomainError(usage.admit(USER), { kind: 'throttled', code: 'USAGE_LIMIT_REACHED' });
    await usage.admit(OTHER_USER);
  });

  it('lets anyone spend anything when there is no default and no own limit', async () => {
    const { ledger, usage } = makeUsage();
    await ledger.add(USER, MONTH, spent(1_000_000_000_000), 'Alice');
    await usage.admit(USER);
    expect((await usage.summary(USER)).limitUsd).toBeNull();
  });
});

describe('UsageService.admit: messages a minute', () => {
  it('counts each user’s messages per minute and refuses the one over, until the minute ends', async () => {
    const { clock, usage } = makeUsage({ messagesPerMinute: 3 }, '2026-11-12T10:15:45.500Z');
    for (let n = 0; n < 3; n++) await usage.admit(USER);
    const error = await expectDomainError(usage.admit(USER), { kind: 'throttled', code: 'RATE_LIMITED' });
    // 14.5 seconds to 10:16:00, rounded up.
    expect(error.retryAfterSeconds).toBe(15);
    expect(error.message).toContain('3 messages a minute');
    await usage.admit(OTHER_USER);

    clock.advance(14_500);
    for (let n = 0; n < 3; n++) await usage.admit(USER);
    await expectDomainError(usage.admit(USER), { kind: 'throttled', code: 'RATE_LIMITED' });
  });

  it('asks for at least one second', async () => {
    const { usage } = makeUsage({ messagesPerMinute: 1 }, '2026-11-12T10:15:59.990Z');
    await usage.admit(USER);
    expect((await expectDomainError(usage.admit(USER), { kind: 'throttled', code: 'RATE_LIMITED' })).retryAfterSeconds).toBe(1);
  });

  it('checks the budget first: a user over it is not counted against the rate', async () => {
    const { clock, ledger, usage } = makeUsage({ defaultLimitUsd: 1, messagesPerMinute: 1 }, '2026-11-12T10:15:00.000Z');
    await ledger.add(USER, MONTH, spent(1_000_000), 'Alice');
    await expectDomainError(usage.admit(USER), { code: 'USAGE_LIMIT_REACHED', kind: 'throttled' });
    await usage.setLimit(USER, 2);
    clock.advance(1000);
    await usage.admit(USER);
  });

  it('counts nothing when there is no rate limit', async () => {
    const { usage } = makeUsage();
    for (let n = 0; n < 50; n++) await usage.admit(USER);
  });
});

describe('UsageService.record', () => {
  it('adds the answer’s tokens to the month at the configured prices, cache tokens included', async () => {
    const { ledger, usage } = makeUsage({}, '2026-11-12T10:15:00.000Z');
    await usage.record(USER, 'alice@example.com', { inputTokens: 1000, outputTokens: 200, cacheReadTokens: 10_000, cacheWriteTokens: 2000 });
    await usage.record(USER, 'Alice', { inputTokens: 1, outputTokens: 1 });
    // 1000 × $3 + 200 × $15 + 10,000 × $0.30 + 2000 × $3.75 per million, then 1 × $3 + 1 × $15.
    expect(await ledger.get(USER, MONTH)).toEqual({
      userId: USER,
      month: MONTH,
      inputTokens: 1001,
      outputTokens: 201,
      cacheReadTokens: 10_000,
      cacheWriteTokens: 2000,
      costMicroUsd: 16_500 + 18,
      displayName: 'Alice',
    });
  });

  it('rounds each answer to the micro-dollar', async () => {
    const { ledger, usage } = makeUsage({}, '2026-11-12T10:15:00.000Z');
    await usage.record(USER, 'Alice', { inputTokens: 0, outputTokens: 0, cacheReadTokens: 3 });
    expect((await ledger.get(USER, MONTH)).costMicroUsd).toBe(1); // 0.9 micro-dollars
  });

  it('records nothing for an answer without tokens', async () => {
    const { ledger, usage } = makeUsage({}, '2026-11-12T10:15:00.000Z');
    await usage.record(USER, 'Alice', { inputTokens: 0, outputTokens: 0 });
    expect(await ledger.listMonth(MONTH, { limit: 10 })).toEqual({ items: [] });
  });
});

describe('UsageService.summary', () => {
  it('gives the user’s month, its cost in dollars, the limit and when it resets', async () => {
    const { ledger, usage } = makeUsage({ defaultLimitUsd: 5 }, '2026-11-12T10:15:00.000Z');
    await ledger.add(USER, MONTH, spent(420_000), 'Alice');
    await ledger.add(USER, '2026-10', spent(9_000_000), 'Alice');
    expect(await usage.summary(USER)).toEqual({
      month: MONTH,
      costUsd: 0.42,
      inputTokens: 1000,
      outputTokens: 100,
      limitUsd: 5,
      resetsAt: '2026-12-01T00:00:00.000Z',
    });
    await usage.setLimit(USER, 12.5);
    expect((await usage.summary(USER)).limitUsd).toBe(12.5);
    expect(await usage.summary(OTHER_USER)).toMatchObject({ costUsd: 0, inputTokens: 0, outputTokens: 0, limitUsd: 5 });
  });

  it('rolls over to the new year in December', async () => {
    const { usage } = makeUsage({}, '2026-12-31T23:00:00.000Z');
    expect(await usage.summary(USER)).toMatchObject({ month: '2026-12', resetsAt: '2027-01-01T00:00:00.000Z', limitUsd: null });
  });
});

describe('UsageService.monthReport and setLimit', () => {
  it('lists every user of the month with names, costs and their limits, own or default', async () => {
    const { ledger, usage } = makeUsage({ defaultLimitUsd: 5 }, '2026-11-12T10:15:00.000Z');
    await ledger.add(USER, MONTH, { inputTokens: 10, outputTokens: 20, cacheReadTokens: 30, cacheWriteTokens: 40, costMicroUsd: 1_500_000 }, 'Alice');
    await ledger.add(OTHER_USER, MONTH, spent(250_000), 'bob@example.com');
    await usage.setLimit(OTHER_USER, 20);
    expect(await usage.monthReport(undefined, { limit: 50 })).toEqual({
      month: MONTH,
      items: [
        {
          userId: USER,
          displayName: 'Alice',
          costUsd: 1.5,
          inputTokens: 10,
          outputTokens: 20,
          cacheReadTokens: 30,
          cacheWriteTokens: 40,
          limitUsd: 5,
          ownLimit: false,
        },
        {
          userId: OTHER_USER,
          displayName: 'bob@example.com',
          costUsd: 0.25,
          inputTokens: 1000,
          outputTokens: 100,
          cacheReadTokens: 0,
          cacheWriteTokens: 0,
          limitUsd: 20,
          ownLimit: true,
        },
      ],
    });
  });

  it('pages, reads the month asked for, and says unlimited when there is no default', async () => {
    const { ledger, usage } = makeUsage({}, '2026-11-12T10:15:00.000Z');
    for (const userId of ['u1', 'u2', 'u3']) await ledger.add(userId, '2026-10', spent(1), userId);
    const first = await usage.monthReport('2026-10', { limit: 2 });
    expect(first.month).toBe('2026-10');
    expect(first.items.map((item) => [item.userId, item.limitUsd, item.ownLimit])).toEqual([
      ['u1', null, false],
      ['u2', null, false],
    ]);
    const second = await usage.monthReport('2026-10', { limit: 2, cursor: first.nextCursor! });
    expect(second).toEqual({ month: '2026-10', items: [expect.objectContaining({ userId: 'u3' })] });
    expect(await usage.monthReport(undefined, { limit: 2 })).toEqual({ month: MONTH, items: [] });
  });

  it('refuses a month that is not YYYY-MM, and a cursor it did not make', async () => {
    const { usage } = makeUsage();
    for (const month of ['2026-13', '2026-1', 'November', '2026-11-01', '']) {
      await expectDomainError(usage.monthReport(month, { limit: 10 }), { kind: 'invalid', code: 'INVALID_MONTH' });
    }
    await expectDomainError(usage.monthReport(MONTH, { limit: 10, cursor: '!!' }), { kind: 'invalid', code: 'INVALID_CURSOR' });
  });

  it('answers setLimit with the limit now in force, and refuses amounts that are not one', async () => {
    const { usage } = makeUsage({ defaultLimitUsd: 5 });
    expect(await usage.setLimit(USER, 7.25)).toEqual({ limitUsd: 7.25, ownLimit: true });
    expect(await usage.setLimit(USER, null)).toEqual({ limitUsd: 5, ownLimit: false });
    for (const limitUsd of [-0.01, Number.NaN, Number.POSITIVE_INFINITY, 1_000_000.01]) {
      await expectDomainError(usage.setLimit(USER, limitUsd), { kind: 'invalid', code: 'INVALID_LIMIT' });
    }
    expect(await usage.setLimit(USER, 1_000_000)).toEqual({ limitUsd: 1_000_000, ownLimit: true });
  });

  it('answers a cleared limit with null when there is no default', async () => {
    const { usage } = makeUsage();
    expect(await usage.setLimit(USER, null)).toEqual({ limitUsd: null, ownLimit: false });
  });
});
