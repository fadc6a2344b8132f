import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from './app-process.js';
import { launchBrowser, snap } from './browser.js';

const APP = 'Claude Serverless Chat';

/**
 * Issue 16, "nothing lost when things fail": the tab names the conversation, and a conversation
 * that cannot be read says so (with Reload) instead of showing an empty new chat.
 */
describe('the web app when things fail', () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let conversationId = '';

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp({ OFFLINE_MODEL_WORD_DELAY_MS: '5' }), launchBrowser()]);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB', colorScheme: 'light' });
    page = await context.newPage();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const message = () => page.getByRole('textbox', { name: 'Message' });
  const answers = () => page.getByRole('log', { name: 'Conversation' }).getByRole('article', { name: /^Assistant/ });
  const sidebar = () => page.getByRole('navigation', { name: 'Conversations' });
  const alert = () => page.getByRole('main').getByRole('alert');
  /** Only the API's read of this conversation (the SPA's own URL is /c/{id}). */
  const conversationRead = (url: URL) => url.pathname === `/conversations/${conversationId}`;

  it('names the tab after the conversation, and after its new name', async () => {
    await page.goto(app.url);
    await page.getByRole('textbox', { name: 'Name' }).fill('Robin');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => message().count()).toBe(1);
    await expect.poll(() => page.title()).toBe(`New chat – ${APP}`);

    await message().fill('Plan a weekend in Lyon');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => answers().count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => page.getByRole('button', { name: 'Send' }).count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => page.url()).toMatch(/\/c\/[\w-]+$/);
    conversationId = new URL(page.url()).pathname.split('/').at(-1)!;
    await expect.poll(() => page.title()).toMatch(new RegExp(`^Plan a weekend in Lyon.* – ${APP}$`));

    const item = sidebar().getByRole('listitem').filter({ hasText: 'Plan a weekend' });
    await item.hover();
    await item.getByRole('button', { name: /^Actions for/ }).click();
    await page.getByRole('menuitem', { name: 'Rename' }).click();
    await page.getByRole('textbox', { name: 'Title' }).fill('Lyon itinerary');
    await page.getByRole('textbox', { name: 'Title' }).press('Enter');
    await expect.poll(() => page.title()).toBe(`Lyon itinerary – ${APP}`);
    await snap(page, 'resilience-01-renamed');
    await page.reload();
    await expect.poll(() => answers().count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => page.title()).toBe(`Lyon itinerary – ${APP}`);
  });

  it('says a conversation could not be loaded, and why, and Reload shows it when the server is back', async () => {
    const unavailable = (route: Route) =>
      route.request().method() === 'GET' ? route.fulfill({ status: 503, contentType: 'text/plain', body: 'Service Unavailable' }) : route.continue();
    await page.route(conversationRead, unavailable);
    await page.reload();
    await expect.poll(() => alert().textContent(), { timeout: 10_000 }).toContain('Could not load this conversation');
    expect(await alert().textContent()).toContain('The server had a problem (error 503)');
    // Not the new-chat screen, and nothing can be sent into the unread conversation.
    expect(await page.getByText('What can I help with?').count()).toBe(0);
    expect(await message().isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);
    await snap(page, 'resilience-02-load-failed-503');

    // Out of reach now: Reload says so.
    await page.unroute(conversationRead, unavailable);
    await page.route(conversationRead, (route) => (route.request().method() === 'GET' ? route.abort('connectionrefused') : route.continue()));
    await alert().getByRole('button', { name: 'Reload' }).click();
    await expect.poll(() => alert().textContent()).toContain('The server cannot be reached');
    await snap(page, 'resilience-03-load-failed-unreachable');

    // Back: Reload shows the conversation.
    await page.unrouteAll();
    await alert().getByRole('button', { name: 'Reload' }).click();
    await expect.poll(() => answers().count(), { timeout: 10_000 }).toBe(1);
    expect(await alert().count()).toBe(0);
    expect(await message().isDisabled()).toBe(false);
    await expect.poll(() => page.title()).toBe(`Lyon itinerary – ${APP}`);
    await snap(page, 'resilience-04-reloaded');
  });

  it('says an unknown conversation does not exist, with a link to a new chat', async () => {
    await page.goto(`${app.url}/c/no-such-conversation`);
    await expect.poll(() => alert().textContent(), { timeout: 10_000 }).toContain('This conversation does not exist');
    await expect.poll(() => page.title()).toBe(`Conversation not found – ${APP}`);
    expect(await message().isDisabled()).toBe(true);
    await snap(page, 'resilience-05-not-found');
    await alert().getByRole('link', { name: 'Start a new chat' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/');
    await expect.poll(() => message().isDisabled()).toBe(false);
    await expect.poll(() => page.title()).toBe(`New chat – ${APP}`);
  });

  it('names the admin page and, in French, the new chat', async () => {
    await page.goto(`${app.url}/admin`);
    await expect.poll(() => page.title(), { timeout: 10_000 }).toBe(`Usage – ${APP}`);
    await page.goto(app.url);
    await page.getByRole('combobox', { name: 'Language' }).selectOption('fr');
    await expect.poll(() => page.title()).toBe(`Nouvelle discussion – ${APP}`);
    await page.getByRole('combobox', { name: 'Langue' }).selectOption('en');
  });
});
