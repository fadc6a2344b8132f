import { describe, expect, it } from 'vitest';
import adminEn from '../views/admin/admin.en.json';
import adminFr from '../views/admin/admin.fr.json';
import en from './en.json';
import fr from './fr.json';
import { initialLocale } from './index';

const keysOf = (messages: object, prefix = ''): string[] =>
  Object.entries(messages).flatMap(([key, value]) => (typeof value === 'object' ? keysOf(value as object, `${prefix}${key}.`) : [`${prefix}${key}`]));

describe('languages', () => {
  it('follows the browser’s language unless the user chose one', () => {
    const empty = { getItem: () => null };
    expect(initialLocale(empty, ['fr-CA', 'en'])).toBe('fr');
    expect(initialLocale(empty, ['de-DE', 'en-GB'])).toBe('en');
    expect(initialLocale(empty, ['ja'])).toBe('en');
    expect(initialLocale({ getItem: () => 'en' }, ['fr-FR'])).toBe('en');
  });

  it('has every English text in French too', () => {
    expect(keysOf(fr).sort()).toEqual(keysOf(en).sort());
    // The admins' page brings its own, with its chunk.
    expect(keysOf(adminFr).sort()).toEqual(keysOf(adminEn).sort());
  });
});
