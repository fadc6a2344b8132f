import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { ApiError, type ApiClient } from '../api/client';
import type { MonthReport, UserUsage } from '../api/types';
import { currentMonth } from '../lib/usage-table';
import { useAdminUsageStore } from './admin-usage';
import { useSessionStore } from './session';

const row = (userId: string, costUsd: number, limitUsd: number | null = 5, ownLimit = false): UserUsage => ({
  userId, displayName: userId, costUsd, inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, limitUsd, ownLimit,
});

interface Fake {
  asked: Array<{ month?: string; cursor?: string; limit?: number }>;
  limits: Array<[string, number | null]>;
}

function fakeAdminApi(pages: (query: { month?: string; cursor?: string }) => MonthReport | Promise<MonthReport> | Error): Fake {
  const fake: Fake = { asked: [], limits: [] };
  useSessionStore().client = () => ({
    getAdminUsage: async (query: { month?: string; cursor?: string; limit?: number }) => {
      fake.asked.push(query);
      const page = await pages(query);
      if (page instanceof Error) throw page;
      return page;
    },
    setUserLimit: async (userId: string, limitUsd: number | null) => {
      fake.limits.push([userId, limitUsd]);
      if (limitUsd !== null && limitUsd > 100) throw new ApiError(400, 'INVALID_LIMIT', 'Too much.');
      return { userId, limitUsd: limitUsd ?? 5, ownLimit: limitUsd !== null };
    },
    getUsage: async () => ({ month: '2026-11', costUsd: 0, inputTokens: 0, outputTokens: 0, limitUsd: null, resetsAt: '', admin: true }),
  }) as unknown as ApiClient;
  return fake;
}

describe('the admins’ usage store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('loads a month page by page, without the same user twice', async () => {
    const fake = fakeAdminApi(({ cursor }) =>
      cursor ? { month: '2026-10', items: [row('b', 1), row('c', 9)] } : { month: '2026-10', items: [row('a', 3), row('b', 1)], nextCursor: 'next' },
    );
    const store = useAdminUsageStore();
    await store.load('2026-10');
    expect(store.hasMore).toBe(true);
    await store.loadMore();
    expect(store.rows.map((item) => item.userId)).toEqual(['a', 'b', 'c']);
    expect(store.hasMore).toBe(false);
    expect(fake.asked).toEqual([{ month: '2026-10', limit: 50 }, { month: '2026-10', cursor: 'next', limit: 50 }]);
    expect(store.totalCostUsd).toBe(13);
    store.sortBy('cost');
    expect(store.sorted.map((item) => item.userId)).toEqual(['c', 'a', 'b']);
    store.sortBy('cost');
    expect(store.sorted.map((item) => item.userId)).toEqual(['b', 'a', 'c']);
  });

  it('shows the month picked last even when an earlier one answers later', async () => {
    let release: () => void = () => undefined;
    fakeAdminApi(async ({ month }) => {
      if (month === '2026-09') await new Promise<void>((resolve) => (release = resolve));
      return { month: month!, items: [row(`user-${month}`, 1)] };
    });
    const store = useAdminUsageStore();
    const slow = store.load('2026-09');
    await store.load('2026-10');
    release();
    await slow;
    expect(store.month).toBe('2026-10');
    expect(store.rows.map((item) => item.userId)).toEqual(['user-2026-10']);
    expect(store.loading).toBe(false);
  });

  it('knows a non-admin from a 403, and other failures from their code', async () => {
    let reply: Error = new ApiError(403, 'FORBIDDEN', 'Only admins can do this.');
    fakeAdminApi(() => reply);
    const store = useAdminUsageStore();
    await store.load();
    expect(store.forbidden).toBe(true);
    reply = new ApiError(400, 'INVALID_MONTH', 'Bad month.');
    setActivePinia(createPinia());
    fakeAdminApi(() => reply);
    const other = useAdminUsageStore();
    await other.load('1999-01');
    expect([other.forbidden, other.error?.code]).toEqual([false, 'INVALID_MONTH']);
  });

  it('changes a limit in place, and clears it back to the default', async () => {
    const fake = fakeAdminApi(() => ({ month: '2026-11', items: [row('a', 3), row('b', 1)] }));
    const store = useAdminUsageStore();
    await store.load();
    await store.setLimit('a', 20);
    expect(store.rows[0]).toMatchObject({ limitUsd: 20, ownLimit: true });
    await store.setLimit('a', null);
    expect(store.rows[0]).toMatchObject({ limitUsd: 5, ownLimit: false });
    await expect(store.setLimit('b', 500)).rejects.toMatchObject({ code: 'INVALID_LIMIT' });
    expect(store.rows[1]).toMatchObject({ limitUsd: 5, ownLimit: false });
    expect(fake.limits).toEqual([['a', 20], ['a', null], ['b', 500]]);
  });

  it('forgets every user’s usage on sign-out, and drops a page still on its way', async () => {
    let release: () => void = () => undefined;
    fakeAdminApi(async ({ cursor }) => {
      if (cursor) await new Promise<void>((resolve) => (release = resolve));
      return { month: '2026-10', items: [row(cursor ? 'late' : 'a', 3)], nextCursor: cursor ? undefined : 'next' };
    });
    const store = useAdminUsageStore();
    await store.load('2026-10');
    store.sortBy('cost');
    const more = store.loadMore();
    useSessionStore().signOut();
    release();
    await more;
    expect([store.rows, store.loaded, store.hasMore, store.loadingMore, store.month, store.sort]).toEqual([
      [], false, false, false, currentMonth(), { key: 'user', direction: 'ascending' },
    ]);
  });
});
