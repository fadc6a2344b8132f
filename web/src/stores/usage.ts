import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { UsageSummary } from '../api/types';
import { useSessionStore } from './session';

/**
 * The signed-in user's spending this month (`GET /usage`): the line under the composer, whether
 * the budget is spent, when it resets, and whether the user may open the admins' page.
 */
export const useUsageStore = defineStore('usage', () => {
  const summary = ref<UsageSummary>();
  let asked = 0;

  const limited = computed(() => summary.value !== undefined && summary.value.limitUsd !== null);
  /** The month's budget is spent: the next message will be refused until it resets or an admin raises it. */
  const reached = computed(() => {
    const current = summary.value;
    return current !== undefined && current.limitUsd !== null && current.costUsd >= current.limitUsd;
  });
  /** 0..1 of the budget used; undefined when unlimited. */
  const fraction = computed(() => {
    const current = summary.value;
    if (!current || current.limitUsd === null) return undefined;
    return current.limitUsd === 0 ? 1 : Math.min(1, current.costUsd / current.limitUsd);
  });
  const admin = computed(() => summary.value?.admin === true);

  /** Asks again; a failure keeps what was known (the line is a courtesy, never in the way). */
  async function refresh(): Promise<void> {
    const ticket = ++asked;
    try {
      const fresh = await useSessionStore().client().getUsage();
      if (ticket === asked) summary.value = fresh;
    } catch {
      // an older server without /usage, or the network: nothing to show
    }
  }

  function reset(): void {
    asked++;
    summary.value = undefined;
  }

  useSessionStore().onSignOut(reset);

  return { summary, limited, reached, fraction, admin, refresh, reset };
});
