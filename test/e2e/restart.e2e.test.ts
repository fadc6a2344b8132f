import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from './app-process.js';
import { launchBrowser, snap } from './browser.js';

/**
 * Issue 16 with the real process: `npm start` stopped in the middle of a session (not a request
 * refused by the browser), then started again on the same data. The question asked meanwhile stays
 * in the thread unsent; after the restart the user is still signed in (the signing key is kept
 * with the data), Retry answers it once, and the history is whole.
 */
describe('the local server stopped and started again mid-session', () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp({ OFFLINE_MODEL_WORD_DELAY_MS: '5' }), launchBrowser()]);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB', colorScheme: 'light' });
    page = await context.newPage();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const log = () => page.getByRole('log', { name: 'Conversation' });
  const questions = () => log().getByRole('article', { name: /^You/ });
  const answers = () => log().getByRole('article', { name: /^Assistant/ });
  const message = () => page.getByRole('textbox', { name: 'Message' });

  async function ask(text: string): Promise<void> {
    await message().fill(text);
    await page.getByRole('button', { name: 'Send' }).click();
  }

  async function answered(count: number): Promise<void> {
    await expect.poll(() => answers().count(), { timeout: 20_000 }).toBe(count);
    await expect.poll(() => page.getByRole('button', { name: 'Send' }).count(), { timeout: 20_000 }).toBe(1);
  }

  it('keeps the question asked while the server is down, and answers it on Retry after the restart', async () => {
    await page.goto(app.url);
    await page.getByRole('textbox', { name: 'Name' }).fill('Robin Durand');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await ask('Which trains go from Lyon to Annecy?');
    await answered(1);
    await expect.poll(() => page.url()).toMatch(/\/c\/[\w-]+$/);
    const conversationUrl = page.url();

    await app.halt();
    await ask('And on Sundays?');
    const unsent = questions().last();
    await expect.poll(() => unsent.textContent(), { timeout: 20_000 }).toContain('Not sent');
    expect(await unsent.textContent()).toContain('And on Sundays?');
    expect(await answers().count()).toBe(1);
    await snap(page, 'restart-01-server-down');

    await app.resume();
    await unsent.getByRole('button', { name: 'Retry' }).click();
    await answered(2);
    await expect.poll(() => answers().last().textContent()).toContain('And on Sundays?');
    expect(await page.getByRole('textbox', { name: 'Name' }).count()).toBe(0);
    expect(await log().getByText('Not sent').count()).toBe(0);
    await snap(page, 'restart-02-answered-after-restart');

    // A new page load after the restart: still signed in, the whole history read back from disk.
    await page.goto(conversationUrl);
    await expect.poll(() => answers().count(), { timeout: 20_000 }).toBe(2);
    expect(await questions().count()).toBe(2);
    expect(await page.getByRole('textbox', { name: 'Name' }).count()).toBe(0);
    expect(await page.getByText(/Signed in as Robin Durand/).count()).toBe(1);
  });
});
