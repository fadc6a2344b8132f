/**
 * The keys of a menu button and its menu, as the WAI-ARIA menu button pattern has them, kept apart
 * from the DOM so that they can be tested on their own. Enter and Space on the button are not here:
 * they click it, and a click opens the menu on its first item.
 */

/** What a key pressed on the closed menu's button does: open it on its first or last item. */
export function buttonKeyAction(key: string): 'first' | 'last' | undefined {
  if (key === 'ArrowDown') return 'first';
  if (key === 'ArrowUp') return 'last';
  return undefined;
}

export type MenuKeyAction =
  /** Move the focus to the item at this index. */
  | { kind: 'focus'; index: number }
  /**
   * Close the menu and give the focus back to its button. For Tab, the browser then moves the focus
   * on from the button, so the key is not stopped; for Escape it is.
   */
  | { kind: 'close'; stop: boolean };

/** What a key pressed on an open menu's item does, given the focused item's index and every item's label. */
export function menuKeyAction(key: string, current: number, labels: readonly string[]): MenuKeyAction | undefined {
  const count = labels.length;
  if (count === 0) return key === 'Escape' || key === 'Tab' ? { kind: 'close', stop: key === 'Escape' } : undefined;
  switch (key) {
    case 'ArrowDown':
      return { kind: 'focus', index: (current + 1) % count };
    case 'ArrowUp':
      return { kind: 'focus', index: (current - 1 + count) % count };
    case 'Home':
    case 'PageUp':
      return { kind: 'focus', index: 0 };
    case 'End':
    case 'PageDown':
      return { kind: 'focus', index: count - 1 };
    case 'Escape':
      return { kind: 'close', stop: true };
    case 'Tab':
      return { kind: 'close', stop: false };
  }
  return typeAhead(key, current, labels);
}

/** A printed character moves to the next item whose label starts with it, as in a native menu. */
function typeAhead(key: string, current: number, labels: readonly string[]): MenuKeyAction | undefined {
  if ([...key].length !== 1 || key.trim() === '') return undefined;
  const letter = key.toLocaleLowerCase();
  for (let step = 1; step <= labels.length; step += 1) {
    const index = (current + step) % labels.length;
    if (labels[index]!.trim().toLocaleLowerCase().startsWith(letter)) return { kind: 'focus', index };
  }
  return undefined;
}
