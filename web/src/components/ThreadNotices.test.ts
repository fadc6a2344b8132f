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
