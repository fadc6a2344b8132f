import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completion, startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai.js';
import { startApp, type RunningApp } from './app-process.js';
import { blockingViolations, describeFindings } from './axe.js';
import { launchBrowser, snap } from './browser.js';
import { smallTargets, type SmallTarget } from './focus.js';

/**
 * Issue 16: axe-core finds no serious or critical violation on the sign-in, chat and admin screens,
 * light and dark, desktop and phone. The answer comes from a scripted OpenAI-compatible model so that
 * it holds what answers hold (a heading, a list, a table, a link, a quote, inline and block code with
 * highlighted tokens), each in the colours that must stay readable.
 */
const ANSWER = [
  '## Sorting in Python\n\n',
  'Use `sorted()` for a new list, or `list.sort()` in place:\n\n',
  '```python\n# numbers, smallest first\nvalues = sorted([3, 1, 2], reverse=False)\nprint(f"first: {values[0]}")\n```\n\n',
  '| Function | Returns |\n|---|---|\n| `sorted` | a new list |\n| `list.sort` | `None` |\n\n',
  '> Both are stable.\n\n',
  '- See the [sorting how-to](https://docs.python.org/3/howto/sorting.html).\n',
];

const SCREENS = [
  { name: 'desktop-light', width: 1280, height: 800, dark: false, phone: false },
  { name: 'desktop-dark', width: 1280, height: 800, dark: true, phone: false },
  { name: 'phone-light', width: 390, height: 844, dark: false, phone: true },
  { name: 'phone-dark', width: 390, height: 844, dark: true, phone: true },
] as const;

