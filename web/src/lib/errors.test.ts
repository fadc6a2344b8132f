import { describe, expect, it } from 'vitest';
import { createAppI18n } from '../i18n';
import en from '../i18n/en.json';
import fr from '../i18n/fr.json';
import { DETAILED_CODES } from './error-details';
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

  it('explains a full storage, with the sizes the server named, and keeps the server’s words for codes it has none for', () => {
    const t = translator('en');
    expect(errorMessage({ code: 'STORAGE_LIMIT_REACHED', message: 'Over quota.' }, { t, locale: 'en' })).toContain('storage limit');
    const full = { code: 'STORAGE_LIMIT_REACHED', message: 'Your files use 99.5 MB of your 100.0 MB, and this one is 1.2 MB. Delete files you no longer need to make room for it.' };
    expect(errorMessage(full, { t, locale: 'en' })).toBe('Your files use 99.5 MB of your 100 MB, and this one is 1.2 MB. Delete files you no longer need to make room for it, or ask an admin for more.');
    expect(errorMessage(full, { t: translator('fr'), locale: 'fr' })).toBe(
      'Vos fichiers occupent 99,5 MB sur vos 100 MB, et celui-ci fait 1,2 MB. Supprimez les fichiers devenus inutiles pour lui faire de la place, ou demandez-en plus à un administrateur.',
    );
    expect(errorMessage({ code: 'FORBIDDEN', message: 'Only admins can do this.' }, { t: translator('fr'), locale: 'fr' })).toBe('Seuls les administrateurs peuvent faire cela.');
    // A newer server's code: its own words, until this SPA has some.
    expect(errorMessage({ code: 'SOMETHING_NEW', message: 'A new refusal.' }, { t, locale: 'en' })).toBe('A new refusal.');
    expect(errorMessage({ code: 'SOMETHING_NEW', message: '' }, { t, locale: 'en' })).toBe('Something went wrong. Try again.');
  });

  it('words every code in French, with the numbers of the server’s message written the French way', () => {
    const t = translator('fr');
    const long = { code: 'MESSAGE_TOO_LONG', message: 'The message is 120000 characters; the limit is 100000.' };
    expect(errorMessage(long, { t, locale: 'fr' })).toBe(`Votre message compte ${frenchNumber(120000)} caractères ; la limite est de ${frenchNumber(100000)}. Raccourcissez-le, ou joignez le texte comme fichier.`);
    const pages = { code: 'PDF_TOO_MANY_PAGES', message: '"big.pdf" has 1,204 pages; the limit is 500. Split it and upload the parts you need.' };
    expect(errorMessage(pages, { t, locale: 'fr' })).toBe(`Ce PDF a ${frenchNumber(1204)} pages ; la limite est de 500. Découpez-le et envoyez les parties utiles.`);
    const large = { code: 'FILE_TOO_LARGE', message: 'The file is 60.0 MB; the limit is 50.0 MB. Upload a smaller file.' };
    expect(errorMessage(large, { t, locale: 'fr' })).toBe('Ce fichier est trop volumineux : la limite est de 50 MB.');
    // The server's supported types, linked in from one sentence.
    expect(errorMessage({ code: 'UNSUPPORTED_FILE_TYPE', message: '"a.exe" is not a supported file type.' }, { t, locale: 'fr' })).toBe(
      'Ce type de fichier n’est pas pris en charge. Envoyez un PDF, un document Word (.docx), un CSV, ou un fichier texte, Markdown, JSON ou de code source.',
    );
    expect(errorMessage({ code: 'UNAUTHORIZED', message: 'You are not signed in.' }, { t, locale: 'fr' })).toBe('Votre session a pris fin. Reconnectez-vous.');
  });

  it('falls back on the code’s general sentence when the message does not name its numbers, never on a wrong one', () => {
    const t = translator('en');
    expect(errorMessage({ code: 'MESSAGE_TOO_LONG', message: 'Too long.' }, { t, locale: 'en' })).toBe('Your message is too long. Shorten it, or attach the text as a file.');
    expect(errorMessage({ code: 'HTTP_ERROR', message: 'The server answered 502. Try again.' }, { t, locale: 'en' })).toBe('The server answered with error 502. Try again.');
    expect(errorMessage({ code: 'HTTP_ERROR', message: '' }, { t, locale: 'en' })).toBe('The server answered with an error. Try again.');
  });

  it('tells an answer that stopped part way from one that never began', () => {
    const t = translator('en');
    expect(errorMessage({ code: 'MODEL_THROTTLED', message: 'The model is busy right now. Try again in a moment.' }, { t, locale: 'en' })).toBe('The model is busy right now. Try again in a moment.');
    expect(errorMessage({ code: 'MODEL_THROTTLED', message: 'The model became busy and stopped part way. Try again in a moment.' }, { t, locale: 'en' })).toBe(
      'The model became busy and stopped part way. What arrived is kept; try again in a moment.',
    );
  });

  it('has a detailed sentence for every code it reads numbers for, with the same names in both languages', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
    const details = (messages: typeof en) => messages.errors.codeDetails as Record<string, string>;
    for (const code of DETAILED_CODES) {
      expect(details(en)[code], code).toBeTypeOf('string');
      expect(details(fr)[code], code).toBeTypeOf('string');
      expect(placeholders(details(fr)[code]!), code).toEqual(placeholders(details(en)[code]!));
    }
  });
});

const frenchNumber = (value: number) => new Intl.NumberFormat('fr').format(value);
