import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAppI18n } from '../i18n';
import { useUsageStore } from '../stores/usage';
import SpendingLine from './SpendingLine.vue';

const summary = (costUsd: number, limitUsd: number | null) => ({
  month: '2026-11', costUsd, inputTokens: 1, outputTokens: 1, limitUsd, resetsAt: '2026-12-01T00:00:00.000Z', admin: false,
});

describe('SpendingLine', () => {
  beforeEach(() => setActivePinia(createPinia()));
  const mountLine = (locale: 'en' | 'fr' = 'en') => mount(SpendingLine, { global: { plugins: [createAppI18n(locale)] } });

  it('says what was spent of the month’s limit, in a polite live region', async () => {
    const line = mountLine();
    const usage = useUsageStore();
    // Before /usage answers, and for unlimited users: an empty box, so that nothing moves.
    expect(line.text()).toBe('');
    expect(line.attributes('role')).toBe('status');
    usage.summary = summary(0.42, 5);
    await line.vm.$nextTick();
    expect(line.text()).toBe('This month: $0.42 of $5.00');
    expect(line.attributes('title')).toContain('It resets on');
    usage.summary = summary(3, null);
    await line.vm.$nextTick();
    expect(line.text()).toBe('');
  });

  it('says so when the limit is reached, in French too', async () => {
    const line = mountLine('fr');
    useUsageStore().summary = summary(5.2, 5);
    await line.vm.$nextTick();
    expect(line.text()).toMatch(/^Limite mensuelle atteinte : 5,20\s\$US sur 5,00\s\$US$/);
    expect(line.classes().join(' ')).toContain('text-red-700');
  });
});
