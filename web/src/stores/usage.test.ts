import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { ApiError, type ApiClient } from '../api/client';
import type { UsageSummary } from '../api/types';
import { useSessionStore } from './session';
import { useUsageStore } from './usage';

const month = (costUsd: number, limitUsd: number | null, admin = false): UsageSummary => ({
  month: '2026-11', costUsd, inputTokens: 10, outputTokens: 5, limitUsd, resetsAt: '2026-12-01T00:00:00.000Z', admin,
});

function answering(...replies: Array<UsageSummary | Error>): void {
  useSessionStore().client = () => ({
    getUsage: async () => {
      const reply = replies.shift()!;
      if (reply instanceof Error) throw reply;
      return reply;
    },
  }) as unknown as ApiClient;
}

describe('the usage store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('knows how much of the budget is used and when it is spent', async () => {
    answering(month(0.42, 5), month(5, 5, true), month(1, null));
    const usage = useUsageStore();
    await usage.refresh();
    expect([usage.limited, usage.reached, usage.admin]).toEqual([true, false, false]);
    expect(usage.fraction).toBeCloseTo(0.084);
    await usage.refresh();
    expect([usage.reached, usage.fraction, usage.admin]).toEqual([true, 1, true]);
    await usage.refresh();
    expect([usage.limited, usage.reached, usage.fraction]).toEqual([false, false, undefined]);
  });

  it('keeps what it knew when asking fails, and forgets it on sign-out', async () => {
    answering(month(0.42, 5), new ApiError(0, 'NETWORK_ERROR', 'offline'));
    const usage = useUsageStore();
    await usage.refresh();
    await usage.refresh();
    expect(usage.summary?.costUsd).toBe(0.42);
    useSessionStore().signOut();
    expect(usage.summary).toBeUndefined();
  });
});
