import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAppI18n } from '../i18n';
import { useUsageStore } from '../stores/usage';
import SpendingLine from './SpendingLine.vue';

const summary = (costUsd: number, limitUsd: number | null) => ({
  month: '2026-11', costUsd, inputTokens: 12_345, outputTokens: 678, limitUsd, resetsAt: '2026-12-01T00:00:00.000Z', admin: false,
});

describe('SpendingLine', () => {
  beforeEach(() => setActivePinia(createPinia()));
  afterEach(() => (document.body.innerHTML = ''));
  const mountLine = (locale: 'en' | 'fr' = 'en') => mount(SpendingLine, { attachTo: document.body, global: { plugins: [createAppI18n(locale)] } });
  const line = (wrapper: ReturnType<typeof mountLine>) => wrapper.get('[data-testid="spending-line"]');

  it('says what was spent of the month’s limit, in a polite live region', async () => {
    const wrapper = mountLine();
    const usage = useUsageStore();
    // Before /usage answers, and for unlimited users: an empty box, so that nothing moves.
    expect(line(wrapper).text()).toBe('');
    expect(line(wrapper).attributes('role')).toBe('status');
    usage.summary = summary(0.42, 5);
    await wrapper.vm.$nextTick();
    expect(line(wrapper).text()).toBe('This month: $0.42 of $5.00');
    usage.summary = summary(3, null);
    await wrapper.vm.$nextTick();
    expect(line(wrapper).text()).toBe('');
  });

  it('shows the details on a tap, and Escape hides them and gives the focus back', async () => {
    const wrapper = mountLine();
    useUsageStore().summary = summary(0.42, 5);
    await wrapper.vm.$nextTick();
    const toggle = wrapper.get('button');
    expect(toggle.attributes('aria-expanded')).toBe('false');
    await toggle.trigger('click');
    expect(toggle.attributes('aria-expanded')).toBe('true');
    const details = wrapper.get('[role="group"]');
    expect(details.attributes('aria-label')).toBe('Your spending this month');
    expect(toggle.attributes('aria-controls')).toBe(details.attributes('id'));
    expect(details.text()).toContain('Left$4.58');
    expect(details.text()).toContain('Tokens12,345 in · 678 out');
    expect(details.text()).toMatch(/Resets on.*2026/);
    // Not part of the live region: opening the details announces nothing new.
    expect(line(wrapper).text()).toBe('This month: $0.42 of $5.00');

    await details.trigger('keydown', { key: 'Escape' });
    expect(wrapper.find('[role="group"]').exists()).toBe(false);
    expect(document.activeElement).toBe(toggle.element);
  });

  it('says so when the limit is reached, in French too', async () => {
    const wrapper = mountLine('fr');
    useUsageStore().summary = summary(5.2, 5);
    await wrapper.vm.$nextTick();
    expect(line(wrapper).text()).toMatch(/^Limite mensuelle atteinte : 5,20\s\$US sur 5,00\s\$US$/);
    expect(wrapper.get('button').classes().join(' ')).toContain('text-red-700');
    await wrapper.get('button').trigger('click');
    const details = wrapper.get('[role="group"]');
    expect(details.text()).toContain('Vos dépenses ce mois-ci');
    expect(details.text()).toMatch(/Reste0,00\s\$US/);
    expect(details.text()).toContain('Les nouveaux messages sont refusés jusque-là');
  });
});