describe('accessibility of every screen (axe-core)', () => {
  let model: FakeOpenAi;
  let app: RunningApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let conversationPath = '';

  beforeAll(async () => {
    model = await startFakeOpenAi();
    // The answer, then (should the server ask the model for a title) a short title.
    model.reply(completion(ANSWER), completion(['Sorting lists in Python']));
    [app, browser] = await Promise.all([
      startApp({
        MODEL_PROVIDER: 'openai',
        OPENAI_BASE_URL: model.url,
        MODEL_ID: 'scripted-model',
        LOCAL_ADMINS: 'ada',
        USAGE_LIMIT_USD_PER_MONTH: '5',
      }),
      launchBrowser(),
    ]);
  }, 120_000);
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await app?.stop();
    await model?.close();
  });

  async function open(screen: (typeof SCREENS)[number]): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: screen.width, height: screen.height },
      locale: 'en-GB',
      colorScheme: screen.dark ? 'dark' : 'light',
      // No transition half-way between two colours when axe measures contrast.
      reducedMotion: 'reduce',
      ...(screen.phone && { isMobile: true, hasTouch: true }),
    });
    contexts.push(context);
    return context.newPage();
  }

  const answers = (page: Page) => page.getByRole('log', { name: 'Conversation' }).getByRole('article', { name: /^Assistant/ });

  async function signIn(page: Page): Promise<void> {
    await page.getByRole('textbox', { name: 'Name' }).fill('ada');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('textbox', { name: 'Message' }).waitFor({ timeout: 10_000 });
  }

  async function attach(page: Page, name: string): Promise<void> {
    // The composer's own picker (the empty screen's suggestions have another).
    await page.locator('form input[type=file]').setInputFiles({ name, mimeType: 'text/markdown', buffer: Buffer.from('# Notes\nShip on Friday.\n') });
    // Ready once read: the chip says how many characters the model will see.
    await expect.poll(() => page.getByRole('listitem').filter({ hasText: name }).textContent(), { timeout: 10_000 }).toMatch(/characters/);
  }

  async function expectNoBlockingViolation(page: Page, label: string): Promise<void> {
    const findings = await blockingViolations(page, label);
    expect.soft(findings, `${label}:\n${describeFindings(findings)}`).toEqual([]);
  }

  it('prepares a conversation with a rich answer and a file', async () => {
    const page = await open(SCREENS[0]);
    await page.goto(app.url);
    await signIn(page);
    await attach(page, 'notes.md');
    await page.getByRole('textbox', { name: 'Message' }).fill('How do I sort a list in Python?');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => answers(page).count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => page.getByRole('button', { name: 'Send' }).count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => page.url()).toMatch(/\/c\/[\w-]+$/);
    conversationPath = new URL(page.url()).pathname;
    await expect.poll(() => answers(page).getByRole('table').count()).toBe(1);
    // The conversation is named by the model after its first answer: the tab, the header and the sidebar follow.
    await expect.poll(() => page.title(), { timeout: 10_000 }).toBe('Sorting lists in Python – Claude Serverless Chat');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sorting lists in Python');
    const sidebar = page.getByRole('navigation', { name: 'Conversations' });
    expect(await sidebar.getByRole('listitem').filter({ hasText: 'Sorting lists in Python' }).count()).toBe(1);
    await snap(page, 'a11y-00-titled-by-model');
  });

  for (const screen of SCREENS) {
    it(`has no serious or critical violation: sign-in, chat and admin, ${screen.name}`, async () => {
      const page = await open(screen);
      await page.goto(app.url + conversationPath);
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      await expectNoBlockingViolation(page, `sign-in, ${screen.name}`);
      await snap(page, `a11y-${screen.name}-01-sign-in`);

      // Signed in, back at the conversation it asked for, a file waiting in the composer.
      await signIn(page);
      await expect.poll(() => answers(page).count(), { timeout: 10_000 }).toBe(1);
      await attach(page, 'draft.md');
      await expect.poll(() => page.getByTestId('spending-line').textContent(), { timeout: 10_000 }).toMatch(/^This month/);
      await expectNoBlockingViolation(page, `chat, ${screen.name}`);
      await snap(page, `a11y-${screen.name}-02-chat`);

      // The month's details, opened from the usage line.
      await page.getByRole('button', { name: /^This month/ }).click();
      await expectNoBlockingViolation(page, `usage details, ${screen.name}`);
      await snap(page, `a11y-${screen.name}-03-usage-details`);
      await page.keyboard.press('Escape');
      // And the answer's own: tokens, cost, context, in words.
      await answers(page).getByRole('button', { name: /^\d+ in · \d+ out/ }).click();
      await page.getByRole('group', { name: 'About this answer' }).waitFor();
      await expectNoBlockingViolation(page, `answer details, ${screen.name}`);
      await snap(page, `a11y-${screen.name}-03-answer-details`);
      await page.keyboard.press('Escape');

      if (!screen.phone) {
        // A conversation's "…" menu, then the dialog that asks before deleting (cancelled).
        await page.getByRole('button', { name: /^Actions for / }).first().click();
        await page.getByRole('menu').waitFor();
        await expectNoBlockingViolation(page, `conversation menu, ${screen.name}`);
        await page.getByRole('menuitem', { name: 'Delete' }).click();
        await page.getByRole('alertdialog').waitFor();
        await expectNoBlockingViolation(page, `delete dialog, ${screen.name}`);
        await snap(page, `a11y-${screen.name}-04-delete-dialog`);
        await page.keyboard.press('Escape');
      }

      if (screen.phone) {
        await page.getByRole('button', { name: 'Menu' }).click();
        await page.getByRole('navigation', { name: 'Conversations' }).waitFor();
        await expectNoBlockingViolation(page, `drawer, ${screen.name}`);
        await snap(page, `a11y-${screen.name}-04-drawer`);
        await page.keyboard.press('Escape');
      }

      await page.goto(`${app.url}/admin`);
      await expect.poll(() => page.getByRole('row').filter({ hasText: 'ada' }).count(), { timeout: 10_000 }).toBe(1);
      await expectNoBlockingViolation(page, `admin, ${screen.name}`);
      await snap(page, `a11y-${screen.name}-05-admin`);
    });
  }

  it('gives every control a 40 × 40 px touch target on a phone: sign-in, chat, drawer and admin', async () => {
    const page = await open(SCREENS[2]);
    await page.goto(app.url + conversationPath);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const onSignIn = await smallTargets(page);
    await signIn(page);
    await expect.poll(() => answers(page).count(), { timeout: 10_000 }).toBe(1);
    await attach(page, 'draft.md');
    await expect.poll(() => page.getByTestId('spending-line').textContent(), { timeout: 10_000 }).toMatch(/^This month/);
    const onChat = await smallTargets(page);
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('navigation', { name: 'Conversations' }).waitFor();
    const inDrawer = await smallTargets(page);
    await page.goto(`${app.url}/admin`);
    await expect.poll(() => page.getByRole('row').filter({ hasText: 'ada' }).count(), { timeout: 10_000 }).toBe(1);
    await page.getByRole('button', { name: /^Edit the monthly limit of ada/ }).click();
    await page.getByRole('button', { name: 'Save' }).waitFor();
    const onAdmin = await smallTargets(page);
    const list = (where: string, targets: SmallTarget[]) => targets.map((target) => `${where}: ${target.description} ${target.width}×${target.height}`);
    const small = [...list('sign-in', onSignIn), ...list('chat', onChat), ...list('drawer', inDrawer), ...list('admin', onAdmin)];
    expect(small, `under 40 × 40 px:\n${small.join('\n')}`).toEqual([]);
  });
});
