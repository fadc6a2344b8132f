import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { createAppI18n } from '../i18n';
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
