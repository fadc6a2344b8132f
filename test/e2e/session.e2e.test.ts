import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from './app-process.js';
import { launchBrowser, snap } from './browser.js';

/** Short enough to wait out, long enough for a sign-in and an answer on a busy machine. */
const TOKEN_LIFETIME_SECONDS = 8;
const SESSION_KEY = 'chat.localSession';

/** The tab's sessionStorage, as the functions run in the page see it (this file is checked without the DOM's types). */
type InPage = { sessionStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void } };

/**
 * Issue 16, "an expired or refused token leads to the sign-in screen": local tokens that expire
 * within seconds (local sign-in has no refresh token), a send after that, and a token the server
 * refuses; in each case the sign-in screen says why, and what was typed is still there after.
 */
describe('a session that ends', () => {
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    [app, browser] = await Promise.all([
      startApp({ STORE: 'memory', OFFLINE_MODEL_WORD_DELAY_MS: '5', LOCAL_TOKEN_LIFETIME_SECONDS: String(TOKEN_LIFETIME_SECONDS) }),
      launchBrowser(),
    ]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  async function open(options: { phone?: boolean; dark?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({
      viewport: options.phone ? { width: 390, height: 844 } : { width: 1280, height: 800 },
      locale: 'en-GB',
      colorScheme: options.dark ? 'dark' : 'light',
      ...(options.phone && { isMobile: true, hasTouch: true }),
    });
    return { context, page: await context.newPage() };
  }

  const message = (page: Page) => page.getByRole('textbox', { name: 'Message' });
  const notice = (page: Page) => page.getByRole('status').filter({ hasText: 'Your session has ended. Sign in again.' });
  const answers = (page: Page) => page.getByRole('log', { name: 'Conversation' }).getByRole('article', { name: /^Assistant/ });

  async function signIn(page: Page, name?: string): Promise<void> {
    if (name !== undefined) await page.getByRole('textbox', { name: 'Name' }).fill(name);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => message(page).count(), { timeout: 10_000 }).toBe(1);
  }

  /** The token this tab holds, and whether the server still takes it (its clock decides, not the browser's). */
  const storedToken = (page: Page) =>
    page.evaluate((key) => (JSON.parse((globalThis as unknown as InPage).sessionStorage.getItem(key) ?? '{}') as { idToken?: string }).idToken, SESSION_KEY);
  const serverTakes = async (token: string | undefined) => (await fetch(`${app.url}/usage`, { headers: { Authorization: `Bearer ${token}` } })).status;

  it('sends an expired session to sign-in, keeps the question, and sends it once signed in again', async () => {
    const { context, page } = await open();
    await page.goto(app.url);
    await signIn(page, 'Ada');
    await message(page).fill('What did Babbage build?');
    const token = await storedToken(page);
    expect(await serverTakes(token)).toBe(200);
    // Wait until the server refuses the token (no clock to move: it is the server's).
    await expect.poll(() => serverTakes(token), { timeout: (TOKEN_LIFETIME_SECONDS + 5) * 1000, interval: 500 }).toBe(401);

    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => notice(page).count(), { timeout: 10_000 }).toBe(1);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    // The same person is offered again; nobody is "signed in as" anyone.
    expect(await page.getByRole('textbox', { name: 'Name' }).inputValue()).toBe('Ada');
    expect(await page.getByText('Signed in as').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Retry' }).count()).toBe(0);
    await snap(page, 'session-01-ended-desktop-light');

    await signIn(page);
    expect(await notice(page).count()).toBe(0);
    await expect.poll(() => message(page).inputValue()).toBe('What did Babbage build?');
    await snap(page, 'session-02-question-kept');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => answers(page).count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => answers(page).first().textContent(), { timeout: 20_000 }).toContain('What did Babbage build?');
    expect(await message(page).inputValue()).toBe('');
    await context.close();
  });

  it('sends a refused token to sign-in, and back to the conversation it was on', async () => {
    const { context, page } = await open({ phone: true, dark: true });
    await page.goto(app.url);
    await signIn(page, 'Grace');
    await message(page).fill('Hello');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => answers(page).count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => page.url()).toMatch(/\/c\/[\w-]+$/);
    // The answer written whole before the reload: what is checked is the token, not an answer in flight.
    await expect.poll(() => page.getByRole('button', { name: 'Stop' }).count(), { timeout: 20_000 }).toBe(0);
    const conversation = new URL(page.url()).pathname;

    // A token the server did not sign (altered in storage): refused whatever its expiry says.
    await page.evaluate((key) => {
      const { sessionStorage } = globalThis as unknown as InPage;
      const stored = JSON.parse(sessionStorage.getItem(key) ?? '{}') as { idToken: string };
      const [header, payload, signature = ''] = stored.idToken.split('.');
      const altered = signature.startsWith('A') ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
      sessionStorage.setItem(key, JSON.stringify({ ...stored, idToken: `${header}.${payload}.${altered}` }));
    }, SESSION_KEY);
    await page.reload();
    await expect.poll(() => notice(page).count(), { timeout: 20_000 }).toBe(1);
    expect(await page.getByText('Signed in as').count()).toBe(0);
    await snap(page, 'session-03-refused-phone-dark');

    await signIn(page);
    await expect.poll(() => new URL(page.url()).pathname).toBe(conversation);
    await expect.poll(() => answers(page).count(), { timeout: 10_000 }).toBe(1);
    await context.close();
  });

  it('says so in French too', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fr-FR', colorScheme: 'dark' });
    const page = await context.newPage();
    await page.goto(app.url);
    await page.getByRole('textbox', { name: 'Nom' }).fill('Marie');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await expect.poll(() => page.getByRole('textbox', { name: 'Message' }).count(), { timeout: 10_000 }).toBe(1);
    await page.evaluate((key) => {
      const { sessionStorage } = globalThis as unknown as InPage;
      sessionStorage.setItem(key, JSON.stringify({ ...(JSON.parse(sessionStorage.getItem(key) ?? '{}') as object), idToken: 'not-a-token' }));
    }, SESSION_KEY);
    await page.reload();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Votre session a pris fin. Reconnectez-vous.' }).count(), { timeout: 10_000 }).toBe(1);
    await snap(page, 'session-04-ended-french-dark');
    await context.close();
  });
});
