import { describe, expect, it } from 'vitest';
import { createAppI18n } from '../i18n';
import { errorMessage, limitResetsAt, type Translate } from './errors';

const translator = (locale: 'en' | 'fr'): Translate => {
  const { t } = createAppI18n(locale).global;
  return (key, named, plural) => (plural === undefined ? t(key, named) : t(key, named, plural));
};

const spent = {
  code: 'USAGE_LIMIT_REACHED',
  message: 'You have used your $5.00 for this month. It starts again on 2026-12-01 (2026-12-01T00:00:00.000Z); an admin can raise it before then.',
};

describe('error messages', () => {
  it('says when a spent budget starts again, in the user’s words and time zone', () => {
    const text = errorMessage(spent, { t: translator('en'), locale: 'en-GB' });
    expect(text).toMatch(/^You have reached your spending limit for this month\. It resets on /);
    // The moment the server named, in this machine's zone and British English.
    const expected = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short' }).format(new Date('2026-12-01T00:00:00Z'));
    expect(text).toContain(expected);
    const french = errorMessage(spent, { t: translator('fr'), locale: 'fr' });
    expect(french).toContain('Vous avez atteint votre limite de dépense');
    expect(french).toContain(new Intl.DateTimeFormat('fr', { dateStyle: 'long', timeStyle: 'short' }).format(new Date('2026-12-01T00:00:00Z')));
  });

  it('finds the reset moment in the message, else in /usage, else from Retry-After', () => {
    expect(limitResetsAt(spent, { resetsAt: '2030-01-01T00:00:00.000Z' })).toBe('2026-12-01T00:00:00.000Z');
    const vague = { code: 'USAGE_LIMIT_REACHED', message: 'Spent.', retryAfterSeconds: 60, receivedAt: Date.parse('2026-11-30T23:59:00Z') };
    expect(limitResetsAt(vague, { resetsAt: '2026-12-01T00:00:00.000Z' })).toBe('2026-12-01T00:00:00.000Z');
    expect(limitResetsAt(vague, {})).toBe('2026-12-01T00:00:00.000Z');
    expect(errorMessage({ code: 'USAGE_LIMIT_REACHED', message: 'Spent.' }, { t: translator('en'), locale: 'en' })).toBe(
      'You have reached your spending limit for this month. An admin can raise it.',
    );
  });

  it('says how many seconds to wait when sending too fast', () => {
    const t = translator('en');
    expect(errorMessage({ code: 'RATE_LIMITED', message: 'x', retryAfterSeconds: 42 }, { t, locale: 'en' })).toBe(
      'You are sending messages too quickly. Wait 42 seconds and try again.',
    );
    expect(errorMessage({ code: 'RATE_LIMITED', message: 'x', retryAfterSeconds: 1 }, { t, locale: 'en' })).toBe(
      'You are sending messages too quickly. Wait 1 second and try again.',
    );
    // No header (a proxy dropped it): the server's message still names the wait.
    expect(errorMessage({ code: 'RATE_LIMITED', message: 'Try again in 9 seconds.' }, { t, locale: 'en' })).toContain('Wait 9 seconds');
    expect(errorMessage({ code: 'RATE_LIMITED', message: 'Slow down.' }, { t, locale: 'en' })).toContain('Wait a moment');
    expect(errorMessage({ code: 'RATE_LIMITED', message: 'x', retryAfterSeconds: 30 }, { t: translator('fr'), locale: 'fr' })).toBe(
      'Vous envoyez des messages trop vite. Attendez 30 secondes et réessayez.',
    );
  });

  it('explains a full storage, and keeps the server’s words for codes it has none for', () => {
    const t = translator('en');
    expect(errorMessage({ code: 'STORAGE_LIMIT_REACHED', message: 'Over quota.' }, { t, locale: 'en' })).toContain('storage limit');
    expect(errorMessage({ code: 'FORBIDDEN', message: 'Only admins can do this.' }, { t: translator('fr'), locale: 'fr' })).toBe('Seuls les administrateurs peuvent faire cela.');
    expect(errorMessage({ code: 'MODEL_THROTTLED', message: 'The model is busy.' }, { t, locale: 'en' })).toBe('The model is busy.');
    expect(errorMessage({ code: 'HTTP_ERROR', message: '' }, { t, locale: 'en' })).toBe('Something went wrong. Try again.');
  });
});
