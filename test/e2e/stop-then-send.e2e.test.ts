import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from './app-process.js';
import { launchBrowser, snap } from './browser.js';

/**
 * Stop, then a new question at once. The stopped answer is shown stopped and the composer is back
 * as soon as Stop is pressed, while the old stream may still bring the words its writer sent before
 * it heard the Stop. Each answer keeps its own words: none of the new answer in the stopped one,
 * none of the stopped one's late words in the new one; and a reload shows both as they were.
 */
describe('the web app when a question follows a Stop at once', () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  const stopPosts: string[] = [];

  beforeAll(async () => {
    // A word every 60 ms: an answer takes seconds, time enough to stop it part way.
    [app, browser] = await Promise.all([startApp({ OFFLINE_MODEL_WORD_DELAY_MS: '60' }), launchBrowser()]);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB', colorScheme: 'light' });
    page = await context.newPage();
    page.on('request', (request) => {
      if (request.method() === 'POST' && isStop(new URL(request.url()))) stopPosts.push(request.url());
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const isStop = (url: URL) => /^\/chat\/streams\/[^/]+\/stop$/.test(url.pathname);
  const log = () => page.getByRole('log', { name: 'Conversation' });
  const message = () => page.getByRole('textbox', { name: 'Message' });
  const questions = () => log().getByRole('article', { name: /^You/ });
  const answers = () => log().getByRole('article', { name: /^Assistant/ });
  /** Who said each message, in the order the thread shows them. */
  const speakers = async () => (await log().getByRole('article').evaluateAll((articles) => articles.map((article) => article.getAttribute('aria-label') ?? ''))).map((label) => label.split(',')[0]);
  const textOf = async (index: number) => ((await answers().nth(index).locator('.markdown').textContent()) ?? '').trim();
  const stoppedNotes = (index: number) => answers().nth(index).getByText('Stopped: the answer above is what arrived.');

  async function ask(text: string): Promise<void> {
    await message().fill(text);
    await page.getByRole('button', { name: 'Send' }).click();
  }

  /** What the offline model answers to the first question of a new chat, to its end. */
  const wholeFirstAnswer = (question: string) =>
    `I am the offline demo model: no AI model is connected, so I can only repeat what I was given. You asked: “${question}”. ` +
    'To talk to Claude, start with MODEL_PROVIDER=bedrock (or openai for a local model): see "Models" in the README.';
  const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

  /**
   * The offline model's whole answer to `second`, word for word: a late word of the stopped answer
   * in it would break the match. The model may see the stopped question too: when its answer was
   * not stored yet as the new question was read, the two questions reach it as one turn.
   */
  function expectWholeAnswer(text: string, first: string, second: string): void {
    const shape = new RegExp(
      '^I am the offline demo model: no AI model is connected, so I can only repeat what I was given\\. ' +
        `You asked: “(?:${escaped(first)} )?${escaped(second)}”\\.` +
        '(?: I can see \\d+ earlier messages? of this conversation\\.)?' +
        ' To talk to Claude, start with MODEL_PROVIDER=bedrock \\(or openai for a local model\\): see "Models" in the README\\.$',
    );
    expect(text).toMatch(shape);
  }

  /**
   * Asks `first`, stops it part way (with `press`), asks `second` at once, and checks both answers
   * once the new one is done and after a reload; `shot` names the screenshots.
   */
  async function stopThenAsk(
    shot: string,
    first: string,
    second: string,
    press: () => Promise<void>,
    whileSecondStreams: () => Promise<void> = async () => undefined,
  ): Promise<{ beforeStop: string; stopped: string }> {
    await ask(first);
    // Part way: a few words in, the answer still streaming.
    await expect.poll(() => textOf(0), { timeout: 20_000 }).toContain('no AI model');
    const beforeStop = await textOf(0);
    await press();
    // Shown stopped at once, and the composer is back, while the old stream may still be read.
    await expect.poll(() => stoppedNotes(0).count(), { timeout: 5_000 }).toBe(1);
    await expect.poll(() => page.getByRole('button', { name: 'Send' }).count(), { timeout: 5_000 }).toBe(1);
    expect(await message().isEnabled()).toBe(true);

    await ask(second);
    await expect.poll(() => answers().count(), { timeout: 5_000 }).toBe(2);
    await expect.poll(() => page.getByRole('button', { name: 'Stop' }).count()).toBe(1);
    await whileSecondStreams();
    // The new answer streams to its end.
    await expect.poll(() => page.getByRole('button', { name: 'Send' }).count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => textOf(1), { timeout: 10_000 }).toContain('README');
    await snap(page, `stop-then-send-${shot}-answered`);

    const stopped = await textOf(0);
    const whole = await textOf(1);
    // The stopped answer: what it had when Stop was pressed (and perhaps the words its writer sent
    // before it heard), not its end, and nothing of the new question or its answer.
    expect(stopped.startsWith(beforeStop)).toBe(true);
    expect(stopped).not.toContain('README');
    expect(wholeFirstAnswer(first).startsWith(stopped)).toBe(true);
    expect(await stoppedNotes(0).count()).toBe(1);
    // The new answer: whole, its own, not stopped, with no failure anywhere.
    expectWholeAnswer(whole, first, second);
    expect(await stoppedNotes(1).count()).toBe(0);
    expect(await page.getByRole('main').getByRole('alert').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Retry' }).count()).toBe(0);
    expect(await questions().allTextContents()).toEqual([expect.stringContaining(first), expect.stringContaining(second)]);
    expect(await speakers()).toEqual(['You', 'Assistant', 'You', 'Assistant']);

    // Stored as shown: the stopped answer with its part, the new one whole, in the order asked.
    await page.reload();
    await expect.poll(() => answers().count(), { timeout: 10_000 }).toBe(2);
    await expect.poll(() => textOf(1)).toBe(whole);
    expect(await textOf(0)).toBe(stopped);
    expect(await questions().allTextContents()).toEqual([expect.stringContaining(first), expect.stringContaining(second)]);
    expect(await speakers()).toEqual(['You', 'Assistant', 'You', 'Assistant']);
    await expect.poll(() => stoppedNotes(0).count()).toBe(1);
    expect(await stoppedNotes(1).count()).toBe(0);
    return { beforeStop, stopped };
  }

  it('keeps the stopped answer and streams the new one whole after Stop and a question at once', async () => {
    await page.goto(app.url);
    await page.getByRole('textbox', { name: 'Name' }).fill('Noor');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => message().count()).toBe(1);

    const posted = stopPosts.length;
    await stopThenAsk('01', 'Tell me everything about apples', 'Now tell me about pears', () => page.getByRole('button', { name: 'Stop' }).click());
    expect(stopPosts).toHaveLength(posted + 1);
    await snap(page, 'stop-then-send-01-reloaded');
  });

  it('keeps each answer its own when the Stop is heard late, while the new answer streams', async () => {
    await page.getByRole('button', { name: 'New chat' }).click();
    await expect.poll(() => answers().count()).toBe(0);
    // The instance writing the answer hears of the Stop late (as another instance would): the old
    // stream goes on bringing words while the new answer streams, until the Stop is let through.
    let letStopThrough: () => void = () => undefined;
    const heard = new Promise<void>((resolve) => (letStopThrough = resolve));
    const holdStop = async (route: Route) => {
      await heard;
      await route.continue();
    };
    await page.route(isStop, holdStop);
    const posted = stopPosts.length;
    const { beforeStop, stopped } = await stopThenAsk(
      '02',
      'Describe the river Loire at length',
      'And the river Rhone?',
      async () => {
        await message().focus();
        await page.keyboard.press('Escape');
      },
      async () => {
        // Both streams at once: the new answer has begun while the old one still runs.
        await expect.poll(() => textOf(1), { timeout: 10_000 }).toContain('offline demo model');
        letStopThrough();
      },
    );
    await page.unroute(isStop, holdStop);
    // The words written before the Stop was heard went to the stopped answer (and the new one, above, has none).
    expect(stopped.length).toBeGreaterThan(beforeStop.length);
    expect(stopPosts).toHaveLength(posted + 1);
    await snap(page, 'stop-then-send-02-reloaded');
  });
});
