import { describe, expect, it } from 'vitest';
import { backoffDelay, retryUntilFirstEvent, type RetryPolicy } from '../../src/adapters/chat-model/retry.js';

const policy: RetryPolicy = { maxAttempts: 5, budgetMs: 10_000, baseDelayMs: 1, maxDelayMs: 4 };
const busy = Object.assign(new Error('busy'), { retryable: true });
const refused = new Error('refused');
const isRetryable = (error: unknown) => (error as { retryable?: boolean }).retryable === true;

/** An `open` that plays one script per call: a number of events, then an optional failure. */
function scripted(calls: Array<{ events: number; error?: Error }>) {
  let call = 0;
  const open = async function* (attempt: number) {
    const script = calls[call++] ?? { events: 0 };
    for (let i = 0; i < script.events; i++) yield `${attempt}:${i}`;
    if (script.error) throw script.error;
  };
  return { open, calls: () => call };
}

async function drain(iterable: AsyncIterable<string>): Promise<{ events: string[]; error?: unknown }> {
  const events: string[] = [];
  try {
    for await (const event of iterable) events.push(event);
    return { events };
  } catch (error) {
    return { events, error };
  }
}

describe('backoffDelay (full jitter)', () => {
  const wide: RetryPolicy = { maxAttempts: 10, budgetMs: 60_000, baseDelayMs: 500, maxDelayMs: 8_000 };

  it('draws between 0 and a cap that doubles each attempt', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(attempt, wide, () => 0))).toEqual([0, 0, 0, 0]);
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(attempt, wide, () => 0.5))).toEqual([250, 500, 1000, 2000]);
  });

  it('never goes past maxDelayMs', () => {
    expect(backoffDelay(20, wide, () => 0.999)).toBeLessThan(8_000);
    expect(backoffDelay(20, wide, () => 0.5)).toBe(4_000);
  });
});

describe('retryUntilFirstEvent', () => {
  it('calls again after a retryable failure before any event, then delivers the events', async () => {
    const { open, calls } = scripted([{ events: 0, error: busy }, { events: 0, error: busy }, { events: 2 }]);
    const result = await drain(retryUntilFirstEvent(open, { policy, isRetryable, signal: new AbortController().signal }));
    expect(result).toEqual({ events: ['3:0', '3:1'] });
    expect(calls()).toBe(3);
  });

  it('never calls again once an event has been delivered', async () => {
    const { open, calls } = scripted([{ events: 1, error: busy }, { events: 2 }]);
    const result = await drain(retryUntilFirstEvent(open, { policy, isRetryable, signal: new AbortController().signal }));
    expect(result).toEqual({ events: ['1:0'], error: busy });
    expect(calls()).toBe(1);
  });

  it('throws a failure that is not retryable at once', async () => {
    const { open, calls } = scripted([{ events: 0, error: refused }, { events: 2 }]);
    const result = await drain(retryUntilFirstEvent(open, { policy, isRetryable, signal: new AbortController().signal }));
    expect(result).toEqual({ events: [], error: refused });
    expect(calls()).toBe(1);
  });

  it('throws the last failure after maxAttempts calls', async () => {
    const { open, calls } = scripted(Array.from({ length: 10 }, () => ({ events: 0, error: busy })));
    const result = await drain(retryUntilFirstEvent(open, { policy: { ...policy, maxAttempts: 3 }, isRetryable, signal: new AbortController().signal }));
    expect(result).toEqual({ events: [], error: busy });
    expect(calls()).toBe(3);
  });

  it('stops when the next pause would end past the budget', async () => {
    const { open, calls } = scripted(Array.from({ length: 10 }, () => ({ events: 0, error: busy })));
    const paused: number[] = [];
    const options = {
      policy: { maxAttempts: 10, budgetMs: 1_000, baseDelayMs: 5_000, maxDelayMs: 5_000 },
      isRetryable,
      signal: new AbortController().signal,
      random: () => 1,
      onRetry: (_error: unknown, _attempt: number, delayMs: number) => paused.push(delayMs),
    };
    const result = await drain(retryUntilFirstEvent(open, options));
    expect(result).toEqual({ events: [], error: busy });
    expect({ calls: calls(), paused }).toEqual({ calls: 1, paused: [] });
  });

  it('tells onRetry about each pause', async () => {
    const { open } = scripted([{ events: 0, error: busy }, { events: 0, error: busy }, { events: 1 }]);
    const seen: Array<[number, number]> = [];
    await drain(
      retryUntilFirstEvent(open, {
        policy,
        isRetryable,
        signal: new AbortController().signal,
        random: () => 0.5,
        onRetry: (_error, attempt, delayMs) => seen.push([attempt, delayMs]),
      }),
    );
    expect(seen).toEqual([
      [1, 0],
      [2, 1],
    ]);
  });

  it('ends without an event when the signal aborts during a pause', async () => {
    const { open, calls } = scripted(Array.from({ length: 10 }, () => ({ events: 0, error: busy })));
    const controller = new AbortController();
    const options = {
      policy: { maxAttempts: 10, budgetMs: 600_000, baseDelayMs: 300_000, maxDelayMs: 300_000 },
      isRetryable,
      signal: controller.signal,
      random: () => 1,
      onRetry: () => controller.abort(),
    };
    const result = await drain(retryUntilFirstEvent(open, options));
    expect(result).toEqual({ events: [] });
    expect(calls()).toBe(1);
  });
});
