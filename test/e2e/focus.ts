import type { Page } from 'playwright-core';

/** Where the keyboard's focus is, and whether a sighted user can see it. */
export interface FocusState {
  /** `button "Send"`, `textbox "Message"`, `log "Conversation"`, or `body` when nothing has it. */
  description: string;
  /** An outline, or a ring (a box-shadow with a spread), on the element or a close parent (the composer's box). */
  ring: boolean;
  /** Inside the viewport: not scrolled away, not a skip link still off-screen. */
  onScreen: boolean;
}

// Strings: they run in the page, whose DOM this project's types (Node only) do not include.
const FOCUS_STATE = `(() => {
  const element = document.activeElement;
  if (!element || element === document.body) return { description: 'body', ring: false, onScreen: false };
  const role = element.getAttribute('role') ?? ({ A: 'link', BUTTON: 'button', TEXTAREA: 'textbox', SELECT: 'combobox', INPUT: element.type === 'search' ? 'searchbox' : 'textbox' })[element.tagName] ?? element.tagName.toLowerCase();
  const labelledBy = element.getAttribute('aria-labelledby');
  const name = (element.getAttribute('aria-label') ?? (labelledBy && document.getElementById(labelledBy)?.textContent) ?? element.labels?.[0]?.textContent ?? element.textContent ?? '').trim().replace(/\\s+/g, ' ').slice(0, 60);
  const spread = (shadow) => shadow.split(/,(?![^(]*\\))/).some((part) => {
    const match = /0px 0px 0px ([\\d.]+)px/.exec(part);
    return match !== null && Number(match[1]) >= 1 && !/(,|\\/)\\s*0\\)/.test(part);
  });
  const drawn = (node) => {
    const style = getComputedStyle(node);
    return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 1) || spread(style.boxShadow);
  };
  let ring = drawn(element);
  for (let node = element.parentElement, depth = 0; !ring && node && depth < 3; node = node.parentElement, depth++) {
    ring = node.matches(':focus-within') && spread(getComputedStyle(node).boxShadow);
  }
  const box = element.getBoundingClientRect();
  const onScreen = box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0 && box.top < innerHeight && box.left < innerWidth;
  return { description: role + ' "' + name + '"', ring, onScreen };
})()`;

export function focusState(page: Page): Promise<FocusState> {
  return page.evaluate<FocusState>(FOCUS_STATE);
}

/**
 * Presses Tab (or Shift+Tab) until `wanted` has the focus, and returns every stop passed on the
 * way, so that a test can check that each showed where the focus was. Gives up after `limit` presses.
 */
export async function tabTo(page: Page, wanted: RegExp, options: { backwards?: boolean; limit?: number } = {}): Promise<FocusState[]> {
  const stops: FocusState[] = [];
  for (let press = 0; press < (options.limit ?? 40); press++) {
    await page.keyboard.press(options.backwards ? 'Shift+Tab' : 'Tab');
    const state = await focusState(page);
    stops.push(state);
    if (wanted.test(state.description)) return stops;
  }
  throw new Error(`Tab never reached ${wanted}; it went through:\n${stops.map((stop) => stop.description).join('\n')}`);
}

/**
 * The stops where the focus could not be seen (no ring, or off the screen). `body` is left out: it
 * is the stop between the page's last element and its first, where a browser's toolbar has the focus.
 */
export const unseen = (stops: FocusState[]) => stops.filter((stop) => stop.description !== 'body' && (!stop.ring || !stop.onScreen)).map((stop) => `${stop.description}${stop.ring ? '' : ' (no ring)'}${stop.onScreen ? '' : ' (off screen)'}`);

export interface SmallTarget {
  description: string;
  width: number;
  height: number;
}

/**
 * Every control shown (buttons, links, fields, menu items) whose box is under `minimum` px either
 * way. Links inside a sentence are left out: WCAG 2.5.8 exempts them, a sentence sets their size.
 */
export function smallTargets(page: Page, minimum = 40): Promise<SmallTarget[]> {
  return page.evaluate<SmallTarget[]>(`(() => {
    const controls = document.querySelectorAll('button, a[href], input:not([type="hidden"]), select, textarea, summary, [role="button"], [role="menuitem"], [role="link"], [tabindex]:not([tabindex="-1"])');
    const inSentence = (element) => {
      if (element.tagName !== 'A' || getComputedStyle(element).display !== 'inline') return false;
      const block = element.parentElement?.closest('p, li, td, th, dd, blockquote, div');
      return block !== null && block !== undefined && block.textContent.trim().length > element.textContent.trim().length;
    };
    const shown = (element) => {
      const style = getComputedStyle(element);
      const box = element.getBoundingClientRect();
      return box.width > 1 && box.height > 1 && style.visibility !== 'hidden' && !element.closest('[inert]');
    };
    return [...controls].filter((element) => shown(element) && !inSentence(element)).flatMap((element) => {
      const box = element.getBoundingClientRect();
      if (box.width >= ${minimum} - 0.5 && box.height >= ${minimum} - 0.5) return [];
      const name = (element.getAttribute('aria-label') ?? element.textContent ?? element.getAttribute('placeholder') ?? '').trim().replace(/\\s+/g, ' ').slice(0, 40);
      return [{ description: element.tagName.toLowerCase() + ' "' + name + '"', width: Math.round(box.width), height: Math.round(box.height) }];
    });
  })()`);
}
