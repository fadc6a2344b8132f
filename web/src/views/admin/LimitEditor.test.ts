import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client';
import type { UserUsage } from '../../api/types';
import { createAppI18n } from '../../i18n';
import en from './admin.en.json';
import fr from './admin.fr.json';
import LimitEditor from './LimitEditor.vue';

const alice: UserUsage = {
  userId: 'u-alice', displayName: 'alice', costUsd: 0.002, inputTokens: 300, outputTokens: 40, cacheReadTokens: 0, cacheWriteTokens: 0, limitUsd: 0.0001, ownLimit: false,
};

function mountEditor(save: (userId: string, limitUsd: number | null) => Promise<void>, row: UserUsage = alice, locale: 'en' | 'fr' = 'en') {
  const i18n = createAppI18n(locale);
  i18n.global.mergeLocaleMessage('en', { admin: en });
  i18n.global.mergeLocaleMessage('fr', { admin: fr });
  return mount(LimitEditor, { props: { row, save }, global: { plugins: [i18n] }, attachTo: document.body });
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('LimitEditor', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('opens on the current limit, focused, with a visible label', () => {
    const editor = mountEditor(vi.fn());
    const field = editor.get('input');
    expect((field.element as HTMLInputElement).value).toBe('0.0001');
    expect(document.activeElement).toBe(field.element);
    expect(editor.get(`label[for="${field.attributes('id')}"]`).text()).toBe('Monthly limit of alice, in dollars');
    // "Use default" only for a user with a limit of their own.
    expect(editor.find('button[aria-label^="Clear the own limit"]').exists()).toBe(false);
    editor.unmount();
  });

  it('saves a typed amount (a French decimal comma too) and closes', async () => {
    const save = vi.fn(async () => undefined);
    const editor = mountEditor(save, alice, 'fr');
    await editor.get('input').setValue('12,50');
    await editor.get('form').trigger('submit');
    await flush();
    expect(save).toHaveBeenCalledWith('u-alice', 12.5);
    expect(editor.emitted('close')).toEqual([[true]]);
    editor.unmount();
  });

  it('refuses what is not an amount before asking the API, and says why', async () => {
    const save = vi.fn(async () => undefined);
    const editor = mountEditor(save);
    const field = editor.get('input');
    for (const [typed, said] of [['', 'Enter an amount'], ['lots', 'not an amount'], ['-3', 'cannot be negative'], ['2000000', 'at most $1,000,000.00']]) {
      await field.setValue(typed!);
      await editor.get('form').trigger('submit');
      expect(editor.get('[role=alert]').text()).toContain(said);
      expect(field.attributes('aria-invalid')).toBe('true');
      expect(field.attributes('aria-describedby')).toBe(editor.get('[role=alert]').attributes('id'));
    }
    expect(save).not.toHaveBeenCalled();
    expect(editor.emitted('close')).toBeUndefined();
    editor.unmount();
  });

  it('shows what the API refused, and stays open', async () => {
    const editor = mountEditor(async () => {
      throw new ApiError(400, 'INVALID_LIMIT', 'limitUsd must be a number of dollars from 0 to 1000000, or null to clear it.');
    });
    await editor.get('input').setValue('3');
    await editor.get('form').trigger('submit');
    await flush();
    // In the user's words, with the server's maximum.
    expect(editor.get('[role=alert]').text()).toBe('The limit must be an amount in dollars from 0 to $1,000,000, or cleared.');
    expect(editor.emitted('close')).toBeUndefined();
    expect(editor.get('input').attributes('disabled')).toBeUndefined();
    editor.unmount();
  });

  it('clears a user’s own limit with “Use default”, and Escape cancels', async () => {
    const save = vi.fn(async () => undefined);
    const editor = mountEditor(save, { ...alice, limitUsd: 20, ownLimit: true });
    await editor.get('form').trigger('keydown', { key: 'Escape' });
    expect(editor.emitted('close')).toEqual([[false]]);
    await editor.get('button[aria-label="Clear the own limit of alice: the default applies"]').trigger('click');
    await flush();
    expect(save).toHaveBeenCalledWith('u-alice', null);
    expect(editor.emitted('close')).toEqual([[false], [true]]);
    editor.unmount();
  });
});
