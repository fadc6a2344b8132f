import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { ApiError } from '../api/client';
import type { UserUsage } from '../api/types';
import type { ErrorLike } from '../lib/errors';
import { currentMonth, sortRows, type SortKey, type SortState, nextSort } from '../lib/usage-table';
import { useSessionStore } from './session';
import { useUsageStore } from './usage';

/** Rows asked for a page. */
export const PAGE_SIZE = 50;

/**
 * The admins' page (`/admin`, its own chunk): every user's usage in a month, a page at a time,
 * sorted by the column the admin chose, and each user's monthly limit changed in place.
 */
export const useAdminUsageStore = defineStore('adminUsage', () => {
  const month = ref(currentMonth());
  const rows = ref<UserUsage[]>([]);
  const nextCursor = ref<string>();
  const loading = ref(false);
  const loadingMore = ref(false);
  const loaded = ref(false);
  /** The API said 403: the user is not an admin. */
  const forbidden = ref(false);
  const error = ref<ErrorLike>();
  const sort = ref<SortState>({ key: 'user', direction: 'ascending' });
  const locale = ref('en');
  let ticket = 0;

  const sorted = computed(() => sortRows(rows.value, sort.value, locale.value));
  const hasMore = computed(() => nextCursor.value !== undefined);
  const totalCostUsd = computed(() => rows.value.reduce((sum, row) => sum + row.costUsd, 0));

  function fail(caught: unknown): void {
    if (caught instanceof ApiError && caught.status === 403) forbidden.value = true;
    else error.value = caught instanceof ApiError ? { code: caught.code, message: caught.message } : { code: 'ERROR', message: (caught as Error).message };
  }

  /** The first page of `wanted` (this month by default), in place of what was shown. */
  async function load(wanted: string = month.value): Promise<void> {
    const mine = ++ticket;
    month.value = wanted;
    rows.value = [];
    nextCursor.value = undefined;
    error.value = undefined;
    loaded.value = false;
    loading.value = true;
    try {
      const page = await useSessionStore().client().getAdminUsage({ month: wanted, limit: PAGE_SIZE });
      if (mine !== ticket) return;
      forbidden.value = false;
      rows.value = page.items;
      nextCursor.value = page.nextCursor;
      loaded.value = true;
    } catch (caught) {
      if (mine === ticket) fail(caught);
    } finally {
      if (mine === ticket) loading.value = false;
    }
  }

  /** The next page, after the rows shown ("Load more"). */
  async function loadMore(): Promise<void> {
    const cursor = nextCursor.value;
    if (!cursor || loadingMore.value || loading.value) return;
    const mine = ticket;
    loadingMore.value = true;
    error.value = undefined;
    try {
      const page = await useSessionStore().client().getAdminUsage({ month: month.value, cursor, limit: PAGE_SIZE });
      if (mine !== ticket) return;
      const known = new Set(rows.value.map((row) => row.userId));
      rows.value = [...rows.value, ...page.items.filter((row) => !known.has(row.userId))];
      nextCursor.value = page.nextCursor;
    } catch (caught) {
      if (mine === ticket) fail(caught);
    } finally {
      if (mine === ticket) loadingMore.value = false;
    }
  }

  function sortBy(key: SortKey): void {
    sort.value = nextSort(sort.value, key);
  }

  /** Sets a user's own limit, or clears it (null): the row shows the limit that applies now. Throws the API's error. */
  async function setLimit(userId: string, limitUsd: number | null): Promise<void> {
    const changed = await useSessionStore().client().setUserLimit(userId, limitUsd);
    rows.value = rows.value.map((row) => (row.userId === userId ? { ...row, limitUsd: changed.limitUsd, ownLimit: changed.ownLimit } : row));
    // The admin may have changed their own.
    void useUsageStore().refresh();
  }

  /** Forgets everything (sign-out): the next admin, or user, starts from an empty table. An answer still on its way is dropped. */
  function reset(): void {
    ticket++;
    month.value = currentMonth();
    rows.value = [];
    nextCursor.value = undefined;
    loading.value = false;
    loadingMore.value = false;
    loaded.value = false;
    forbidden.value = false;
    error.value = undefined;
    sort.value = { key: 'user', direction: 'ascending' };
  }

  useSessionStore().onSignOut(reset);

  return { month, rows, sorted, nextCursor, hasMore, loading, loadingMore, loaded, forbidden, error, sort, locale, totalCostUsd, load, loadMore, sortBy, setLimit, reset };
});
