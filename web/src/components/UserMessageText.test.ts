import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { createAppI18n } from '../i18n';
import { isLongMessage } from '../lib/long-message';
import UserMessageText from './UserMessageText.vue';

const mountText = (text: string, locale: 'en' | 'fr' = 'en') => mount(UserMessageText, { props: { text }, global: { plugins: [createAppI18n(locale)] } });

describe('isLongMessage', () => {
  it('is long past 12 lines or 1,200 characters', () => {
    expect(isLongMessage(Array.from({ length: 12 }, (_, line) => `line ${line}`).join('\n'))).toBe(false);
    expect(isLongMessage(Array.from({ length: 13 }, (_, line) => `line ${line}`).join('\n'))).toBe(true);
    expect(isLongMessage('a'.repeat(1200))).toBe(false);
    expect(isLongMessage('a'.repeat(1201))).toBe(true);
  });
});

describe('UserMessageText', () => {
  it('shows a short message whole, with no button', () => {
    const text = mountText('Hello\nthere');
    expect(text.text()).toBe('Hello\nthere');
    expect(text.find('button').exists()).toBe(false);
  });

  it('folds a long message behind "Show more", and "Show less" folds it again', async () => {
    const long = Array.from({ length: 40 }, (_, line) => `log line ${line + 1}`).join('\n');
    const text = mountText(long);
    const button = text.get('button');
    expect(button.text()).toBe('Show more');
    expect(button.attributes('aria-expanded')).toBe('false');
    const region = text.get(`#${button.attributes('aria-controls')}`);
    expect(region.classes()).toContain('overflow-hidden');
    // Folded, not cut: the whole text is there for find-in-page, copy and screen readers.
    expect(region.text()).toContain('log line 40');

    await button.trigger('click');
    expect(button.text()).toBe('Show less');
    expect(button.attributes('aria-expanded')).toBe('true');
    expect(region.classes()).not.toContain('overflow-hidden');

    await button.trigger('click');
    expect(button.attributes('aria-expanded')).toBe('false');
    expect(region.classes()).toContain('overflow-hidden');
  });

  it('says it in French too', () => {
    expect(mountText('x'.repeat(2000), 'fr').get('button').text()).toBe('Afficher plus');
  });

  it('draws no empty bubble for a message of files alone', () => {
    expect(mountText('').html()).not.toContain('rounded-2xl');
  });
});
