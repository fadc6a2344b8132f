import { onBeforeUnmount, watch, type Ref } from 'vue';

const FOCUSABLE = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  '[tabindex]:not([tabindex="-1"])',
].join(', ');

/** What Tab can reach inside `root`, in order: shown (not display:none or hidden), not inert. */
export function tabbableWithin(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (element) => element.tabIndex >= 0 && element.getClientRects().length > 0 && getComputedStyle(element).visibility !== 'hidden' && !element.closest('[inert]'),
  );
}

/** The traps open now, innermost last: a dialog opened from the phone's drawer handles Tab, not the drawer. */
const openTraps: symbol[] = [];

export interface FocusTrapOptions {
  /** Where the focus goes on opening; the first tabbable element when it gives none. */
  initial?: () => HTMLElement | null | undefined;
}

/**
 * While `active()` is true, the focus stays in `container`: it moves there on opening, Tab and
 * Shift+Tab wrap around at its ends, and on closing it goes back to the element that had it before
 * (the button that opened it), so that a keyboard user continues where they were. The return is
 * skipped when the user has already put the focus somewhere else on purpose (outside the container,
 * on a live element).
 */
export function useFocusTrap(container: Ref<HTMLElement | undefined>, active: () => boolean, options: FocusTrapOptions = {}): void {
  let returnTo: HTMLElement | undefined;
  const self = Symbol('focus trap');

  function onKeydown(event: KeyboardEvent): void {
    const root = container.value;
    if (event.key !== 'Tab' || !root || openTraps.at(-1) !== self) return;
    const focused = document.activeElement;
    // A menu drawn over the page (teleported to <body>) handles its own keys.
    if (focused && focused !== document.body && !root.contains(focused)) return;
    const stops = tabbableWithin(root);
    if (stops.length === 0) {
      event.preventDefault();
      return;
    }
    const first = stops[0]!;
    const last = stops.at(-1)!;
    const outside = !focused || focused === document.body;
    if (event.shiftKey && (outside || focused === first)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (outside || focused === last)) {
      event.preventDefault();
      first.focus();
    }
  }

  /** Noted the moment it opens, before anything inside (a dialog's autofocus) takes the focus. */
  function rememberOpener(): void {
    const before = document.activeElement;
    returnTo = before instanceof HTMLElement && before !== document.body ? before : undefined;
  }

  function stopListening(): void {
    document.removeEventListener('keydown', onKeydown);
    const index = openTraps.indexOf(self);
    if (index >= 0) openTraps.splice(index, 1);
  }

  function open(): void {
    openTraps.push(self);
    document.addEventListener('keydown', onKeydown);
    const root = container.value;
    if (!root || root.contains(document.activeElement)) return;
    (options.initial?.() ?? tabbableWithin(root)[0] ?? root).focus();
  }

  function close(): void {
    stopListening();
    const target = returnTo;
    returnTo = undefined;
    const focused = document.activeElement;
    const leftOnPurpose = focused && focused !== document.body && !container.value?.contains(focused);
    if (target?.isConnected && !leftOnPurpose) target.focus();
  }

  watch(active, (now) => now && rememberOpener(), { flush: 'sync' });
  // After the DOM has changed: the container is shown (or a dialog closed) before the focus moves.
  watch(
    active,
    (now, before) => {
      if (now && !before) open();
      else if (!now && before) close();
    },
    { flush: 'post' },
  );
  onBeforeUnmount(stopListening);
}
