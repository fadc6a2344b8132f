import { ApiError, type StopStatus } from '../api/client';

/**
 * The waits between tries to tell the server of a Stop it did not hear; the last one repeats.
 * Stop is pressed most often when the network is down (the answer shows "reconnecting"): a Stop
 * lost then would let the answer run on to its end, and be billed whole.
 */
export const STOP_RETRY_DELAYS_MS: readonly number[] = [1000, 2000, 4000, 8000, 15_000];
/** No answer is written longer than a function may run (15 minutes): after that there is nothing to stop. */
export const STOP_RETRY_FOR_MS = 15 * 60_000;

export interface StopRequest {
  /** Asks the server to stop the answer (`POST /chat/streams/{id}/stop`). */
  send(): Promise<StopStatus>;
  /** The answer is known to have ended (its `done` or `error` arrived): nothing is left to stop. */
  ended(): boolean;
}

/**
 * Tells the server to stop an answer, again and again until it answers: stopping (202), ended
 * already (200) or unknown (404). A try that does not reach it (network down, server busy) is
 * made again after a wait that grows, and at once when the network comes back.
 */
export async function stopUntilHeard(request: StopRequest): Promise<void> {
  const startedAt = Date.now();
  for (let tries = 0; ; tries++) {
    if (request.ended()) return;
    try {
      await request.send();
      return;
    } catch (error) {
      // Refused (404: nothing to stop; 401: signed out): asking again will not change it.
      if (!(error instanceof ApiError) || !error.retryable) return;
    }
    if (Date.now() - startedAt >= STOP_RETRY_FOR_MS) return;
    await pauseOrOnline(STOP_RETRY_DELAYS_MS[Math.min(tries, STOP_RETRY_DELAYS_MS.length - 1)]!);
  }
}

/** Waits `ms`, or less when the browser says the network is back. */
function pauseOrOnline(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      if (typeof window !== 'undefined') window.removeEventListener('online', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    if (typeof window !== 'undefined') window.addEventListener('online', done);
  });
}
