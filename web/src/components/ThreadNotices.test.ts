import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAppI18n } from '../i18n';
import type { Unsent } from '../stores/thread';
import AnswerVersions from './AnswerVersions.vue';
import UnsentNotice from './UnsentNotice.vue';
import { answers, fakeApi } from '../stores/thread-fakes';
import { useThreadStore } from '../stores/thread';

const notice = (unsent: Omit<Unsent, 'key'>, locale: 'en' | 'fr' = 'en') =>
  mount(UnsentNotice, { props: { messageId: 'unsent-1', unsent: { ...unsent, key: 'k' } }, global: { plugins: [createAppI18n(locale)] } });

describe('UnsentNotice', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('says why a question was not sent, in the user’s language, with Retry and Edit', () => {
    const unreachable = notice({ code: 'NETWORK_ERROR', message: 'The server cannot be reached.', status: 0 });
    expect(unreachable.get('[role=alert]').text()).toBe('Not sent · The server could not be reached.');
    expect(unreachable.findAll('button').map((button) => button.text())).toEqual(['Retry', 'Edit']);

    expect(notice({ code: 'NO_RESPONSE', message: 'late', status: 0 }, 'fr').get('[role=alert]').text()).toBe('Non envoyé · Le serveur n’a pas répondu à temps.');
    expect(notice({ code: 'HTTP_ERROR', message: 'The server answered 502. Try again.', status: 502 }, 'fr').get('[role=alert]').text()).toBe(
      'Non envoyé · Le serveur a rencontré un problème (erreur 502).',
    );
    // A refusal with words of its own (here a message too long) says what to change.
    expect(notice({ code: 'MESSAGE_TOO_LONG', message: 'x', status: 400 }).get('[role=alert]').text()).toContain('Your message is too long');
    const french = notice({ code: 'NETWORK_ERROR', message: 'x', status: 0 }, 'fr');
    expect(french.findAll('button').map((button) => button.text())).toEqual(['Réessayer', 'Modifier']);
  });
});

describe('UnsentNotice, for a question the server refused for what it is', () => {
  beforeEach(() => setActivePinia(createPinia()));

  const buttons = (unsent: Omit<Unsent, 'key'>) => notice(unsent).findAll('button').map((button) => button.text());

  it('offers Edit only, with the reason, when sending it again would be refused again', () => {
    const tooLong = notice({ code: 'MESSAGE_TOO_LONG', message: 'The message is 200001 characters; the limit is 200000.', status: 400 });
    expect(tooLong.get('[role=alert]').text()).toBe('Not sent · Your message is 200,001 characters long; the limit is 200,000. Shorten it, or attach the text as a file.');
    expect(tooLong.findAll('button').map((button) => button.text())).toEqual(['Edit']);
    expect(buttons({ code: 'TOO_MANY_FILES', message: 'Attach at most 10 files to one message.', status: 400 })).toEqual(['Edit']);
    expect(buttons({ code: 'FILE_NOT_FOUND', message: 'This file does not exist.', status: 404 })).toEqual(['Edit']);
    expect(buttons({ code: 'IDEMPOTENCY_KEY_REUSED', message: 'This Idempotency-Key was used for a different request.', status: 422 })).toEqual(['Edit']);
  });

  it('keeps Retry when trying again can succeed: out of time, busy, or the first try still being answered', () => {
    expect(buttons({ code: 'REQUEST_TIMEOUT', message: 'Too slow.', status: 408 })).toEqual(['Retry', 'Edit']);
    expect(buttons({ code: 'MODEL_OVERLOADED', message: 'Busy.', status: 429 })).toEqual(['Retry', 'Edit']);
    expect(buttons({ code: 'IDEMPOTENCY_KEY_IN_USE', message: 'Still being answered.', status: 409 })).toEqual(['Retry', 'Edit']);
    expect(buttons({ code: 'SERVICE_UNAVAILABLE', message: 'Down.', status: 503 })).toEqual(['Retry', 'Edit']);
  });
});

describe('AnswerVersions', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('shows "2 / 2" with named buttons for an answer with versions, and nothing for one without', async () => {
    fakeApi([answers('First', { answerMessageId: 'a1' }), answers('Second', { answerMessageId: 'a2' })]);
    const thread = useThreadStore();
    await thread.send('Hello');
    const mountFor = (answerId: string) => mount(AnswerVersions, { props: { answerId }, global: { plugins: [createAppI18n('en')] } });
    expect(mountFor('a1').html()).toBe('<!--v-if-->');

    await thread.regenerate();
    const versions = mountFor('a2');
    expect(versions.get('[role=group]').attributes('aria-label')).toBe('Versions of this answer');
    expect(versions.text()).toContain('2 / 2');
    expect(versions.text()).toContain('Version 2 of 2');
    const [previous, next] = versions.findAll('button');
    expect([previous!.attributes('aria-label'), next!.attributes('aria-label')]).toEqual(['Previous version', 'Next version']);
    expect([previous!.attributes('disabled'), next!.attributes('disabled')]).toEqual([undefined, '']);
    await previous!.trigger('click');
    expect(thread.messages.at(-1)?.content).toBe('First');
  });
});
