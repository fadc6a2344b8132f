import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from './app-process.js';
import { blockingViolations, describeFindings } from './axe.js';
import { launchBrowser, snap } from './browser.js';

// The few browser globals the page functions below use: this file is type-checked without the DOM's types.
declare const document: { activeElement: PageElement | null; body: PageElement };
declare function getComputedStyle(element: PageElement): { opacity: string };
interface PageElement {
  tagName: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
}

const USER = 'Kim Lee';
const TOPICS = ['Packing list for Norway', 'Sourdough starter schedule', 'Quarterly budget review', 'Birthday ideas for Sam'];

/**
 * Issue 16, "titles and the sidebar" and "phone and keyboard": each row's actions behind one "…"
 * menu button that works with the keyboard alone and by touch, rows grouped by when they were last
 * active, and a header with the model's name, the Export menu's arrow keys, and New chat on phones.
 */
describe('the sidebar and the header', () => {
  let app: RunningApp;
  let browser: Browser;
  let desktop: BrowserContext;
  let page: Page;

  /** Conversations made through the API as the same user, as if from another tab. */
  async function makeConversations(): Promise<void> {
    const signIn = await fetch(`${app.url}/local-auth/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: USER }) });
    const { idToken } = (await signIn.json()) as { idToken: string };
    for (const topic of TOPICS) {
      const chat = await fetch(`${app.url}/chat`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${idToken}` },
        body: JSON.stringify({ message: topic }),
      });
      expect(chat.status).toBe(200);
    }
  }

  async function signIn(on: Page): Promise<void> {
    await on.goto(app.url);
    await on.getByRole('textbox', { name: 'Name' }).fill(USER);
    await on.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => sidebar(on).getByRole('link').count(), { timeout: 10_000 }).toBe(TOPICS.length);
  }

  const sidebar = (on: Page = page) => on.getByRole('navigation', { name: 'Conversations' });
  const row = (text: string, on: Page = page) => sidebar(on).getByRole('listitem').filter({ hasText: text });
  const actionsFor = (text: string, on: Page = page) => on.getByRole('button', { name: `Actions for ${text}` });
  const menu = (on: Page = page) => on.getByRole('menu');
  /** What has the keyboard focus, as a screen reader names it: its role and name. */
  const focused = (on: Page = page) =>
    on.evaluate(() => {
      const element = document.activeElement;
      if (!element || element === document.body) return 'nothing';
      const role = element.getAttribute('role') ?? element.tagName.toLowerCase();
      return `${role}: ${(element.getAttribute('aria-label') ?? element.textContent ?? '').trim()}`;
    });
  const isFocused = (locator: Locator) => locator.evaluate((element) => element === document.activeElement);
  const opacity = (locator: Locator) => locator.evaluate((element) => getComputedStyle(element).opacity);
  const size = async (locator: Locator) => {
    const box = await locator.boundingBox();
    return { width: Math.round(box?.width ?? 0), height: Math.round(box?.height ?? 0) };
  };

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp({ OFFLINE_MODEL_WORD_DELAY_MS: '0' }), launchBrowser()]);
    await makeConversations();
    desktop = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB', colorScheme: 'light' });
    page = await desktop.newPage();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('opens a row\'s "…" menu from the keyboard, moves in it with the arrows, and Escape gives the focus back', async () => {
    await signIn(page);
    // One Tab stop per row besides its link: the filter, then the newest row's link, then its "…".
    await page.getByRole('searchbox', { name: 'Filter conversations' }).focus();
    await page.keyboard.press('Tab');
    expect(await focused()).toBe(`a: ${TOPICS[3]}`);
    await page.keyboard.press('Tab');
    expect(await focused()).toBe(`button: Actions for ${TOPICS[3]}`);
    // Shown while focused, even though the pointer is elsewhere.
    expect(await opacity(actionsFor(TOPICS[3]!))).toBe('1');
    expect(await opacity(actionsFor(TOPICS[2]!))).toBe('0');

    await page.keyboard.press('Enter');
    await expect.poll(() => focused()).toBe('menuitem: Rename');
    expect(await page.getByRole('menu', { name: `Actions for ${TOPICS[3]}` }).count()).toBe(1);
    expect(await actionsFor(TOPICS[3]!).getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe('menuitem: Delete');
    await snap(page, 'sidebar-01-menu-keyboard');
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe('menuitem: Rename');
    await page.keyboard.press('End');
    expect(await focused()).toBe('menuitem: Delete');
    await page.keyboard.press('Escape');
    await expect.poll(() => menu().count()).toBe(0);
    expect(await focused()).toBe(`button: Actions for ${TOPICS[3]}`);
    expect(await actionsFor(TOPICS[3]!).getAttribute('aria-expanded')).toBe('false');

    // ArrowUp opens it on its last item; Tab closes it and goes on to the next row.
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => focused()).toBe('menuitem: Delete');
    await page.keyboard.press('Tab');
    await expect.poll(() => menu().count()).toBe(0);
    expect(await focused()).toBe(`a: ${TOPICS[2]}`);
  });

  it('renames a conversation with the keyboard alone, the focus back on its "…" afterwards', async () => {
    await actionsFor(TOPICS[2]!).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => focused()).toBe('menuitem: Rename');
    await page.keyboard.press('Enter');
    await expect.poll(() => focused()).toBe('input: Title');
    // The old title is selected: typing replaces it.
    await page.keyboard.type('Q3 budget');
    await page.keyboard.press('Enter');
    await expect.poll(() => sidebar().getByRole('link', { name: 'Q3 budget' }).count()).toBe(1);
    await expect.poll(() => focused()).toBe('button: Actions for Q3 budget');

    // Escape while renaming keeps the old title.
    await page.keyboard.press('Enter');
    await expect.poll(() => focused()).toBe('menuitem: Rename');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Never mind');
    await page.keyboard.press('Escape');
    await expect.poll(() => focused()).toBe('button: Actions for Q3 budget');
    expect(await sidebar().getByRole('link', { name: 'Never mind' }).count()).toBe(0);

    await page.reload();
    await expect.poll(() => sidebar().getByRole('link', { name: 'Q3 budget' }).count(), { timeout: 10_000 }).toBe(1);
  });

  it('deletes a conversation with the keyboard alone, after asking, the focus kept in the list', async () => {
    await actionsFor('Q3 budget').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe('menuitem: Delete');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('alertdialog', { name: 'Delete this conversation?' });
    await expect.poll(() => dialog.count()).toBe(1);
    expect(await focused()).toBe('button: Cancel');
    // Cancelled, nothing is deleted and the focus is where it was.
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(await focused()).toBe('button: Actions for Q3 budget');

    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await expect.poll(() => focused()).toBe('button: Cancel');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('button: Delete');
    await page.keyboard.press('Enter');
    await expect.poll(() => sidebar().getByRole('link').count()).toBe(TOPICS.length - 1);
    expect(await sidebar().getByRole('link', { name: 'Q3 budget' }).count()).toBe(0);
    // Not lost on the page: on a row of the list.
    await expect.poll(() => focused()).toMatch(/^a: /);
    await page.reload();
    await expect.poll(() => sidebar().getByRole('link').count(), { timeout: 10_000 }).toBe(TOPICS.length - 1);
  });

  it('groups the rows by when they were last active: Today, Yesterday, Previous 7 days, Older', async () => {
    // The store only holds conversations of today: the list as the server sends it, with three of
    // them last active earlier (noon on days before today in the browser's own time zone).
    const [yesterday, fourDaysAgo, lastMonth] = await page.evaluate(() =>
      [1, 4, 40].map((days) => {
        const now = new Date();
        return new Date(now.getFullYear(), now.getMonth(), now.getDate() - days, 12).toISOString();
      }),
    );
    const earlier: Record<string, string> = { [TOPICS[0]!]: lastMonth!, [TOPICS[1]!]: fourDaysAgo!, [TOPICS[3]!]: yesterday! };
    await page.route(
      (url) => url.pathname === '/conversations',
      async (route) => {
        const response = await route.fetch();
        const body = (await response.json()) as { items: Array<{ title: string; updatedAt: string }> };
        for (const item of body.items) item.updatedAt = earlier[item.title] ?? item.updatedAt;
        await route.fulfill({ response, json: body });
      },
    );
    // Something new today, to have all four sections.
    await page.getByRole('textbox', { name: 'Message' }).fill('Train times to Bergen');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.url(), { timeout: 10_000 }).toMatch(/\/c\/[\w-]+$/);
    await expect.poll(() => page.getByRole('log', { name: 'Conversation' }).getByRole('article', { name: /^Assistant/ }).count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => page.getByRole('button', { name: 'Send' }).count(), { timeout: 10_000 }).toBe(1);
    await page.reload();

    const group = (name: string) => sidebar().getByRole('group', { name });
    await expect.poll(() => sidebar().getByRole('group').count(), { timeout: 10_000 }).toBe(4);
    expect(await sidebar().getByRole('heading').allTextContents()).toEqual(['Today', 'Yesterday', 'Previous 7 days', 'Older']);
    expect(await group('Today').getByRole('link').allTextContents()).toEqual(['Train times to Bergen']);
    expect(await group('Yesterday').getByRole('link').allTextContents()).toEqual([TOPICS[3]]);
    expect(await group('Previous 7 days').getByRole('link').allTextContents()).toEqual([TOPICS[1]]);
    expect(await group('Older').getByRole('link').allTextContents()).toEqual([TOPICS[0]]);
    // The open conversation is marked for assistive technology too.
    expect(await group('Today').getByRole('link', { name: 'Train times to Bergen' }).getAttribute('aria-current')).toBe('page');
    expect(await sidebar().locator('[aria-current="page"]').count()).toBe(1);

    // A title longer than the row is cut by the view, whole in the tooltip and for screen readers.
    const longTitle = 'A very long title about planning the summer holidays with the whole family in the mountains';
    await actionsFor('Train times to Bergen').click();
    await page.getByRole('menuitem', { name: 'Rename' }).click();
    await page.getByRole('textbox', { name: 'Title' }).fill(longTitle);
    await page.getByRole('textbox', { name: 'Title' }).press('Enter');
    const longRow = sidebar().getByRole('link', { name: longTitle });
    await expect.poll(() => longRow.count()).toBe(1);
    expect(await longRow.getAttribute('title')).toBe(longTitle);
    expect(await longRow.locator('span').evaluate((element) => element.scrollWidth > element.clientWidth)).toBe(true);
    // The row uses the sidebar's width, less the "…" that shows on the current row.
    expect((await size(longRow)).width).toBeGreaterThan(250);

    await actionsFor(TOPICS[1]!).click();
    await expect.poll(() => focused()).toBe('menuitem: Rename');
    await snap(page, 'sidebar-02-groups-light');
    expect(describeFindings(await blockingViolations(page, 'sidebar menu, light'))).toBe('');
    await page.keyboard.press('Escape');

    await page.emulateMedia({ colorScheme: 'dark' });
    await page.reload();
    await expect.poll(() => sidebar().getByRole('group').count(), { timeout: 10_000 }).toBe(4);
    await row(TOPICS[0]!).hover();
    await actionsFor(TOPICS[0]!).click();
    await expect.poll(() => focused()).toBe('menuitem: Rename');
    await snap(page, 'sidebar-03-groups-dark');
    expect(describeFindings(await blockingViolations(page, 'sidebar menu, dark'))).toBe('');
    await page.keyboard.press('Escape');
    await page.emulateMedia({ colorScheme: 'light' });

    // In French too.
    await page.getByRole('combobox', { name: 'Language' }).selectOption('fr');
    const discussions = page.getByRole('navigation', { name: 'Discussions' });
    await expect.poll(() => discussions.getByRole('heading').allTextContents()).toEqual(['Aujourd’hui', 'Hier', '7 jours précédents', 'Plus anciennes']);
    await page.getByRole('button', { name: `Actions pour ${TOPICS[0]}` }).click();
    expect(await page.getByRole('menuitem').allTextContents()).toEqual(['Renommer', 'Supprimer']);
    await page.keyboard.press('Escape');
    await page.getByRole('combobox', { name: 'Langue' }).selectOption('en');
    await page.unrouteAll();
  });

  it('names the model in the header, and its Export menu works with the arrow keys', async () => {
    await sidebar().getByRole('link', { name: TOPICS[1] }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 10_000 }).toBe(TOPICS[1]);
    // The offline model has no better name than its id.
    const { model } = (await (await fetch(`${app.url}/config.json`)).json()) as { model: { id: string } };
    expect(await page.getByText(`Model: ${model.id}`, { exact: true }).count()).toBe(1);

    const exportButton = page.getByRole('button', { name: 'Export' });
    await exportButton.focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => focused()).toBe('menuitem: Markdown (.md)');
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe('menuitem: JSON (.json)');
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe('menuitem: Markdown (.md)');
    await snap(page, 'sidebar-04-export-menu');
    await page.keyboard.press('Escape');
    await expect.poll(() => menu().count()).toBe(0);
    expect(await isFocused(exportButton)).toBe(true);

    await page.keyboard.press('Enter');
    await expect.poll(() => focused()).toBe('menuitem: Markdown (.md)');
    await page.keyboard.press('End');
    const download = page.waitForEvent('download');
    await page.keyboard.press('Enter');
    expect((await download).suggestedFilename()).toMatch(/\.json$/);
    expect(await menu().count()).toBe(0);
    expect(await isFocused(exportButton)).toBe(true);
  });

  describe('on a phone', () => {
    let phone: BrowserContext;
    let tab: Page;

    beforeAll(async () => {
      phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'en-GB', colorScheme: 'light' });
      tab = await phone.newPage();
    });
    afterAll(async () => {
      await phone?.close();
    });

    it('starts a new chat from the header, with targets big enough for a finger', async () => {
      await tab.goto(app.url);
      await tab.getByRole('textbox', { name: 'Name' }).fill(USER);
      await tab.getByRole('button', { name: 'Sign in' }).tap();
      await expect.poll(() => tab.getByRole('textbox', { name: 'Message' }).count(), { timeout: 10_000 }).toBe(1);
      await tab.getByRole('button', { name: 'Menu', exact: true }).tap();
      await tab.getByRole('navigation', { name: 'Conversations' }).getByRole('link', { name: TOPICS[1] }).tap();
      await expect.poll(() => tab.getByRole('heading', { level: 1 }).textContent(), { timeout: 10_000 }).toBe(TOPICS[1]);
      const newChat = tab.getByRole('button', { name: 'New chat' });
      expect(await newChat.count()).toBe(1);
      for (const target of [newChat, tab.getByRole('button', { name: 'Menu', exact: true }), tab.getByRole('button', { name: 'Export' })]) {
        const { width, height } = await size(target);
        expect(Math.min(width, height)).toBeGreaterThanOrEqual(40);
      }
      await snap(tab, 'sidebar-05-phone-header');
      await newChat.tap();
      await expect.poll(() => new URL(tab.url()).pathname).toBe('/');
      await expect.poll(() => tab.getByRole('heading', { level: 1 }).textContent()).toBe('New chat');
      expect(await tab.getByText('What can I help with?').count()).toBe(1);
    });

    it('shows every row\'s "…" on a touch screen, and its menu works by tap', async () => {
      await tab.getByRole('button', { name: 'Menu', exact: true }).tap();
      const actions = actionsFor(TOPICS[0]!, tab);
      await expect.poll(() => opacity(actions)).toBe('1');
      expect(await size(actions)).toEqual({ width: 40, height: 40 });
      await actions.tap();
      await expect.poll(() => menu(tab).count()).toBe(1);
      for (const item of await tab.getByRole('menuitem').all()) expect((await size(item)).height).toBeGreaterThanOrEqual(40);
      await snap(tab, 'sidebar-06-phone-menu-light');

      // A tap elsewhere closes it.
      await tab.getByRole('searchbox', { name: 'Filter conversations' }).tap();
      await expect.poll(() => menu(tab).count()).toBe(0);

      await actions.tap();
      await tab.getByRole('menuitem', { name: 'Delete' }).tap();
      const dialog = tab.getByRole('alertdialog', { name: 'Delete this conversation?' });
      await expect.poll(() => dialog.isVisible()).toBe(true);
      await dialog.getByRole('button', { name: 'Delete' }).tap();
      await expect.poll(() => tab.getByRole('link', { name: TOPICS[0] }).count()).toBe(0);

      await tab.emulateMedia({ colorScheme: 'dark' });
      await tab.reload();
      await tab.getByRole('button', { name: 'Menu', exact: true }).tap();
      await actionsFor(TOPICS[1]!, tab).tap();
      await expect.poll(() => menu(tab).count()).toBe(1);
      await snap(tab, 'sidebar-07-phone-menu-dark');
    });
  });
});
