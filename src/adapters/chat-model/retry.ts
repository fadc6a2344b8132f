import { setTimeout as sleep } from 'node:timers/promises';

/** How hard a model adapter tries again when the model is busy, before it has said anything. */
export interface RetryPolicy {
  /** Calls in all, the first included (1 = never retry). */
  maxAttempts: number;
  /** No back-off pause may end later than this many milliseconds after the first call started. */
  budgetMs: number;
  /** The cap of the first pause; each later cap doubles, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, budgetMs: 15_000, baseDelayMs: 500, maxDelayMs: 8_000 };

export interface RetryOptions {
  policy: RetryPolicy;
  /** Worth another call? Only transient failures are (throttling, 5xx, a reset connection). */
  isRetryable: (error: unknown) => boolean;
  signal: AbortSignal;
  /** For tests: a fixed draw instead of Math.random. */
  random?: () => number;
  /** Told before each pause: the failure, the attempt that failed (1-based) and the pause. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/**
 * "Full jitter" exponential back-off: a pause drawn uniformly between 0 and the attempt's cap, so
 * that many clients throttled at the same moment do not all come back at the same moment.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * cap);
}

/**
 * Streams the events of `open()`, calling it again after a transient failure, but only while no
 * event has been delivered: once the user has seen part of an answer a new call would repeat it,
 * so a later failure is thrown as it is. Gives up (throwing the last failure) after
 * `maxAttempts` calls, or when the next pause would end past the time budget. When `signal`
 * aborts during a pause the iteration ends without an event.
 */
export async function* retryUntilFirstEvent<T>(open: (attempt: number) => AsyncIterable<T>, options: RetryOptions): AsyncGenerator<T, void, undefined> {
  const { policy, signal } = options;
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    let delivered = false;
    try {
      for await (const event of open(attempt)) {
        delivered = true;
        yield event;
      }
      return;
    } catch (error) {
      if (delivered || signal.aborted || !options.isRetryable(error) || attempt >= policy.maxAttempts) throw error;
      const delayMs = backoffDelay(attempt, policy, options.random);
      if (Date.now() - started + delayMs > policy.budgetMs) throw error;
      options.onRetry?.(error, attempt, delayMs);
      try {
        await sleep(delayMs, undefined, { signal });
      } catch {
        return; // aborted while waiting
      }
    }
  }
}
