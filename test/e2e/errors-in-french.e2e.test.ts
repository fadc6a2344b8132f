import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from './app-process.js';
import { launchBrowser, snap } from './browser.js';

/**
 * Issue 16, "every message a user can see is in their language": the server refuses in English
 * with a code, and a French browser reads the SPA's French sentence for it, with the server's
 * numbers written the French way.
 */
describe('server errors in French', () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // A small message limit, to be over it without pasting a book.
    [app, browser] = await Promise.all([startApp({ STORE: 'memory', OFFLINE_MODEL_WORD_DELAY_MS: '5', MAX_MESSAGE_CHARS: '50' }), launchBrowser()]);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fr-FR', colorScheme: 'light' });
    page = await context.newPage();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const alerts = () => page.getByRole('main').getByRole('alert');

  it('says a message is over the length limit, and by how much, in French', async () => {
    await page.goto(app.url);
    await page.getByRole('textbox', { name: 'Nom' }).fill('Élodie Martin');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await expect.poll(() => page.getByRole('textbox', { name: 'Message' }).count(), { timeout: 10_000 }).toBe(1);
    const question = 'Pourriez-vous résumer ce très long paragraphe pour moi ?';
    expect(question.length).toBeGreaterThan(50);
    await page.getByRole('textbox', { name: 'Message' }).fill(question);
    await page.getByRole('button', { name: 'Envoyer' }).click();
    await expect
      .poll(() => alerts().allTextContents(), { timeout: 10_000 })
      .toContainEqual(expect.stringContaining(`Votre message compte ${question.length} caractères ; la limite est de 50.`));
    expect((await alerts().allTextContents()).join(' ')).not.toMatch(/characters|limit is/);
    await snap(page, 'errors-fr-01-message-too-long');
  });

  it('says why a file was refused, in French', async () => {
    await page.locator('form input[type=file]').setInputFiles({ name: 'notes.xyz', mimeType: 'application/octet-stream', buffer: Buffer.from([0, 1, 2, 3, 250, 251, 252]) });
    const chip = page.getByRole('listitem').filter({ hasText: 'notes.xyz' });
    await expect.poll(() => chip.getByRole('alert').textContent(), { timeout: 10_000 }).toContain('Ce type de fichier n’est pas pris en charge.');
    expect(await chip.getByRole('alert').textContent()).toContain('Envoyez un PDF, un document Word (.docx)');
    await snap(page, 'errors-fr-02-file-refused');
  });
});
