import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SwitchableProxy } from '../support/switchable-proxy.js';
import { startApp, type RunningApp } from './app-process.js';
import { launchBrowser, snap } from './browser.js';

/**
 * An answer outlives the connection it streams over: the browser reaches the app through a TCP
 * proxy that is made to refuse everything mid-answer (as a network drop would), and the page picks
 * the answer up again by itself once the network is back, whole, without a Retry.
 */
describe('the web app when the connection drops mid-answer', () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let proxy: SwitchableProxy;
  let siteUrl = '';
  const chatPosts: string[] = [];
  const resumes: string[] = [];

  beforeAll(async () => {
    // A word every 80 ms: the answer takes seconds, time enough to cut it part way.
    [app, browser] = await Promise.all([startApp({ OFFLINE_MODEL_WORD_DELAY_MS: '80' }), launchBrowser()]);
    // On the app's own port of the other loopback address: the app answers its own host and port only.
    const port = Number(new URL(app.url).port);
    proxy = new SwitchableProxy(port);
    siteUrl = await proxy.start(port, '::1');
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB', colorScheme: 'light' });
    page = await context.newPage();
    // The site and its API both through the proxy: the app names its own port as the API's, so
    // the config says the proxy's instead.
    await page.route('**/config.json', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, json: { ...((await response.json()) as object), apiUrl: siteUrl } });
    });
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (request.method() === 'POST' && url.pathname === '/chat') chatPosts.push(url.pathname);
      if (request.method() === 'GET' && url.pathname.startsWith('/chat/streams/')) resumes.push(`${url.pathname}${url.search}`);
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await proxy?.stop();
    await app?.stop();
  });

  const message = () => page.getByRole('textbox', { name: 'Message' });
  const answers = () => page.getByRole('log', { name: 'Conversation' }).getByRole('article', { name: /^Assistant/ });
  const answerText = async () => ((await answers().first().locator('.markdown, .whitespace-pre-wrap').first().textContent()) ?? '').trim();
  const reconnecting = () => page.getByText('Connection lost: picking the answer up again…');
  const retryButtons = () => page.getByRole('button', { name: 'Retry' });

  it('shows the whole answer after the connection is cut part way, without a Retry, and the same after a reload', async () => {
    await page.goto(siteUrl);
    await page.getByRole('textbox', { name: 'Name' }).fill('Robin');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => message().count()).toBe(1);

    await message().fill('Tell me about resumable streams');
    await page.getByRole('button', { name: 'Send' }).click();
    // Part way: some words in, the answer still streaming (Stop offered).
    await expect.poll(() => answerText(), { timeout: 20_000 }).toContain('offline demo model');
    expect(await page.getByRole('button', { name: 'Stop' }).count()).toBe(1);

    // The network goes: every connection cut, every new one refused.
    proxy.set('refuse');
    await expect.poll(() => reconnecting().count(), { timeout: 10_000 }).toBe(1);
    const cutAt = await answerText();
    expect(cutAt).not.toContain('README');
    expect(await retryButtons().count()).toBe(0);
    await snap(page, 'resume-01-connection-lost');

    // It comes back: the page picks the answer up where it broke, by itself.
    proxy.set('pass');
    await expect.poll(() => page.getByRole('button', { name: 'Send' }).count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => answerText(), { timeout: 10_000 }).toContain('README');
    const whole = await answerText();
    expect(whole.startsWith(cutAt)).toBe(true);
    expect(whole).toContain('You asked: “Tell me about resumable streams”.');
    expect(await reconnecting().count()).toBe(0);
    expect(await retryButtons().count()).toBe(0);
    expect(await page.getByRole('main').getByRole('alert').count()).toBe(0);
    expect(await page.getByText('Stopped: the answer above is what arrived.').count()).toBe(0);
    // One question sent, and the answer read again from where it broke, not asked for again.
    expect(chatPosts).toHaveLength(1);
    expect(resumes.length).toBeGreaterThan(0);
    expect(resumes.every((resume) => /^\/chat\/streams\/[^/]+\?after=\d+$/.test(resume))).toBe(true);
    await snap(page, 'resume-02-whole-answer');

    // What the thread shows is what was stored.
    await page.reload();
    await expect.poll(() => answers().count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => answerText()).toBe(whole);
  });
});
