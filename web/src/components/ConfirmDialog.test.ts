import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { defineComponent, h, nextTick, ref } from 'vue';
import ConfirmDialog from './ConfirmDialog.vue';

/** A page with the button that opens the dialog, as a conversation's "…" menu does. */
const Page = defineComponent({
  setup() {
    const open = ref(false);
    return () => [
      h('button', { id: 'opener', onClick: () => (open.value = true) }, 'Delete…'),
      h(ConfirmDialog, {
        open: open.value,
        title: 'Delete this conversation?',
        body: 'It cannot be undone.',
        confirmLabel: 'Delete',
        cancelLabel: 'Cancel',
        onCancel: () => (open.value = false),
        onConfirm: () => (open.value = false),
      }),
    ];
  },
});

const press = (key: string, shiftKey = false) => document.dispatchEvent(new KeyboardEvent('keydown', { key, shiftKey, bubbles: true, cancelable: true }));

describe('ConfirmDialog', () => {
  afterEach(() => (document.body.innerHTML = ''));

  it('takes the focus on Cancel, keeps Tab inside, and gives the focus back to its opener', async () => {
    const page = mount(Page, { attachTo: document.body });
    const opener = page.get<HTMLButtonElement>('#opener');
    opener.element.focus();
    await opener.trigger('click');
    await nextTick();
    await nextTick();

    const dialog = page.get('dialog');
    expect(dialog.attributes('role')).toBe('alertdialog');
    expect(document.getElementById(dialog.attributes('aria-labelledby')!)?.textContent).toBe('Delete this conversation?');
    expect(document.getElementById(dialog.attributes('aria-describedby')!)?.textContent).toBe('It cannot be undone.');
    const [cancel, confirm] = dialog.findAll('button').map((button) => button.element);
    expect(document.activeElement).toBe(cancel);

    // Past its last button, Tab comes back to its first, and Shift+Tab the other way round.
    confirm!.focus();
    press('Tab');
    expect(document.activeElement).toBe(cancel);
    press('Tab', true);
    expect(document.activeElement).toBe(confirm);

    await dialog.findAll('button')[0]!.trigger('click');
    await nextTick();
    await nextTick();
    expect(document.activeElement).toBe(opener.element);
  });
});
