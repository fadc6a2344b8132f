import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import MenuButton from './MenuButton.vue';

const items = [
  { id: 'rename', label: 'Rename' },
  { id: 'delete', label: 'Delete', danger: true },
];

function mountMenu() {
  return mount(MenuButton, { props: { items, label: 'Actions for Trip' }, slots: { default: '…' }, attachTo: document.body });
}

const menu = () => document.querySelector<HTMLElement>('[role="menu"]');
const menuItems = () => [...document.querySelectorAll<HTMLElement>('[role="menuitem"]')];
const focusedText = () => document.activeElement?.textContent?.trim();

async function press(target: Element, key: string): Promise<void> {
  target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
  await nextTick();
  await nextTick();
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('MenuButton', () => {
  it('is one button named for assistive technology, saying it opens a menu', () => {
    const wrapper = mountMenu();
    const button = wrapper.get('button');
    expect(button.attributes('aria-label')).toBe('Actions for Trip');
    expect(button.attributes('aria-haspopup')).toBe('menu');
    expect(button.attributes('aria-expanded')).toBe('false');
    expect(menu()).toBeNull();
    wrapper.unmount();
  });

  it('opens on a click with the focus on the first item, and names the menu after its button', async () => {
    const wrapper = mountMenu();
    await wrapper.get('button').trigger('click');
    await nextTick();
    expect(wrapper.get('button').attributes('aria-expanded')).toBe('true');
    expect(menu()?.getAttribute('aria-labelledby')).toBe(wrapper.get('button').attributes('id'));
    expect(menuItems().map((item) => item.textContent?.trim())).toEqual(['Rename', 'Delete']);
    expect(menuItems().every((item) => item.tabIndex === -1)).toBe(true);
    expect(focusedText()).toBe('Rename');
    wrapper.unmount();
  });

  it('opens with ArrowDown on the first item and with ArrowUp on the last', async () => {
    const wrapper = mountMenu();
    await press(wrapper.get('button').element, 'ArrowDown');
    expect(focusedText()).toBe('Rename');
    await press(document.activeElement!, 'Escape');
    await press(wrapper.get('button').element, 'ArrowUp');
    expect(focusedText()).toBe('Delete');
    wrapper.unmount();
  });

  it('moves with the arrows, Home and End, wrapping round', async () => {
    const wrapper = mountMenu();
    await press(wrapper.get('button').element, 'ArrowDown');
    await press(document.activeElement!, 'ArrowDown');
    expect(focusedText()).toBe('Delete');
    await press(document.activeElement!, 'ArrowDown');
    expect(focusedText()).toBe('Rename');
    await press(document.activeElement!, 'End');
    expect(focusedText()).toBe('Delete');
    await press(document.activeElement!, 'Home');
    expect(focusedText()).toBe('Rename');
    await press(document.activeElement!, 'ArrowUp');
    expect(focusedText()).toBe('Delete');
    wrapper.unmount();
  });

  it('closes on Escape and gives the focus back to its button', async () => {
    const wrapper = mountMenu();
    await press(wrapper.get('button').element, 'ArrowDown');
    await press(document.activeElement!, 'Escape');
    expect(menu()).toBeNull();
    expect(document.activeElement).toBe(wrapper.get('button').element);
    expect(wrapper.get('button').attributes('aria-expanded')).toBe('false');
    wrapper.unmount();
  });

  it('closes on Tab, the focus on its button for the browser to move on from', async () => {
    const wrapper = mountMenu();
    await press(wrapper.get('button').element, 'ArrowDown');
    await press(document.activeElement!, 'Tab');
    expect(menu()).toBeNull();
    expect(document.activeElement).toBe(wrapper.get('button').element);
    wrapper.unmount();
  });

  it('closes on a press elsewhere, leaving the focus where the press put it', async () => {
    const wrapper = mountMenu();
    await wrapper.get('button').trigger('click');
    await nextTick();
    menuItems()[0]!.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
    expect(menu()).not.toBeNull();
    document.body.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
    await nextTick();
    expect(menu()).toBeNull();
    wrapper.unmount();
  });

  it('a second click on its button closes it', async () => {
    const wrapper = mountMenu();
    await wrapper.get('button').trigger('click');
    await nextTick();
    await wrapper.get('button').trigger('click');
    expect(menu()).toBeNull();
    wrapper.unmount();
  });

  it('emits the chosen item, closed, with the focus back on its button', async () => {
    const wrapper = mountMenu();
    await wrapper.get('button').trigger('click');
    await nextTick();
    menuItems()[1]!.click();
    await nextTick();
    expect(wrapper.emitted('select')).toEqual([['delete']]);
    expect(menu()).toBeNull();
    expect(document.activeElement).toBe(wrapper.get('button').element);
    wrapper.unmount();
  });
});
