import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { codesOf, findErrorCodes } from '../support/error-codes.js';

type Messages = { errors: { codes: Record<string, string>; codeDetails: Record<string, string> } };
const messages = (locale: 'en' | 'fr') => JSON.parse(readFileSync(`web/src/i18n/${locale}.json`, 'utf8')) as Messages;

/**
 * Every error code the server can send, and the ones the SPA's API client makes up (a network
 * failure, a refused upload), has words in every language of the SPA: a new code without them
 * fails here, rather than showing English to a French user.
 */
describe('server error codes in the SPA’s languages', () => {
  const found = findErrorCodes(['src', 'web/src/api']);
  const codes = codesOf(found);

  it('finds the codes wherever they are written: a helper, a default, an error object, a line of their own', () => {
    // Written in each of those ways today: if the scan stops seeing them, it has stopped working.
    expect(codes).toEqual(
      expect.arrayContaining([
        'UNAUTHORIZED', // across lines in a DomainError
        'EMPTY_MESSAGE', // invalidInput(code, message)
        'UNSUPPORTED_FILE_TYPE', // a local refuse(code, message) helper
        'VALIDATION_FAILED', // a parameter's default
        'INVALID_LIMIT', // a call's third argument, named `code` where declared
        'STARTING', // an error body written out whole
        'ANSWER_TIMEOUT', // a DomainError on one line: how a limit ends an answer, streamed or JSON
        'FILE_TOO_LARGE', // an HttpError and a DomainError
        'NETWORK_ERROR', // the SPA's own, for a server out of reach
      ]),
    );
    expect(codes.length).toBeGreaterThan(60);
  });

  for (const locale of ['en', 'fr'] as const) {
    it(`has words in ${locale} for each of them`, () => {
      const translated = messages(locale).errors.codes;
      const missing = found.filter(({ code }) => typeof translated[code] !== 'string' || translated[code].trim() === '');
      expect(missing.map(({ code, file, message }) => `${code} (${file}: ${message ?? ''})`)).toEqual([]);
    });
  }

  it('keeps English and French in step: the same codes, the same placeholders', () => {
    const [en, fr] = [messages('en'), messages('fr')];
    expect(Object.keys(fr.errors.codes).sort()).toEqual(Object.keys(en.errors.codes).sort());
    expect(Object.keys(fr.errors.codeDetails).sort()).toEqual(Object.keys(en.errors.codeDetails).sort());
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
    for (const [code, text] of Object.entries(en.errors.codeDetails)) expect(placeholders(fr.errors.codeDetails[code]!), code).toEqual(placeholders(text));
  });
});
