import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from './app-process.js';
import { launchBrowser, snap } from './browser.js';
import { focusState, tabTo, unseen } from './focus.js';

/**
 * Issue 16, keyboard only: sign in, ask, skip to the conversation, change a setting, delete nothing
 * by mistake, read the month's spending, and open and close the phone's drawer, with Tab, Enter,
 * the arrows and Escape and never the mouse. At every stop the focus shows (a ring on the screen),
 * and Escape puts it back where it came from.
 */
describe('the web app with the keyboard only', () => {
  let app: RunningApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let page: Page;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp({ OFFLINE_MODEL_WORD_DELAY_MS: '5', USAGE_LIMIT_USD_PER_MONTH: '5' }), launchBrowser()]);
  }, 120_000);
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await app?.stop();
  });

  async function open(options: { phone?: boolean; locale?: string } = {}): Promise<Page> {
    const context = await browser.newContext({
      viewport: options.phone ? { width: 390, height: 844 } : { width: 1280, height: 800 },
      locale: options.locale ?? 'en-GB',
      colorScheme: 'light',
      reducedMotion: 'reduce',
      ...(options.phone && { isMobile: true, hasTouch: true }),
    });
    contexts.push(context);
    return context.newPage();
  }

  const focused = async () => (await focusState(page)).description;
  const inDrawer = () => page.evaluate<boolean>('document.querySelector(\'[role="dialog"]\').contains(document.activeElement)');
  const answers = (on: Page) => on.getByRole('log', { name: 'Conversation' }).getByRole('article', { name: /^Assistant/ });

  /** Tabs to `wanted`, failing with the stops where the focus could not be seen. */
  async function tabVisiblyTo(wanted: RegExp, options: { backwards?: boolean } = {}): Promise<void> {
    const stops = await tabTo(page, wanted, options);
    expect(unseen(stops), `the focus was not visible on the way to ${wanted}`).toEqual([]);
  }

  it('signs in and asks a question', async () => {
    page = await open();
    await page.goto(app.url);
    // The name field has the focus from the start.
    await expect.poll(focused).toBe('textbox "Name"');
    await page.keyboard.type('Kim');
    await tabVisiblyTo(/^button "Sign in"$/);
    await snap(page, 'keyboard-01-sign-in-button');
    await page.keyboard.press('Enter');

    // The chat opens with the focus in the message box, its ring showing.
    await expect.poll(focused, { timeout: 10_000 }).toBe('textbox "Message"');
    expect(await focusState(page)).toMatchObject({ ring: true, onScreen: true });
    await page.keyboard.type('What is a haiku?');
    await page.keyboard.press('Enter');
    await expect.poll(() => answers(page).count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => page.getByRole('button', { name: 'Send' }).count(), { timeout: 20_000 }).toBe(1);
    await snap(page, 'keyboard-02-composer-focused');
  });

  it('skips to the conversation from the first Tab stop', async () => {
    await page.reload();
    await expect.poll(() => answers(page).count(), { timeout: 10_000 }).toBe(1);
    // Coming into the page (from the browser's toolbar, the stop after the page's last element), the
    // first stop is the skip link, shown on the screen while it has the focus.
    const stops = await tabTo(page, /^link "Skip to conversation"$/);
    expect(stops.at(-2)?.description).toBe('body');
    expect(stops.at(-1)).toEqual({ description: 'link "Skip to conversation"', ring: true, onScreen: true });
    await snap(page, 'keyboard-03-skip-link');
    await page.keyboard.press('Enter');
    expect(await focusState(page)).toEqual({ description: 'log "Conversation"', ring: true, onScreen: true });
    await snap(page, 'keyboard-04-conversation-focused');
    // The next stops are the conversation's own (its answer's actions), not the sidebar's.
    await page.keyboard.press('Tab');
    expect(await page.evaluate<boolean>('document.querySelector(\'[role="log"]\').contains(document.activeElement)')).toBe(true);
  });

  it('changes the theme from the sidebar', async () => {
    await tabVisiblyTo(/^combobox "Theme"$/);
    // A closed select takes the arrows: System, then Light, then Dark.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.locator('html').getAttribute('class')).toContain('dark');
    expect(await focusState(page)).toMatchObject({ description: 'combobox "Theme"', ring: true });
    await snap(page, 'keyboard-05-theme-dark');
  });

  it('opens the delete dialog from a conversation’s menu, keeps the focus in it, and Escape returns it to the menu button', async () => {
    await tabVisiblyTo(/^button "Actions for /, { backwards: true });
    const actions = await focused();
    await page.keyboard.press('Enter');
    await expect.poll(focused).toBe('menuitem "Rename"');
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe('menuitem "Delete"');
    await page.keyboard.press('Enter');

    const dialog = page.getByRole('alertdialog', { name: 'Delete this conversation?' });
    await dialog.waitFor();
    // Cancel first, the safe choice; Tab goes round its two buttons and never leaves it.
    expect(await focusState(page)).toEqual({ description: 'button "Cancel"', ring: true, onScreen: true });
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('button "Delete"');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('button "Cancel"');
    await page.keyboard.press('Shift+Tab');
    expect(await focused()).toBe('button "Delete"');
    await snap(page, 'keyboard-06-delete-dialog');

    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(await focused()).toBe(actions);
    // Nothing was deleted.
    expect(await answers(page).count()).toBe(1);
  });

  it('shows the month’s spending details with Enter, and Escape hides them and returns to the line', async () => {
    await tabVisiblyTo(/^button "This month: /);
    await page.keyboard.press('Enter');
    const details = page.getByRole('group', { name: 'Your spending this month' });
    await details.waitFor();
    expect(await details.textContent()).toMatch(/Left\$[\d.]+/);
    await snap(page, 'keyboard-07-spending-details');
    await page.keyboard.press('Escape');
    await expect.poll(() => details.count()).toBe(0);
    expect(await focusState(page)).toMatchObject({ description: expect.stringMatching(/^button "This month: /), ring: true });
  });

  it('opens the phone’s drawer from the menu button, keeps the focus in it, and Escape returns it to the button', async () => {
    page = await open({ phone: true });
    await page.goto(app.url);
    await page.getByRole('textbox', { name: 'Name' }).waitFor();
    await page.keyboard.type('Kim');
    await page.keyboard.press('Enter');
    await expect.poll(focused, { timeout: 10_000 }).toBe('textbox "Message"');

    await tabVisiblyTo(/^button "Menu"$/, { backwards: true });
    await page.keyboard.press('Enter');
    const drawer = page.getByRole('dialog', { name: 'Conversations' });
    await drawer.waitFor();
    // The focus moved into the drawer; Tab goes round it without reaching the page behind.
    expect(await inDrawer()).toBe(true);
    const first = await focused();
    const round: string[] = [];
    for (let press = 0; press < 30; press++) {
      await page.keyboard.press('Tab');
      const state = await focusState(page);
      expect(await inDrawer(), `${state.description} is outside the drawer`).toBe(true);
      expect(state.ring, `no ring on ${state.description}`).toBe(true);
      round.push(state.description);
      if (state.description === first) break;
    }
    expect(round.at(-1), `Tab went round: ${round.join(', ')}`).toBe(first);
    await snap(page, 'keyboard-08-phone-drawer');

    // A dialog opened from the drawer: Escape closes the dialog only, back on the row's "…" button.
    await tabVisiblyTo(/^button "Actions for /);
    const actions = await focused();
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('alertdialog', { name: 'Delete this conversation?' });
    await dialog.waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('button "Cancel"');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(await drawer.isVisible()).toBe(true);
    expect(await focused()).toBe(actions);

    await page.keyboard.press('Escape');
    await expect.poll(() => drawer.count()).toBe(0);
    expect(await focusState(page)).toEqual({ description: 'button "Menu"', ring: true, onScreen: true });
    await snap(page, 'keyboard-09-phone-menu-button');
  });

  it('says it in French to a French browser', async () => {
    page = await open({ locale: 'fr-FR' });
    await page.goto(app.url);
    await expect.poll(focused).toBe('textbox "Nom"');
    await page.keyboard.type('Kim');
    await page.keyboard.press('Enter');
    await expect.poll(focused, { timeout: 10_000 }).toBe('textbox "Message"');
    const stops = await tabTo(page, /^link "Aller à la discussion"$/);
    expect(unseen(stops)).toEqual([]);
    await page.keyboard.press('Enter');
    expect(await focusState(page)).toEqual({ description: 'log "Discussion"', ring: true, onScreen: true });
    await tabVisiblyTo(/^button "Ce mois-ci : /);
    await page.keyboard.press('Enter');
    await page.getByRole('group', { name: 'Vos dépenses ce mois-ci' }).waitFor();
    await snap(page, 'keyboard-10-french-spending-details');
    await page.keyboard.press('Escape');
    expect(await focused()).toMatch(/^button "Ce mois-ci : /);
  });
});
