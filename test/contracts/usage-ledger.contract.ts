import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UsageLedger } from '../../src/domain/ports/usage-ledger.js';
import type { MonthlyUsage, UsageDelta } from '../../src/domain/usage.js';
import { expectDomainError } from '../support/domain-error.js';

export type MakeUsageLedger = () => Promise<{ ledger: UsageLedger; cleanup?: () => Promise<void> }>;

const MONTH = '2026-11';
const NEXT_MONTH = '2026-12';

const delta = (n: number): UsageDelta => ({
  inputTokens: 1000 * n,
  outputTokens: 100 * n,
  cacheReadTokens: 10 * n,
  cacheWriteTokens: n,
  // Cost in micro-dollars: whole numbers that dollars as floats would not sum exactly (0.1 + 0.2).
  costMicroUsd: 100_001 * n,
});

const zeros = (userId: string, month: string): MonthlyUsage => ({
  userId,
  month,
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  costMicroUsd: 0,
});

/**
 * What every UsageLedger must do, through the port only. Each test gets a fresh ledger from
 * `makeLedger` (a fresh table for stores), since listing a month reads across users.
 */
export function usageLedgerContract(name: string, makeLedger: MakeUsageLedger): void {
  describe(`UsageLedger contract: ${name}`, () => {
    let ledger: UsageLedger;
    let cleanup: (() => Promise<void>) | undefined;
    let run: string;
    let alice: string;
    let bob: string;

    beforeEach(async () => {
      ({ ledger, cleanup } = await makeLedger());
      run = randomUUID();
      alice = `alice-${run}`;
      bob = `bob-${run}`;
    });
    afterEach(async () => {
      await cleanup?.();
    });

    const listAll = async (month: string, limit: number) => {
      const pages: { users: string[]; nextCursor?: string }[] = [];
      const items: MonthlyUsage[] = [];
      let cursor: string | undefined;
      do {
        const page = await ledger.listMonth(month, cursor === undefined ? { limit } : { limit, cursor });
        items.push(...page.items);
        pages.push({ users: page.items.map((item) => item.userId), ...(page.nextCursor && { nextCursor: page.nextCursor }) });
        cursor = page.nextCursor;
      } while (cursor !== undefined && pages.length < 100);
      return { pages, items };
    };

    it('gives zeros for a user with nothing recorded', async () => {
      expect(await ledger.get(alice, MONTH)).toEqual(zeros(alice, MONTH));
    });

    it('adds up every answer exactly, and keeps the last display name', async () => {
      await ledger.add(alice, MONTH, delta(1), 'Alice');
      await ledger.add(alice, MONTH, delta(2), 'alice@example.com');
      expect(await ledger.get(alice, MONTH)).toEqual({
        userId: alice,
        month: MONTH,
        inputTokens: 3000,
        outputTokens: 300,
        cacheReadTokens: 30,
        cacheWriteTokens: 3,
        costMicroUsd: 300_003,
        displayName: 'alice@example.com',
      });
    });

    it('keeps months apart and users apart', async () => {
      await ledger.add(alice, MONTH, delta(1), 'Alice');
      await ledger.add(alice, NEXT_MONTH, delta(5), 'Alice');
      await ledger.add(bob, MONTH, delta(2), 'Bob');
      expect(await ledger.get(alice, MONTH)).toMatchObject({ inputTokens: 1000, costMicroUsd: 100_001 });
      expect(await ledger.get(alice, NEXT_MONTH)).toMatchObject({ inputTokens: 5000, costMicroUsd: 500_005 });
      expect(await ledger.get(bob, MONTH)).toMatchObject({ inputTokens: 2000, costMicroUsd: 200_002, displayName: 'Bob' });
      expect(await ledger.get(bob, NEXT_MONTH)).toEqual(zeros(bob, NEXT_MONTH));
    });

    it('counts every one of 20 answers of one user ending at once', async () => {
      await Promise.all(Array.from({ length: 20 }, () => ledger.add(alice, MONTH, delta(1), 'Alice')));
      expect(await ledger.get(alice, MONTH)).toEqual({
        userId: alice,
        month: MONTH,
        inputTokens: 20_000,
        outputTokens: 2000,
        cacheReadTokens: 200,
        cacheWriteTokens: 20,
        costMicroUsd: 2_000_020,
        displayName: 'Alice',
      });
    });

    it('lists a month page by page: every user once, in user id order, with their names and totals', async () => {
      const users = Array.from({ length: 7 }, (_, n) => `user-${n}-${run}`);
      // Recorded out of order, some twice, and one user in another month only.
      for (const n of [4, 1, 6, 0, 3, 5, 2, 4, 0]) await ledger.add(users[n]!, MONTH, delta(n + 1), `User ${n}`);
      await ledger.add(alice, NEXT_MONTH, delta(1), 'Alice');

      const { pages, items } = await listAll(MONTH, 3);
      expect(pages.map((page) => page.users)).toEqual([users.slice(0, 3), users.slice(3, 6), users.slice(6)]);
      expect(pages.at(-1)?.nextCursor).toBeUndefined();
      expect(items[0]).toEqual({ ...zeros(users[0]!, MONTH), ...scaled(delta(1), 2), displayName: 'User 0' });
      expect(items[6]).toEqual({ ...zeros(users[6]!, MONTH), ...delta(7), displayName: 'User 6' });

      const whole = await ledger.listMonth(MONTH, { limit: 7 });
      expect(whole.items.map((item) => item.userId)).toEqual(users);
      expect(whole.nextCursor).toBeUndefined();
      expect((await ledger.listMonth(NEXT_MONTH, { limit: 10 })).items.map((item) => item.userId)).toEqual([alice]);
    });

    it('lists nothing for a month nobody used', async () => {
      await ledger.add(alice, MONTH, delta(1), 'Alice');
      expect(await ledger.listMonth('2025-01', { limit: 10 })).toEqual({ items: [] });
    });

    it('refuses a cursor it did not make', async () => {
      for (const cursor of ['not a cursor', Buffer.from('{"u":1}').toString('base64url'), Buffer.from('""').toString('base64url')]) {
        await expectDomainError(ledger.listMonth(MONTH, { limit: 10, cursor }), { kind: 'invalid', code: 'INVALID_CURSOR' });
      }
    });

    it('sets, reads, replaces and clears a user’s own limit', async () => {
      expect(await ledger.getLimit(alice)).toBeUndefined();
      await ledger.setLimit(alice, 5_000_000);
      expect(await ledger.getLimit(alice)).toBe(5_000_000);
      await ledger.setLimit(alice, 0);
      expect(await ledger.getLimit(alice)).toBe(0);
      await ledger.setLimit(alice, null);
      expect(await ledger.getLimit(alice)).toBeUndefined();
      await ledger.setLimit(bob, null); // clearing a limit that was never set is fine
      expect(await ledger.getLimit(bob)).toBeUndefined();
    });

    it('reads a user’s month and own limit together, as each alone reads them', async () => {
      expect(await ledger.getStanding(alice, MONTH)).toEqual({ usage: zeros(alice, MONTH) });
      await ledger.add(alice, MONTH, { inputTokens: 3, outputTokens: 4, cacheReadTokens: 0, cacheWriteTokens: 0, costMicroUsd: 250 }, 'Alice');
      await ledger.setLimit(alice, 0);
      await ledger.setLimit(bob, 7_000_000);
      expect(await ledger.getStanding(alice, MONTH)).toEqual({ usage: await ledger.get(alice, MONTH), limitMicroUsd: 0 });
      expect((await ledger.getStanding(alice, MONTH)).usage.costMicroUsd).toBe(250);
      expect(await ledger.getStanding(bob, MONTH)).toEqual({ usage: zeros(bob, MONTH), limitMicroUsd: 7_000_000 });
    });

    it('reads many users’ limits at once, only those who have one', async () => {
      const users = Array.from({ length: 130 }, (_, n) => `user-${n}-${run}`);
      await Promise.all(users.filter((_, n) => n % 3 === 0).map((userId, n) => ledger.setLimit(userId, n * 1000)));
      const limits = await ledger.getLimits([...users, users[0]!]);
      expect(limits.size).toBe(44);
      expect(limits.get(users[0]!)).toBe(0);
      expect(limits.get(users[129]!)).toBe(43_000);
      expect(limits.has(users[1]!)).toBe(false);
      expect(await ledger.getLimits([])).toEqual(new Map());
    });

    it('keeps limits out of the month’s list', async () => {
      await ledger.setLimit(bob, 1_000_000);
      await ledger.add(alice, MONTH, delta(1), 'Alice');
      expect((await ledger.listMonth(MONTH, { limit: 10 })).items.map((item) => item.userId)).toEqual([alice]);
    });
  });
}

function scaled(usage: UsageDelta, times: number): UsageDelta {
  return {
    inputTokens: usage.inputTokens * times,
    outputTokens: usage.outputTokens * times,
    cacheReadTokens: usage.cacheReadTokens * times,
    cacheWriteTokens: usage.cacheWriteTokens * times,
    costMicroUsd: usage.costMicroUsd * times,
  };
}
