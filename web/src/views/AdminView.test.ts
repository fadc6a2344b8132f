import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { ApiError, type ApiClient } from '../api/client';
import type { UserUsage } from '../api/types';
import { createAppI18n } from '../i18n';
import { currentMonth } from '../lib/usage-table';
import { useSessionStore } from '../stores/session';
import AdminView from './AdminView.vue';

const row = (userId: string, displayName: string | null, costUsd: number): UserUsage => ({
  userId, displayName, costUsd, inputTokens: 1000 * costUsd, outputTokens: 10, cacheReadTokens: 0, cacheWriteTokens: 0, limitUsd: 5, ownLimit: false,
});

async function mountAdmin(getAdminUsage: ApiClient['getAdminUsage']) {
  useSessionStore().client = () => ({ getAdminUsage, getUsage: async () => ({}) }) as unknown as ApiClient;
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/', component: { template: '<p/>' } }, { path: '/admin', component: AdminView }] });
  await router.push('/admin');
  const view = mount(AdminView, { global: { plugins: [createAppI18n('en'), router] } });
  await flushPromises();
  return view;
}

describe('AdminView', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('shows this month’s users, sorted by the column header pressed, with aria-sort', async () => {
    const asked: unknown[] = [];
    const view = await mountAdmin(async (query) => {
      asked.push(query);
      return { month: currentMonth(), items: [row('u1', 'alice', 0.5), row('u2', null, 2), row('u3', 'bob', 1)] };
    });
    expect(asked).toEqual([{ month: currentMonth(), limit: 50 }]);
    const users = () => view.findAll('tbody th[scope=row] span:first-child').map((cell) => cell.text());
    const sortOf = (name: string) => view.findAll('thead th').find((header) => header.text().includes(name))!.attributes('aria-sort');
    expect(users()).toEqual(['alice', 'bob', 'u2']);
    expect(sortOf('User')).toBe('ascending');
    const cost = view.findAll('thead th button').find((button) => button.text() === 'Cost')!;
    await cost.trigger('click');
    expect(users()).toEqual(['u2', 'bob', 'alice']);
    expect([sortOf('Cost'), sortOf('User')]).toEqual(['descending', 'none']);
    // A button: Enter and Space press it, as any button.
    expect(cost.element.tagName).toBe('BUTTON');
    await cost.trigger('click');
    expect(users()).toEqual(['alice', 'bob', 'u2']);
    expect(sortOf('Cost')).toBe('ascending');
    expect(view.text()).toContain('3 users · $3.50 in total');
  });

  it('shows a non-admin that the page is not for them', async () => {
    const view = await mountAdmin(async () => {
      throw new ApiError(403, 'FORBIDDEN', 'Only admins can do this.');
    });
    expect(view.get('[role=alert]').text()).toContain('Only admins can see this page');
    expect(view.find('table').exists()).toBe(false);
  });

  it('offers more rows while the API has them', async () => {
    const view = await mountAdmin(async ({ cursor } = {}) =>
      cursor ? { month: currentMonth(), items: [row('u9', 'zoe', 1)] } : { month: currentMonth(), items: [row('u1', 'alice', 1)], nextCursor: 'c2' },
    );
    const more = view.findAll('button').find((button) => button.text() === 'Load more')!;
    await more.trigger('click');
    await flushPromises();
    expect(view.findAll('tbody th[scope=row]')).toHaveLength(2);
    expect(view.findAll('button').some((button) => button.text() === 'Load more')).toBe(false);
  });

  it('opens a row’s limit editor under it, and shows the new limit once saved', async () => {
    const limits: Array<[string, number | null]> = [];
    useSessionStore().client = () => ({
      getAdminUsage: async () => ({ month: currentMonth(), items: [row('u1', 'alice', 0.5)] }),
      setUserLimit: async (userId: string, limitUsd: number | null) => {
        limits.push([userId, limitUsd]);
        return { userId, limitUsd, ownLimit: true };
      },
      getUsage: async () => ({}),
    }) as unknown as ApiClient;
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/', component: { template: '<p/>' } }, { path: '/admin', component: AdminView }] });
    await router.push('/admin');
    const view = mount(AdminView, { global: { plugins: [createAppI18n('en'), router] }, attachTo: document.body });
    await flushPromises();
    expect(view.get('tbody tr').text()).toContain('$5.00default');
    const edit = view.get('button[aria-label="Edit the monthly limit of alice"]');
    await edit.trigger('click');
    expect(edit.attributes('aria-expanded')).toBe('true');
    expect(view.findAll('tbody tr')).toHaveLength(2);
    await view.get('input').setValue('7.5');
    await view.get('form').trigger('submit');
    await flushPromises();
    expect(limits).toEqual([['u1', 7.5]]);
    expect(view.findAll('tbody tr')).toHaveLength(1);
    expect(view.get('tbody tr').text()).toContain('$7.50own');
    expect(view.get('[role=status]').text()).toBe('Saved');
    expect(document.activeElement).toBe(edit.element);
    view.unmount();
  });
});
