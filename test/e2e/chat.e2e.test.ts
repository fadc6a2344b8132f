import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from './app-process.js';
import { launchBrowser, snap } from './browser.js';

/**
 * The SPA in Debian's chromium against `npm start` (embedded DynamoDB and S3, the offline model
 * streaming a word every 40 ms): what a person does, found by the names a screen reader hears.
 */
describe('the web app in a browser', () => {
  let app: RunningApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp({ OFFLINE_MODEL_WORD_DELAY_MS: '40' }), launchBrowser()]);
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB', colorScheme: 'light' });
    page = await context.newPage();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const message = () => page.getByRole('textbox', { name: 'Message' });
  const answers = () => page.getByRole('log', { name: 'Conversation' }).getByRole('article', { name: /^Assistant/ });
  const questions = () => page.getByRole('log', { name: 'Conversation' }).getByRole('article', { name: /^You/ });
  const conversations = () => page.getByRole('navigation', { name: 'Conversations' }).getByRole('link');

  const isDark = async () => ((await page.locator('html').getAttribute('class')) ?? '').split(' ').includes('dark');

  async function ask(text: string): Promise<void> {
    await message().fill(text);
    await page.getByRole('button', { name: 'Send' }).click();
  }

  async function answered(count: number): Promise<void> {
    await expect.poll(() => answers().count(), { timeout: 20_000 }).toBe(count);
    await expect.poll(() => page.getByRole('button', { name: 'Send' }).count(), { timeout: 20_000 }).toBe(1);
  }

  it('signs in with a name', async () => {
    const configRequests: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/config.json') configRequests.push(request.url());
    });
    await page.goto(app.url);
    await expect.poll(() => page.getByRole('button', { name: 'Sign in' }).count()).toBe(1);
    // index.html preloads the site config with the scripts, and the app takes that response.
    expect(await page.locator('link[rel="preload"][href="/config.json"]').count()).toBe(1);
    expect(configRequests).toHaveLength(1);
    await snap(page, '01-sign-in');
    await page.getByRole('textbox', { name: 'Name' }).fill('Ada');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => message().count()).toBe(1);
    await snap(page, '02-new-chat');
  });

  it('streams an answer that appears in pieces, rendered as Markdown', async () => {
    await ask('Explain **streaming** in a few words, please, with enough words to take a while to answer.');
    const lengths = new Set<number>();
    for (let i = 0; i < 40 && lengths.size < 4; i++) {
      lengths.add(((await answers().first().textContent()) ?? '').length);
      await page.waitForTimeout(60);
    }
    expect(lengths.size).toBeGreaterThanOrEqual(3);
    await snap(page, '03-streaming');
    await answered(1);
    await expect.poll(() => answers().first().locator('strong').first().textContent()).toBe('streaming');
    await expect.poll(() => page.url()).toMatch(/\/c\/[\w-]+$/);
    await expect.poll(() => conversations().count()).toBe(1);
    await snap(page, '04-answered');
  });

  it('stops an answer and keeps what arrived, also after a reload', async () => {
    await ask(`Tell me a long story. ${'Once upon a time there was a very long question. '.repeat(8)}`);
    await expect.poll(async () => ((await answers().nth(1).textContent()) ?? '').length, { timeout: 10_000 }).toBeGreaterThan(40);
    await page.getByRole('button', { name: 'Stop' }).click();
    await answered(2);
    const partial = (await answers().nth(1).locator('.markdown').textContent()) ?? '';
    await expect.poll(() => answers().nth(1).getByText('Stopped').count()).toBe(1);
    expect(partial).not.toContain('see "Models" in the README');
    await snap(page, '05-stopped');

    await page.reload();
    await expect.poll(() => answers().count(), { timeout: 10_000 }).toBe(2);
    // Stop reached the server, which kept what it had streamed then: what was on screen, and
    // perhaps the few words that were on their way.
    const kept = (await answers().nth(1).locator('.markdown').textContent()) ?? '';
    expect(kept.trim().startsWith(partial.trim().slice(0, -20))).toBe(true);
    expect(kept).not.toContain('see "Models" in the README');
    await expect.poll(() => answers().nth(1).getByText('Stopped').count()).toBe(1);
  });

  it('regenerates the last answer in place, without asking the question again', async () => {
    await page.getByRole('button', { name: 'Regenerate' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Previous version' }).count(), { timeout: 20_000 }).toBe(1);
    await answered(2);
    expect(await questions().count()).toBe(2);
    expect(await answers().nth(1).textContent()).toContain('offline demo model');
  });

  it('uploads a PDF, shows its extracted length, and the answer uses it', async () => {
    await page.getByRole('button', { name: 'New chat' }).click();
    const pdf = await PDFDocument.create();
    const font = await pdf.embedFont(StandardFonts.Helvetica);
    for (const text of ['Quarterly report: revenue grew 12 percent.', 'Second page: costs fell.']) {
      pdf.addPage([400, 300]).drawText(text, { x: 30, y: 250, size: 12, font });
    }
    await page.locator('form input[type=file]').setInputFiles({ name: 'report.pdf', mimeType: 'application/pdf', buffer: Buffer.from(await pdf.save()) });
    await expect.poll(() => page.getByText(/report\.pdf/).count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.getByText(/2 pages/).count(), { timeout: 15_000 }).toBe(1);
    await snap(page, '06-pdf-attached');
    await ask('What does the report say?');
    await answered(1);
    await expect.poll(() => answers().first().textContent()).toContain('report.pdf');
    await expect.poll(() => page.getByRole('list', { name: 'Files in this conversation' }).textContent()).toContain('report.pdf');
  });

  it('sends a large file through the presigned upload with a progress bar', async () => {
    const big = Buffer.from('id,city,amount\n' + Array.from({ length: 90_000 }, (_, n) => `${n},Lyon Part-Dieu,${n * 3},a note that makes the row longer`).join('\n'));
    expect(big.length).toBeGreaterThan(4 * 1024 * 1024);
    await page.locator('form input[type=file]').setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: big });
    await expect.poll(() => page.getByRole('progressbar', { name: 'big.csv' }).count(), { timeout: 10_000 }).toBe(1);
    await snap(page, '07-uploading');
    await expect.poll(() => page.getByText(/90,000 rows|90K rows/).count(), { timeout: 60_000 }).toBe(1);
    await ask('Sum the amounts in big.csv');
    await answered(2);
    await expect.poll(() => answers().nth(1).textContent()).toContain('big.csv');
  });

  it('finds the history after a reload, renames and deletes a conversation', async () => {
    await page.goto(app.url);
    await expect.poll(() => conversations().count(), { timeout: 10_000 }).toBe(2);
    await conversations().filter({ hasText: 'Explain streaming' }).click();
    await expect.poll(() => answers().count(), { timeout: 10_000 }).toBe(2);

    const item = page.getByRole('navigation', { name: 'Conversations' }).getByRole('listitem').filter({ hasText: 'Explain' });
    await item.hover();
    await item.getByRole('button', { name: /^Actions for/ }).click();
    await page.getByRole('menuitem', { name: 'Rename' }).click();
    await page.getByRole('textbox', { name: 'Title' }).fill('Streaming notes');
    await page.getByRole('textbox', { name: 'Title' }).press('Enter');
    await expect.poll(() => conversations().filter({ hasText: 'Streaming notes' }).count()).toBe(1);
    await page.reload();
    await expect.poll(() => conversations().filter({ hasText: 'Streaming notes' }).count(), { timeout: 10_000 }).toBe(1);

    const renamed = page.getByRole('navigation', { name: 'Conversations' }).getByRole('listitem').filter({ hasText: 'Streaming notes' });
    await renamed.hover();
    await renamed.getByRole('button', { name: 'Actions for Streaming notes' }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    const dialog = page.getByRole('alertdialog');
    await snap(page, '08-delete-confirm');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => conversations().count()).toBe(1);
    await page.reload();
    await expect.poll(() => conversations().count(), { timeout: 10_000 }).toBe(1);
  });

  it('switches to French and to the dark theme, and remembers both', async () => {
    await page.getByRole('combobox', { name: 'Language' }).selectOption('fr');
    await expect.poll(() => page.getByRole('button', { name: 'Nouvelle discussion' }).count()).toBe(1);
    await page.getByRole('combobox', { name: 'Thème' }).selectOption('dark');
    await expect.poll(() => isDark()).toBe(true);
    await page.getByRole('navigation', { name: 'Discussions' }).getByRole('link').first().click();
    await expect.poll(() => page.getByRole('log', { name: 'Discussion' }).getByRole('article').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await snap(page, '09-french-dark');
    await page.reload();
    await expect.poll(() => page.getByRole('button', { name: 'Envoyer' }).count(), { timeout: 10_000 }).toBe(1);
    expect(await isDark()).toBe(true);
    await page.getByRole('combobox', { name: 'Langue' }).selectOption('en');
    await page.getByRole('combobox', { name: 'Theme' }).selectOption('light');
  });

  it('can be used with the keyboard alone', async () => {
    const keyboardOnly = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const tab = await keyboardOnly.newPage();
    const focusedName = async () => {
      const focused = tab.locator(':focus');
      return (await focused.count()) ? ((await focused.getAttribute('aria-label')) ?? (await focused.textContent()) ?? '').trim() : '';
    };
    await tab.goto(app.url);
    await expect.poll(() => tab.getByRole('textbox', { name: 'Name' }).count()).toBe(1);
    await tab.keyboard.type('Kim'); // the name field has the focus on arrival
    await tab.keyboard.press('Enter');
    await expect.poll(focusedName, { timeout: 10_000 }).toBe('Message'); // and then the composer has it
    await tab.keyboard.type('Typed without a mouse');
    await tab.keyboard.press('Enter');
    const log = tab.getByRole('log', { name: 'Conversation' });
    await expect.poll(() => log.getByRole('article', { name: /^Assistant/ }).textContent(), { timeout: 20_000 }).toContain('Typed without a mouse');
    // Tab reaches the sidebar's New chat, and Enter starts one.
    let reached = false;
    for (let presses = 0; presses < 40 && !reached; presses++) {
      await tab.keyboard.press('Shift+Tab');
      reached = (await focusedName()).includes('New chat');
    }
    expect(reached).toBe(true);
    await snap(tab, '12-keyboard-focus');
    await tab.keyboard.press('Enter');
    await expect.poll(() => new URL(tab.url()).pathname).toBe('/');
    await keyboardOnly.close();
  });

  it('works on a phone: the sidebar folds away behind the menu', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const mobile = await phone.newPage();
    await mobile.goto(app.url);
    await mobile.getByRole('textbox', { name: 'Name' }).fill('Ada');
    await mobile.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => mobile.getByRole('textbox', { name: 'Message' }).count()).toBe(1);
    // The sidebar's New chat is folded away with it; the header has its own.
    const sidebarNewChat = mobile.getByRole('complementary').getByRole('button', { name: 'New chat' });
    expect(await sidebarNewChat.isVisible()).toBe(false);
    expect(await mobile.getByRole('button', { name: 'New chat' }).isVisible()).toBe(true);
    await snap(mobile, '10-phone');
    await mobile.getByRole('button', { name: 'Menu', exact: true }).click();
    await expect.poll(() => sidebarNewChat.isVisible()).toBe(true);
    // On screen, not merely "visible" somewhere off to the left.
    await expect.poll(async () => (await sidebarNewChat.boundingBox())?.x ?? -1).toBeGreaterThanOrEqual(0);
    await snap(mobile, '11-phone-menu');
    await phone.close();
  });
});
