import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from './app-process.js';
import { launchBrowser, snap } from './browser.js';

/**
 * Spending control in the browser (issue 15), against `npm start`: a budget so small that one
 * answer of the offline model spends it ($3 / $15 per million tokens: one answer costs about a
 * fifth of a cent), the refusal that follows and the question it keeps, and an admin who finds
 * the user on /admin and raises her limit in place.
 */
describe('spending control in a browser', () => {
  let app: RunningApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let alice: Page;
  let admin: Page;
  let aliceCost = '';
  const keptQuestion = 'And what came after the printing press?';
  /** GET /usage as each page saw it, for a failure's message. */
  const usageReplies: string[] = [];

  beforeAll(async () => {
    [app, browser] = await Promise.all([
      startApp({ LOCAL_ADMINS: 'admin', USAGE_LIMIT_USD_PER_MONTH: '0.001', OFFLINE_MODEL_WORD_DELAY_MS: '5' }),
      launchBrowser(),
    ]);
  }, 120_000);
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await app?.stop();
  });

  async function signedIn(name: string, options: { width?: number; height?: number; dark?: boolean; mobile?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
      locale: 'en-GB',
      colorScheme: options.dark ? 'dark' : 'light',
      ...(options.mobile && { isMobile: true, hasTouch: true }),
    });
    contexts.push(context);
    const page = await context.newPage();
    page.on('response', (response) => {
      if (new URL(response.url()).pathname === '/usage') usageReplies.push(`${name}: ${response.status()}`);
    });
    await page.goto(app.url);
    await page.getByRole('textbox', { name: 'Name' }).fill(name);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('textbox', { name: 'Message' }).count(), { timeout: 10_000 }).toBe(1);
    return page;
  }

  const line = (page: Page) => page.getByTestId('spending-line');
  const answers = (page: Page) => page.getByRole('log', { name: 'Conversation' }).getByRole('article', { name: /^Assistant/ });
  const questions = (page: Page) => page.getByRole('log', { name: 'Conversation' }).getByRole('article', { name: /^You/ });

  /** The month's line is one row of the composer's bar, within the Send button's height. */
  async function fitsTheBar(page: Page): Promise<boolean> {
    const [box, send] = await Promise.all([line(page).boundingBox(), page.getByRole('button', { name: 'Send' }).boundingBox()]);
    return box !== null && send !== null && box.height <= send.height + 1 && box.y >= send.y - 1 && box.y + box.height <= send.y + send.height + 1;
  }

  async function ask(page: Page, text: string): Promise<void> {
    await page.getByRole('textbox', { name: 'Message' }).fill(text);
    await page.getByRole('button', { name: 'Send' }).click();
  }

  async function answered(page: Page, count: number): Promise<void> {
    await expect.poll(() => answers(page).count(), { timeout: 20_000 }).toBe(count);
    await expect.poll(() => page.getByRole('button', { name: 'Send' }).count(), { timeout: 20_000 }).toBe(1);
  }

  /** The admins' page, opened from the sidebar's link as an admin does (the SPA's router, no reload). */
  async function openAdminPage(page: Page): Promise<void> {
    // On a phone the sidebar is folded away behind the menu.
    const menu = page.getByRole('button', { name: 'Menu' });
    if (await menu.isVisible()) await menu.click();
    const link = page.getByRole('link', { name: 'Usage (admin)' });
    await expect.poll(() => link.count(), { timeout: 10_000, message: `the admins' link; GET /usage: ${usageReplies.join(', ')}` }).toBe(1);
    await link.click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/admin');
    await expect.poll(() => page.getByRole('heading', { name: 'Usage', level: 1 }).count(), { timeout: 10_000 }).toBe(1);
  }

  const row = (page: Page, name: string) => page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${name}`) }) });

  it('shows alice what she spent of her month, after each answer', async () => {
    alice = await signedIn('alice');
    // Fetched on sign-in: nothing spent yet.
    await expect.poll(() => line(alice).textContent(), { timeout: 10_000 }).toBe('This month: $0.00 of $0.001');
    await ask(alice, 'Please tell me about the history of the printing press in a few sentences, and who made it.');
    await answered(alice, 1);
    // The answer crossed the budget (it finishes, and counts): the line says so.
    await expect.poll(() => line(alice).textContent(), { timeout: 10_000 }).toMatch(/^Monthly limit reached: \$0\.00\d+ of \$0\.001$/);
    aliceCost = /reached: (\S+) of/.exec((await line(alice).textContent()) ?? '')![1]!;
    // In the composer's bar, no taller than its buttons: nothing moved when it came.
    expect(await fitsTheBar(alice)).toBe(true);
    await snap(alice, 'usage-01-alice-line');
  });

  it('refuses her next question with when the budget resets, and keeps the question', async () => {
    await ask(alice, keptQuestion);
    const alert = alice.getByRole('alert').filter({ hasText: 'spending limit' });
    await expect.poll(() => alert.count(), { timeout: 10_000 }).toBe(1);
    const said = (await alert.textContent()) ?? '';
    expect(said).toContain('You have reached your spending limit for this month. It resets on');
    // The first instant of next month (UTC), in the browser's words: "1 December 2026 at ...".
    const now = new Date();
    const month = new Intl.DateTimeFormat('en-GB', { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)));
    expect(said).toContain(month);
    expect(said).toContain('Your message was not sent: it is back in the message box.');
    expect(said).not.toMatch(/Something went wrong/);
    // Not lost: back in the box, ready to send, and not shown as sent in the thread.
    expect(await alice.getByRole('textbox', { name: 'Message' }).inputValue()).toBe(keptQuestion);
    expect(await questions(alice).count()).toBe(1);
    // No Retry that would be refused again (or regenerate the last answer).
    expect(await alice.getByRole('button', { name: 'Retry' }).count()).toBe(0);
    await snap(alice, 'usage-02-alice-refused');
  });

  it('does not show alice the admins’ page', async () => {
    expect(await alice.getByRole('link', { name: 'Usage (admin)' }).count()).toBe(0);
    // Navigating there all the same (in the app): the API answers 403 and the page says so.
    // A string: it runs in the page, whose DOM this file's types do not include.
    await alice.evaluate("history.pushState({}, '', '/admin'); dispatchEvent(new PopStateEvent('popstate', { state: history.state }))");
    await expect.poll(() => alice.getByRole('heading', { name: 'Only admins can see this page' }).count(), { timeout: 10_000 }).toBe(1);
    expect(await alice.getByRole('table').count()).toBe(0);
    // Back to her conversation, her kept question still in the box.
    await alice.getByRole('link', { name: 'Back to chat' }).first().click();
    await expect.poll(() => alice.getByRole('textbox', { name: 'Message' }).count(), { timeout: 10_000 }).toBe(1);
    expect(new URL(alice.url()).pathname).toMatch(/^\/c\/[\w-]+$/);
    expect(await alice.getByRole('textbox', { name: 'Message' }).inputValue()).toBe(keptQuestion);
    expect(await answers(alice).count()).toBe(1);
  });

  it('lets the admin find alice on /admin, sort by cost and raise her limit in place', async () => {
    admin = await signedIn('admin');
    // The admin has spent a little too, so that sorting by cost has something to sort.
    await ask(admin, 'Hi');
    await answered(admin, 1);
    await expect.poll(() => admin.getByRole('link', { name: 'Usage (admin)' }).count(), { timeout: 10_000 }).toBe(1);
    await snap(admin, 'usage-03-admin-chat-link');
    const adminChunk: string[] = [];
    admin.on('request', (request) => {
      if (/\/assets\/AdminView-[\w-]+\.js$/.test(request.url())) adminChunk.push(request.url());
    });
    await openAdminPage(admin);
    // Its own chunk, fetched when the page is opened.
    expect(adminChunk).toHaveLength(1);
    const aliceRow = row(admin, 'alice');
    await expect.poll(() => aliceRow.count(), { timeout: 10_000 }).toBe(1);
    expect(await aliceRow.getByRole('cell').first().textContent()).toBe(aliceCost);
    expect(await aliceRow.textContent()).toContain('default');

    const names = async () => (await admin.getByRole('rowheader').allTextContents()).map((name) => name.trim().split('@')[0]);
    const costHeader = admin.getByRole('columnheader', { name: 'Cost' });
    await costHeader.getByRole('button').click();
    expect(await costHeader.getAttribute('aria-sort')).toBe('descending');
    expect(await names()).toEqual(['alice', 'admin']);
    // The keyboard does it too: the header is a button.
    await costHeader.getByRole('button').focus();
    await admin.keyboard.press('Enter');
    expect(await costHeader.getAttribute('aria-sort')).toBe('ascending');
    expect(await names()).toEqual(['admin', 'alice']);
    expect(await admin.getByRole('columnheader', { name: 'User' }).getAttribute('aria-sort')).toBe('none');
    await costHeader.getByRole('button').click();
    await snap(admin, 'usage-03-admin-light-table');

    // The editor opens in a line under her row, its field focused.
    await aliceRow.getByRole('button', { name: /^Edit the monthly limit of alice/ }).click();
    const field = admin.getByRole('textbox', { name: /^Monthly limit of alice/ });
    await expect.poll(() => field.evaluate((element) => element === element.ownerDocument.activeElement)).toBe(true);
    await field.fill('lots');
    await field.press('Enter');
    await expect.poll(() => admin.getByRole('alert').textContent()).toContain('That is not an amount');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    await snap(admin, 'usage-04-admin-editing');
    await field.fill('1');
    await admin.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => aliceRow.getByRole('cell').last().textContent(), { timeout: 10_000 }).toContain('$1.00');
    expect(await aliceRow.getByRole('cell').last().textContent()).toContain('own');
    expect(await field.count()).toBe(0);
  });

  it('lets alice chat again, with the question she had kept', async () => {
    // She has the new limit on her next message; the line catches up after it.
    await alice.getByRole('button', { name: 'Send' }).click();
    await answered(alice, 2);
    expect(await questions(alice).nth(1).textContent()).toContain(keptQuestion);
    await expect.poll(() => line(alice).textContent(), { timeout: 10_000 }).toMatch(/^This month: \$0\.00\d+ of \$1\.00$/);
    await snap(alice, 'usage-05-alice-again');
  });

  it('looks right in the dark and on a phone', async () => {
    const dark = await signedIn('admin', { dark: true });
    await openAdminPage(dark);
    await expect.poll(() => row(dark, 'alice').count(), { timeout: 10_000 }).toBe(1);
    expect(((await dark.locator('html').getAttribute('class')) ?? '').split(' ')).toContain('dark');
    await snap(dark, 'usage-06-admin-dark');

    const phone = await signedIn('admin', { width: 390, height: 844, mobile: true });
    // The month's line fits the composer's bar beside its buttons.
    await expect.poll(() => line(phone).textContent(), { timeout: 10_000 }).toMatch(/^This month: /);
    expect(await fitsTheBar(phone)).toBe(true);
    await snap(phone, 'usage-07-phone-chat');
    await openAdminPage(phone);
    await expect.poll(() => row(phone, 'alice').count(), { timeout: 10_000 }).toBe(1);
    // Nothing wider than the screen: no sideways scrolling.
    expect(await phone.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await snap(phone, 'usage-08-admin-phone');
    await row(phone, 'alice').getByRole('button', { name: /^Edit the monthly limit/ }).click();
    expect(await phone.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await snap(phone, 'usage-09-admin-phone-editing');
  });

  it('serves /admin itself on a reload (the SPA, not the API)', async () => {
    await admin.reload();
    await expect.poll(() => admin.getByRole('heading', { name: 'Usage', level: 1 }).count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => row(admin, 'alice').count(), { timeout: 10_000 }).toBe(1);
  });
});

/** The other two limits, on an app of their own: messages a minute, and the room files may take. */
describe('rate and storage limits in a browser', () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [app, browser] = await Promise.all([
      startApp({ RATE_LIMIT_MESSAGES_PER_MINUTE: '1', STORAGE_LIMIT_MB_PER_USER: '0.001', OFFLINE_MODEL_WORD_DELAY_MS: '0' }),
      launchBrowser(),
    ]);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB', colorScheme: 'light' });
    page = await context.newPage();
    await page.goto(app.url);
    await page.getByRole('textbox', { name: 'Name' }).fill('carol');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('textbox', { name: 'Message' }).waitFor({ timeout: 10_000 });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('says how many seconds to wait when messages come too fast, and keeps the question', async () => {
    const refusal = page.getByRole('alert').filter({ hasText: 'too quickly' });
    // One message a minute: the second is refused (a third, if the minute turned in between).
    for (let sent = 0; sent < 3 && (await refusal.count()) === 0; sent++) {
      await page.getByRole('textbox', { name: 'Message' }).fill(`Question ${sent + 1}`);
      await page.getByRole('button', { name: 'Send' }).click();
      await expect.poll(async () => (await refusal.count()) + (await page.getByRole('button', { name: 'Send' }).count()), { timeout: 20_000 }).toBeGreaterThan(0);
      await page.waitForTimeout(300);
    }
    await expect.poll(() => refusal.count(), { timeout: 10_000 }).toBe(1);
    expect(await refusal.textContent()).toMatch(/You are sending messages too quickly\. Wait \d+ seconds? and try again\./);
    expect(await page.getByRole('textbox', { name: 'Message' }).inputValue()).toMatch(/^Question \d$/);
    await snap(page, 'usage-10-rate-limited');
  });

  it('explains a refused upload when the user’s files are full', async () => {
    await page.locator('form input[type=file]').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('a line of notes\n'.repeat(200)) });
    const chip = page.getByRole('listitem').filter({ hasText: 'notes.txt' });
    // With the sizes the server named: nothing stored yet, a limit of 0.001 MB, a file of 3,200 bytes.
    await expect.poll(() => chip.getByRole('alert').textContent(), { timeout: 10_000 }).toBe(
      'Your files use 0 B of your 1 KB, and this one is 3.1 KB. Delete files you no longer need to make room for it, or ask an admin for more.',
    );
    await snap(page, 'usage-11-storage-full');
  });
});
