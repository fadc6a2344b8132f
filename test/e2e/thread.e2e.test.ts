import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from './app-process.js';
import { launchBrowser, snap } from './browser.js';

/**
 * Issue 16, the thread: a question that cannot be sent stays in the thread, unsent, with Retry and
 * Edit (also across a reload); Regenerate puts a new answer where the old one was, keeps the old
 * one as a previous version and never posts the question again; files go without words.
 */
describe('the thread in a browser', () => {
  let app: RunningApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp({ OFFLINE_MODEL_WORD_DELAY_MS: '5' }), launchBrowser()]);
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB', colorScheme: 'light' });
    page = await context.newPage();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const log = (on: Page = page) => on.getByRole('log', { name: /^(Conversation|Discussion)$/ });
  const message = (on: Page = page) => on.getByRole('textbox', { name: 'Message' });
  const questions = (on: Page = page) => log(on).getByRole('article', { name: /^You/ });
  const answers = (on: Page = page) => log(on).getByRole('article', { name: /^Assistant/ });
  /** The server out of reach for sends, as when it is stopped: the connection is refused. */
  const isChat = (url: URL) => url.pathname === '/chat';
  const refuse = (route: Route) => route.abort('connectionrefused');

  async function ask(text: string, on: Page = page): Promise<void> {
    await message(on).fill(text);
    await on.getByRole('button', { name: 'Send' }).click();
  }

  /** `count` answers on screen, the last one finished (Send is back). */
  async function answered(count: number, on: Page = page): Promise<void> {
    await expect.poll(() => answers(on).count(), { timeout: 20_000 }).toBe(count);
    await expect.poll(() => on.getByRole('button', { name: 'Send' }).count(), { timeout: 20_000 }).toBe(1);
  }

  it('keeps a question the server never got in the thread, unsent, with the reason, also after a reload', async () => {
    await page.goto(app.url);
    await page.getByRole('textbox', { name: 'Name' }).fill('Sam');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await ask('Plan a weekend in Lyon');
    await answered(1);
    await expect.poll(() => page.url()).toMatch(/\/c\/[\w-]+$/);

    await page.route(isChat, refuse);
    await ask('And what about winter?');
    const unsent = questions().last();
    await expect.poll(() => unsent.textContent(), { timeout: 10_000 }).toContain('Not sent');
    expect(await unsent.textContent()).toContain('And what about winter?');
    expect(await unsent.getByRole('alert').textContent()).toContain('The server could not be reached.');
    expect(await unsent.getByRole('button', { name: 'Retry' }).isVisible()).toBe(true);
    expect(await unsent.getByRole('button', { name: 'Edit' }).isVisible()).toBe(true);
    // No answer was started under it, and the words did not go back into the box twice.
    expect(await answers().count()).toBe(1);
    expect(await message().inputValue()).toBe('');
    await snap(page, 'thread-01-unsent-desktop-light');

    // Still out of reach, the page is reloaded: the question is still there, unsent.
    await page.reload();
    await expect.poll(() => questions().count(), { timeout: 10_000 }).toBe(2);
    expect(await questions().last().textContent()).toContain('Not sent');
  });

  it('answers it on Retry once the server is back, once', async () => {
    await page.unroute(isChat, refuse);
    await questions().last().getByRole('button', { name: 'Retry' }).click();
    await answered(2);
    await expect.poll(() => answers().last().textContent()).toContain('And what about winter?');
    expect(await questions().count()).toBe(2);
    expect(await log().getByText('Not sent').count()).toBe(0);
    await page.reload();
    await expect.poll(() => answers().count(), { timeout: 10_000 }).toBe(2);
    expect(await questions().count()).toBe(2);
    expect(await log().getByText('Not sent').count()).toBe(0);
  });

  it('puts an unsent question back in the composer on Edit', async () => {
    await page.route(isChat, refuse);
    await ask('Is the Fourvière basilica open on Sundays?');
    await expect.poll(() => log().getByText('Not sent').count(), { timeout: 10_000 }).toBe(1);
    await page.emulateMedia({ colorScheme: 'dark' });
    await snap(page, 'thread-05-unsent-desktop-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await questions().last().getByRole('button', { name: 'Edit' }).click();
    expect(await message().inputValue()).toBe('Is the Fourvière basilica open on Sundays?');
    expect(await questions().count()).toBe(2);
    await page.unroute(isChat, refuse);
    await page.getByRole('button', { name: 'Send' }).click();
    await answered(3);
  });

  it('regenerates the last answer in place: one question, versions ‹ 2 / 2 ›, the same after a reload', async () => {
    const sent: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/chat') sent.push(request.postData() ?? '');
    });
    const first = (await answers().last().textContent()) ?? '';
    await page.getByRole('button', { name: 'Regenerate' }).click();
    const versions = answers().last().getByRole('group', { name: 'Versions of this answer' });
    await expect.poll(() => versions.count(), { timeout: 20_000 }).toBe(1);
    await answered(3);
    expect(await questions().count()).toBe(3);
    expect(await versions.textContent()).toContain('2 / 2');
    expect(JSON.parse(sent.at(-1)!)).toMatchObject({ regenerate: { messageId: expect.any(String) } });
    expect(JSON.parse(sent.at(-1)!).message).toBeUndefined();
    await snap(page, 'thread-02-regenerated-desktop-light');

    await versions.getByRole('button', { name: 'Previous version' }).click();
    expect(await versions.textContent()).toContain('1 / 2');
    expect(await answers().last().textContent()).toContain(first.slice(0, 60));
    expect(await versions.getByRole('button', { name: 'Previous version' }).isDisabled()).toBe(true);
    await versions.getByRole('button', { name: 'Next version' }).click();
    expect(await versions.textContent()).toContain('2 / 2');

    await page.reload();
    await expect.poll(() => answers().count(), { timeout: 10_000 }).toBe(3);
    expect(await questions().count()).toBe(3);
    await expect.poll(() => answers().last().getByRole('group', { name: 'Versions of this answer' }).textContent()).toContain('2 / 2');
    await page.emulateMedia({ colorScheme: 'dark' });
    await snap(page, 'thread-06-versions-desktop-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('sends attached files with no words', async () => {
    await page.getByRole('button', { name: 'New chat' }).first().click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/');
    await page.locator('form input[type=file]').setInputFiles({ name: 'packing-list.md', mimeType: 'text/markdown', buffer: Buffer.from('# Packing\n- Umbrella\n- Guidebook') });
    await expect.poll(() => page.getByRole('button', { name: 'Send' }).isEnabled(), { timeout: 15_000 }).toBe(true);
    expect(await message().inputValue()).toBe('');
    await page.getByRole('button', { name: 'Send' }).click();
    await answered(1);
    await expect.poll(() => answers().first().textContent()).toContain('packing-list.md');
    expect(await questions().first().textContent()).toContain('packing-list.md');
    await snap(page, 'thread-03-files-only-desktop-light');
  });

  it('looks right in the dark and on a phone, in French', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'fr-FR', colorScheme: 'dark' });
    const mobile = await phone.newPage();
    await mobile.goto(app.url);
    await mobile.getByRole('textbox', { name: 'Nom' }).fill('Camille');
    await mobile.getByRole('button', { name: 'Se connecter' }).click();
    const box = mobile.getByRole('textbox', { name: 'Message' });
    await box.fill('Un week-end à Lyon ?');
    await mobile.getByRole('button', { name: 'Envoyer' }).click();
    await expect.poll(() => log(mobile).getByRole('article', { name: /^Assistant/ }).count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => mobile.getByRole('button', { name: 'Régénérer' }).count(), { timeout: 20_000 }).toBe(1);
    await mobile.getByRole('button', { name: 'Régénérer' }).click();
    const versions = log(mobile).getByRole('group', { name: 'Versions de cette réponse' });
    await expect.poll(() => versions.count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => mobile.getByRole('button', { name: 'Envoyer' }).count(), { timeout: 20_000 }).toBe(1);
    const previous = versions.getByRole('button', { name: 'Version précédente' });
    const size = await previous.boundingBox();
    expect(Math.min(size?.width ?? 0, size?.height ?? 0)).toBeGreaterThanOrEqual(40);

    await mobile.route(isChat, refuse);
    await box.fill('Et en hiver ?');
    await mobile.getByRole('button', { name: 'Envoyer' }).click();
    const unsent = log(mobile).getByRole('article', { name: /^Vous/ }).last();
    await expect.poll(() => unsent.textContent(), { timeout: 10_000 }).toContain('Non envoyé');
    expect(await unsent.getByRole('alert').textContent()).toContain('Le serveur est injoignable.');
    expect(await unsent.getByRole('button', { name: 'Réessayer' }).isVisible()).toBe(true);
    expect(await unsent.getByRole('button', { name: 'Modifier' }).isVisible()).toBe(true);
    await snap(mobile, 'thread-04-unsent-and-versions-phone-dark-fr');
    await phone.close();
  });
});
