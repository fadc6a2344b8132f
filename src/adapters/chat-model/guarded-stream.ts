import type { ModelEvent } from '../../domain/ports/chat-model.js';
import { retryUntilFirstEvent, type RetryPolicy } from './retry.js';

export interface GuardedStreamOptions {
  retry: RetryPolicy;
  isRetryable: (error: unknown) => boolean;
  /** The adapter's own words for a failure; `answered` says whether some text had been given. */
  toError: (error: unknown, answered: boolean) => Error;
  random?: () => number;
}

/**
 * A model call as every adapter needs it: retried until its first event, stopped when the caller
 * aborts or stops reading (one controller closes the connection for both), and a failure turned
 * into the adapter's error; an abort the caller asked for ends quietly.
 */
export async function* guardedStream(
  signal: AbortSignal,
  attempt: (callSignal: AbortSignal) => AsyncIterable<ModelEvent>,
  options: GuardedStreamOptions,
): AsyncGenerator<ModelEvent, void, undefined> {
  if (signal.aborted) return;
  const call = new AbortController();
  const forward = () => call.abort(signal.reason);
  signal.addEventListener('abort', forward, { once: true });
  let answered = false;
  let finished = false;
  const events = retryUntilFirstEvent(() => attempt(call.signal), {
    policy: options.retry,
    isRetryable: options.isRetryable,
    signal: call.signal,
    ...(options.random && { random: options.random }),
  });
  try {
    for await (const event of events) {
      if (event.type === 'text') answered = true;
      else finished = true;
      yield event;
    }
  } catch (error) {
    // Aborting closes the connection under the client, which then throws: the caller asked for that.
    if (signal.aborted) return;
    throw options.toError(error, answered);
  } finally {
    signal.removeEventListener('abort', forward);
    if (!finished) call.abort();
  }
}
