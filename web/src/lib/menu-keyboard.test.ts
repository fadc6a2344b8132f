import { describe, expect, it } from 'vitest';
import { buttonKeyAction, menuKeyAction } from './menu-keyboard';

const items = ['Rename', 'Delete', 'Duplicate'];

describe('buttonKeyAction', () => {
  it('opens on the first item with ArrowDown and on the last with ArrowUp', () => {
    expect(buttonKeyAction('ArrowDown')).toBe('first');
    expect(buttonKeyAction('ArrowUp')).toBe('last');
  });

  it('leaves other keys (Enter and Space click the button) to the browser', () => {
    expect(buttonKeyAction('Enter')).toBeUndefined();
    expect(buttonKeyAction(' ')).toBeUndefined();
    expect(buttonKeyAction('Tab')).toBeUndefined();
  });
});

describe('menuKeyAction', () => {
  it('moves down and up, wrapping at either end', () => {
    expect(menuKeyAction('ArrowDown', 0, items)).toEqual({ kind: 'focus', index: 1 });
    expect(menuKeyAction('ArrowDown', 2, items)).toEqual({ kind: 'focus', index: 0 });
    expect(menuKeyAction('ArrowUp', 1, items)).toEqual({ kind: 'focus', index: 0 });
    expect(menuKeyAction('ArrowUp', 0, items)).toEqual({ kind: 'focus', index: 2 });
  });

  it('jumps to the first item with Home and to the last with End', () => {
    expect(menuKeyAction('Home', 2, items)).toEqual({ kind: 'focus', index: 0 });
    expect(menuKeyAction('End', 0, items)).toEqual({ kind: 'focus', index: 2 });
  });

  it('closes on Escape (the key stops there) and on Tab (the key goes on to the browser)', () => {
    expect(menuKeyAction('Escape', 1, items)).toEqual({ kind: 'close', stop: true });
    expect(menuKeyAction('Tab', 1, items)).toEqual({ kind: 'close', stop: false });
  });

  it('moves to the next item starting with a typed letter, in any case', () => {
    expect(menuKeyAction('d', 0, items)).toEqual({ kind: 'focus', index: 1 });
    expect(menuKeyAction('D', 1, items)).toEqual({ kind: 'focus', index: 2 });
    expect(menuKeyAction('d', 2, items)).toEqual({ kind: 'focus', index: 1 });
    expect(menuKeyAction('é', 0, ['Exporter', 'Éditer'])).toEqual({ kind: 'focus', index: 1 });
    expect(menuKeyAction('x', 0, items)).toBeUndefined();
  });

  it('ignores other keys, Enter and Space included (they click the focused item)', () => {
    for (const key of ['Enter', ' ', 'Shift', 'ArrowLeft', 'F5']) expect(menuKeyAction(key, 0, items)).toBeUndefined();
  });

  it('can only close an empty menu', () => {
    expect(menuKeyAction('ArrowDown', 0, [])).toBeUndefined();
    expect(menuKeyAction('Escape', 0, [])).toEqual({ kind: 'close', stop: true });
  });
});
