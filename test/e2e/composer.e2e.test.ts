import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from './app-process.js';
import { launchBrowser, snap } from './browser.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);
const CSV = Buffer.from('quarter,revenue\nQ1,120\nQ2,135\nQ3,150\n');
const NOTES = Buffer.from('# Notes\n\nShip on Friday. Tell the team on Thursday.\n');

/**
 * Issue 16, "composer and thread": files sent without words, chips that say what a file is and why
 * it was refused, suggestions that ask for their file, "Jump to latest" while an answer streams,
 * long questions folded, and math drawn by KaTeX, loaded only for an answer with math.
 */
describe('the composer and how the thread reads', () => {
  let app: RunningApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** The conversation of three long questions, read again in other looks. */
  let longThread = '';
  /** KaTeX's files, as the browser asked for them: none until an answer has math. */
  const katexRequests: string[] = [];
  const cspViolations: string[] = [];

  beforeAll(async () => {
    // A word every 40 ms: an answer takes a few seconds, long enough to scroll while it streams.
    [app, browser] = await Promise.all([startApp({ OFFLINE_MODEL_WORD_DELAY_MS: '40' }), launchBrowser()]);
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB', colorScheme: 'light' });
    page = await context.newPage();
    page.on('request', (request) => {
      if (/\/assets\/katex[^/]*\.(js|css)$/.test(new URL(request.url()).pathname)) katexRequests.push(request.url());
    });
    // The page runs under the server's CSP (no inline <style>): anything it refuses is a defect.
    page.on('console', (entry) => {
      if (/Content Security Policy/i.test(entry.text())) cspViolations.push(entry.text());
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const message = (on = page) => on.getByRole('textbox', { name: 'Message' });
  const log = (on = page) => on.getByRole('log', { name: 'Conversation' });
  const answers = (on = page) => log(on).getByRole('article', { name: /^Assistant/ });
  const questions = (on = page) => log(on).getByRole('article', { name: /^You/ });
  const send = (on = page) => on.getByRole('button', { name: 'Send' });
  const chips = (on = page) => on.getByRole('main').locator('form').getByRole('listitem');
  /** The element that scrolls the thread: the log's parent. */
  const scroller = () => log().locator('..');
  const distanceFromBottom = () => scroller().evaluate((element) => element.scrollHeight - element.scrollTop - element.clientHeight);

  async function signIn(on: Page, name: string): Promise<void> {
    await on.goto(app.url);
    await on.getByRole('textbox', { name: 'Name' }).fill(name);
    await on.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => message(on).count(), { timeout: 10_000 }).toBe(1);
  }

  async function newChat(): Promise<void> {
    await page.goto(app.url);
    await expect.poll(() => page.getByText('What can I help with?').count(), { timeout: 10_000 }).toBe(1);
  }

  async function ask(text: string): Promise<void> {
    await message().fill(text);
    await send().click();
  }

  async function answered(count: number): Promise<void> {
    await expect.poll(() => answers().count(), { timeout: 20_000 }).toBe(count);
    await expect.poll(() => send().count(), { timeout: 20_000 }).toBe(1);
  }

  /** Attaches files with the composer's "Attach files" button, through the browser's file chooser. */
  async function attach(files: { name: string; mimeType: string; buffer: Buffer }[]): Promise<void> {
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Attach files' }).click();
    await (await chooser).setFiles(files);
  }

  async function isClipped(element: Locator): Promise<boolean> {
    // Clipped by itself or by any box around it, up to the list of chips.
    return element.evaluate((node) => {
      for (let box = node; box && box.tagName !== 'UL'; box = box.parentElement!) {
        if (box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1) return true;
      }
      return false;
    });
  }

  /** Whether the placeholder's text fits on the box's one line (a placeholder cut off says nothing). */
  function placeholderFits(box: Locator): Promise<boolean> {
    return box.evaluate((element) => {
      const page = element.ownerDocument;
      const style = page.defaultView!.getComputedStyle(element);
      const probe = page.createElement('span');
      probe.style.font = style.font;
      probe.style.whiteSpace = 'nowrap';
      probe.textContent = element.getAttribute('placeholder');
      page.body.append(probe);
      const width = probe.getBoundingClientRect().width;
      probe.remove();
      return width <= element.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    });
  }

  it('turns a suggestion about a file into the file picker, and writes its words once the file is there', async () => {
    await signIn(page, 'Camille');
    await snap(page, 'composer-01-new-chat');
    const suggestion = page.getByRole('button', { name: /^Summarise this document in five bullet points/ });
    expect(await suggestion.textContent()).toContain('Choose a file first');

    const chooser = page.waitForEvent('filechooser');
    await suggestion.click();
    const picker = await chooser;
    // Nothing is written about a document that is not there yet.
    expect(await message().inputValue()).toBe('');
    expect(picker.isMultiple()).toBe(true);
    expect(await picker.element().getAttribute('accept')).toContain('.pdf');
    await picker.setFiles({ name: 'notes.md', mimeType: 'text/markdown', buffer: NOTES });

    await expect.poll(() => message().inputValue()).toBe('Summarise this document in five bullet points');
    await expect.poll(() => chips().filter({ hasText: 'notes.md' }).getByRole('img', { name: 'Text' }).count()).toBe(1);
    await expect.poll(() => chips().filter({ hasText: 'notes.md' }).textContent(), { timeout: 10_000 }).toContain('characters');
    await snap(page, 'composer-02-suggestion-file-attached');

    // A suggestion that needs no file fills the box, as before.
    await page.getByRole('button', { name: 'Remove notes.md' }).click();
    await page.getByRole('button', { name: 'Draft a polite email declining a meeting' }).click();
    await expect.poll(() => message().inputValue()).toBe('Draft a polite email declining a meeting');
    await message().fill('');
  });

  it('shows what kind each file is, and a refused file’s whole reason', async () => {
    await newChat();
    await attach([
      { name: 'holiday-photo-from-the-beach-in-brittany.png', mimeType: 'image/png', buffer: PNG },
      { name: 'figures.csv', mimeType: 'text/csv', buffer: CSV },
    ]);
    const refused = chips().filter({ hasText: 'holiday-photo' });
    await expect.poll(() => refused.getByRole('alert').count(), { timeout: 10_000 }).toBe(1);
    expect(await refused.getByRole('img', { name: 'Image' }).count()).toBe(1);
    const reason = refused.getByRole('alert');
    expect(await reason.textContent()).toMatch(/not (a )?supported.*PDF.*Word document.*CSV.*source code/s);
    expect(await isClipped(reason)).toBe(false);
    await expect.poll(() => chips().filter({ hasText: 'figures.csv' }).getByRole('img', { name: 'Spreadsheet' }).count()).toBe(1);
    await expect.poll(() => chips().filter({ hasText: 'figures.csv' }).textContent(), { timeout: 10_000 }).toContain('rows');
    await snap(page, 'composer-03-chips-refused-and-ready');
    await page.getByRole('button', { name: /^Remove holiday-photo/ }).click();
  });

  it('sends a file with no words, and the answer is about the file', async () => {
    // figures.csv from the test above is still attached and ready.
    expect(await message().inputValue()).toBe('');
    await expect.poll(() => send().isEnabled()).toBe(true);
    await send().click();
    await answered(1);
    expect(await answers().first().textContent()).toContain('figures.csv');
    expect(await chips().count()).toBe(0);
    // The question is its file: no empty bubble, the file's name under it.
    expect(await questions().first().textContent()).toContain('figures.csv');
    await snap(page, 'composer-04-sent-file-alone');
  });

  it('offers "Jump to latest" when the reader scrolls up during an answer, and follows again after it', async () => {
    await newChat();
    const lines = (topic: string) => Array.from({ length: 10 }, (_, index) => `${topic}, point ${index + 1}`).join('\n');
    await ask(lines('Budget'));
    await answered(1);
    await ask(lines('Schedule'));
    await answered(2);
    const jump = page.getByRole('button', { name: 'Jump to latest' });
    expect(await jump.count()).toBe(0);

    await ask(lines('Risks'));
    await expect.poll(() => page.getByRole('button', { name: 'Stop' }).count()).toBe(1);
    // Up, once the answer has begun to show: during an answer, as a reader does.
    await expect.poll(async () => (await answers().nth(2).textContent())?.length ?? 0, { timeout: 20_000 }).toBeGreaterThan(0);
    await scroller().evaluate((element) => (element.scrollTop = 0));
    await expect.poll(() => jump.count(), { timeout: 5_000 }).toBe(1);
    const box = (await jump.boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(40);
    expect(box.height).toBeGreaterThanOrEqual(40);

    // Read up there, the answer grows below without pulling the reader down.
    const latest = answers().nth(2);
    const before = (await latest.textContent())!.length;
    await expect.poll(async () => (await latest.textContent())!.length).toBeGreaterThan(before + 20);
    expect(await scroller().evaluate((element) => element.scrollTop)).toBe(0);
    await snap(page, 'composer-05-jump-to-latest');

    await jump.click();
    await expect.poll(distanceFromBottom).toBeLessThan(80);
    await expect.poll(() => jump.count()).toBe(0);
    // Following again: the end of the answer is still in view when it is done.
    await answered(3);
    expect(await distanceFromBottom()).toBeLessThan(80);
    longThread = new URL(page.url()).pathname;
  });

  it('folds a very long question behind "Show more"', async () => {
    await newChat();
    const pasted = Array.from({ length: 40 }, (_, index) => `2026-03-0${(index % 9) + 1} 10:${String(index).padStart(2, '0')} INFO job ${index + 1} finished`).join('\n');
    await ask(`Why is this log slow?\n${pasted}`);
    await answered(1);
    const question = questions().first();
    const more = question.getByRole('button', { name: 'Show more' });
    expect(await more.getAttribute('aria-expanded')).toBe('false');
    const folded = (await question.boundingBox())!.height;
    expect(folded).toBeLessThan(420);
    await snap(page, 'composer-06-long-question-folded');

    await more.click();
    const less = question.getByRole('button', { name: 'Show less' });
    expect(await less.getAttribute('aria-expanded')).toBe('true');
    expect((await question.boundingBox())!.height).toBeGreaterThan(folded + 300);
    expect(await question.getByText('job 40 finished').isVisible()).toBe(true);
    await less.click();
    expect(await question.getByRole('button', { name: 'Show more' }).getAttribute('aria-expanded')).toBe('false');
  });

  it('draws math with KaTeX, loaded only for the first answer with math, and leaves money alone', async () => {
    // Every answer so far had no math: KaTeX was never asked for.
    expect(katexRequests).toEqual([]);
    await newChat();
    await ask('Is $$E = mc^2$$ right, and what is \\(\\int_0^1 x^2\\,dx\\) or $\\sqrt{x^2+1}$? It costs $5 and $10.');
    await answered(1);
    const answer = answers().first();
    await expect.poll(() => answer.locator('.katex').count(), { timeout: 10_000 }).toBe(3);
    expect(await answer.locator('.katex-display').count()).toBe(1);
    expect(await answer.textContent()).toContain('It costs $5 and $10.');
    expect(katexRequests.some((url) => url.endsWith('.js'))).toBe(true);
    expect(katexRequests.some((url) => url.endsWith('.css'))).toBe(true);
    expect(cspViolations).toEqual([]);
    // The question stays as typed: math is drawn in answers only.
    expect(await questions().first().locator('.katex').count()).toBe(0);
    await snap(page, 'composer-07-math');
  });

  it('shows a visible focus ring on the composer', async () => {
    const box = message().locator('..');
    const shadow = () => box.evaluate((element) => element.ownerDocument.defaultView!.getComputedStyle(element).boxShadow);
    await message().blur();
    const resting = await shadow();
    await message().focus();
    // The accent colour (#ea580c), around the whole box.
    expect(await shadow()).not.toBe(resting);
    expect(await shadow()).toContain('234, 88, 12');
    await snap(page, 'composer-08-focus-ring');
  });

  it('looks right in the dark and on a phone, where the placeholder is short', async () => {
    const conversation = new URL(page.url()).pathname;
    const looks = [
      { name: 'desktop-dark', viewport: { width: 1280, height: 800 }, colorScheme: 'dark' as const, isMobile: false },
      { name: 'phone-light', viewport: { width: 390, height: 844 }, colorScheme: 'light' as const, isMobile: true },
      { name: 'phone-dark', viewport: { width: 390, height: 844 }, colorScheme: 'dark' as const, isMobile: true },
      // Wide enough for the long placeholder, but a touch screen: no Shift+Enter there either.
      { name: 'tablet-light', viewport: { width: 820, height: 1180 }, colorScheme: 'light' as const, isMobile: true },
    ];
    for (const look of looks) {
      const other = await browser.newContext({ viewport: look.viewport, colorScheme: look.colorScheme, locale: 'en-GB', isMobile: look.isMobile, hasTouch: look.isMobile });
      const on = await other.newPage();
      await signIn(on, 'Camille');
      await on.goto(`${app.url}${conversation}`);
      await expect.poll(() => answers(on).first().locator('.katex').count(), { timeout: 10_000 }).toBe(3);
      const placeholder = await message(on).getAttribute('placeholder');
      if (look.isMobile) expect(placeholder).toBe('Message Claude…');
      else expect(placeholder).toContain('Shift+Enter');
      expect(await placeholderFits(message(on))).toBe(true);

      const chooser = on.waitForEvent('filechooser');
      await on.getByRole('button', { name: 'Attach files' }).click();
      await (await chooser).setFiles([
        { name: 'holiday-photo-from-the-beach-in-brittany.png', mimeType: 'image/png', buffer: PNG },
        { name: 'figures.csv', mimeType: 'text/csv', buffer: CSV },
      ]);
      const reason = chips(on).filter({ hasText: 'holiday-photo' }).getByRole('alert');
      await expect.poll(() => reason.count(), { timeout: 10_000 }).toBe(1);
      expect(await isClipped(reason)).toBe(false);
      await expect.poll(() => chips(on).filter({ hasText: 'figures.csv' }).textContent(), { timeout: 10_000 }).toContain('rows');
      await message(on).focus();
      await snap(on, `composer-09-${look.name}`);

      // Read from the top of a long thread: the way back down is there, in this look too.
      await on.goto(`${app.url}${longThread}`);
      await expect.poll(() => answers(on).count(), { timeout: 10_000 }).toBe(3);
      await log(on).locator('..').evaluate((element) => (element.scrollTop = 0));
      await expect.poll(() => on.getByRole('button', { name: 'Jump to latest' }).count()).toBe(1);
      await snap(on, `composer-10-jump-${look.name}`);
      await other.close();
    }
  });
});
