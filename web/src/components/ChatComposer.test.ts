import { mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { describe, expect, it, vi } from 'vitest';
import { createAppI18n } from '../i18n';
import { errorMessage } from '../lib/errors';
import type { Attachment } from '../stores/files';
import ChatComposer from './ChatComposer.vue';

function mountComposer(props: { streaming?: boolean; text?: string } = {}) {
  return mount(ChatComposer, {
    props: { streaming: props.streaming ?? false, attachments: [], uploading: false, modelValue: props.text ?? '' },
    global: { plugins: [createAppI18n('en')] },
  });
}

describe('ChatComposer', () => {
  it('sends on Enter and clears, but Shift+Enter is a new line', async () => {
    const composer = mountComposer({ text: 'Hello' });
    const box = composer.get('textarea');
    await box.trigger('keydown', { key: 'Enter', shiftKey: true });
    expect(composer.emitted('send')).toBeUndefined();
    await box.trigger('keydown', { key: 'Enter' });
    expect(composer.emitted('send')).toEqual([['Hello']]);
    expect(composer.emitted('update:modelValue')?.at(-1)).toEqual(['']);
  });

  it('does not send an empty message', async () => {
    const composer = mountComposer({ text: '   ' });
    await composer.get('textarea').trigger('keydown', { key: 'Enter' });
    expect(composer.emitted('send')).toBeUndefined();
    expect(composer.get('button[type=submit]').attributes('disabled')).toBeDefined();
  });

  it('shows Stop instead of Send while an answer streams, and Escape stops it', async () => {
    const composer = mountComposer({ streaming: true, text: 'next question' });
    expect(composer.find('button[aria-label="Send"]').exists()).toBe(false);
    await composer.get('button[aria-label="Stop"]').trigger('click');
    await composer.get('textarea').trigger('keydown', { key: 'Escape' });
    expect(composer.emitted('stop')).toHaveLength(2);
    await composer.get('textarea').trigger('keydown', { key: 'Enter' });
    expect(composer.emitted('send')).toBeUndefined();
  });

  it('is named for assistive technology: a textbox "Message" and an "Attach files" button', () => {
    const composer = mountComposer();
    expect(composer.get('textarea').attributes('aria-label')).toBe('Message');
    expect(composer.find('button[aria-label="Attach files"]').exists()).toBe(true);
  });
});

describe('ChatComposer with files attached', () => {
  const file = (status: Attachment['status'], name = 'report.csv'): Attachment => ({
    key: `k-${status}-${name}`,
    name,
    size: 120,
    status,
    progress: status === 'ready' ? 1 : 0,
    ...(status === 'ready' && { file: { fileId: `f-${name}`, fileName: name, fileType: 'csv', size: 120, charCount: 100, status: 'ready', uploadedAt: '2026-01-01T00:00:00Z', rows: 3 } }),
    ...(status === 'failed' && { error: 'The file is empty.', errorCode: 'FILE_EMPTY' }),
  });
  const mountWith = (attachments: Attachment[], text = '', uploading = false) =>
    // The chips word a refusal with the stores' help (the month's reset date, for one).
    mount(ChatComposer, { props: { streaming: false, attachments, uploading, modelValue: text }, global: { plugins: [createAppI18n('en'), createPinia()] } });

  it('sends a file alone, without words: Send is enabled and Enter sends an empty text', async () => {
    const composer = mountWith([file('ready')]);
    expect(composer.get('button[type=submit]').attributes('disabled')).toBeUndefined();
    await composer.get('textarea').trigger('keydown', { key: 'Enter' });
    expect(composer.emitted('send')).toEqual([['']]);
  });

  it('sends blank space with a file as no words at all', async () => {
    const composer = mountWith([file('ready')], '  \n ');
    await composer.get('form').trigger('submit');
    expect(composer.emitted('send')).toEqual([['']]);
  });

  it('does not send while a file uploads, nor with only a refused file', async () => {
    for (const composer of [mountWith([file('uploading')], '', true), mountWith([file('failed', 'photo.png')])]) {
      expect(composer.get('button[type=submit]').attributes('disabled')).toBeDefined();
      await composer.get('textarea').trigger('keydown', { key: 'Enter' });
      expect(composer.emitted('send')).toBeUndefined();
    }
  });

  it('shows each file with its kind, and a refused one with its whole reason', () => {
    const composer = mountWith([file('ready'), file('failed', 'photo.png')]);
    const icons = composer.findAll('[role="img"]').map((icon) => icon.attributes('aria-label'));
    expect(icons).toEqual(['Spreadsheet', 'Image']);
    // Whatever words the app has for the code (its own, or the server's), all of them.
    const i18n = createAppI18n('en');
    const reason = errorMessage({ code: 'FILE_EMPTY', message: 'The file is empty.' }, { t: i18n.global.t, locale: 'en-GB' });
    expect(composer.get('[role="alert"]').text()).toBe(reason);
  });
});

describe('ChatComposer placeholder', () => {
  it('mentions Shift+Enter with a keyboard and mouse', () => {
    expect(mountComposer().get('textarea').attributes('placeholder')).toBe('Message Claude… (Enter to send, Shift+Enter for a new line)');
  });

  it('is short, without Shift+Enter, on a touch screen', () => {
    // A phone's browser, as the composer asks about it.
    vi.stubGlobal('matchMedia', (query: string) => ({ media: query, matches: query === '(pointer: coarse)', addEventListener: () => undefined, removeEventListener: () => undefined }));
    try {
      expect(mountComposer().get('textarea').attributes('placeholder')).toBe('Message Claude…');
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
