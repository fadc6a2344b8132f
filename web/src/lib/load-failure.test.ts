import { describe, expect, it } from 'vitest';
import { createAppI18n } from '../i18n';
import { loadFailureReason, type Translate } from './errors';

const translator = (locale: 'en' | 'fr'): Translate => {
  const { t } = createAppI18n(locale).global;
  return (key, named, plural) => (plural === undefined ? t(key, named) : t(key, named, plural));
};

describe('why a conversation could not be read', () => {
  it('says the server is out of reach, or in trouble with its status, in the user’s language', () => {
    const en = { t: translator('en'), locale: 'en-GB' };
    expect(loadFailureReason({ status: 0, code: 'NETWORK_ERROR', message: 'fetch failed' }, en)).toBe('The server cannot be reached. Check your connection, then reload.');
    expect(loadFailureReason({ status: 503, code: 'SERVICE_UNAVAILABLE', message: 'upstream connect error' }, en)).toBe(
      'The server had a problem (error 503). It is usually brief: reload in a moment.',
    );
    expect(loadFailureReason({ status: 502, code: 'ERROR', message: '' }, { t: translator('fr'), locale: 'fr' })).toContain('(erreur 502)');
  });

  it('keeps the known words for the other refusals', () => {
    const en = { t: translator('en'), locale: 'en-GB' };
    expect(loadFailureReason({ status: 429, code: 'RATE_LIMITED', message: 'slow down', retryAfterSeconds: 3 }, en)).toContain('Wait 3 seconds');
    expect(loadFailureReason({ status: 400, code: 'VALIDATION_ERROR', message: 'Bad id' }, en)).toBe('Bad id');
  });
});
