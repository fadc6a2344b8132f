import { ApiError, StreamNotFoundError } from '../api/client';
import type { StreamEvent } from '../api/sse';

/**
 * The waits before each try to pick a broken stream up again; the last one repeats. The first try
 * goes at once: a connection cut by something on the way (a proxy's time limit) is back at once;
 * the longer waits are for a network that is down.
 */
export const RESUME_DELAYS_MS: readonly number[] = [0, 500, 1000, 2000, 4000, 5000];
/**
 * This long without a new event (however long each try stayed open: keep-alives are not news),
 * the answer is shown as failed (Retry).
 */
export const RESUME_GIVE_UP_MS = 60_000;
/**
 * After Stop, how long the stream is still read: the server writing the answer may be another
 * instance, which hears of the Stop a moment later and stores what it wrote until then. Read to
 * its `ANSWER_STOPPED`, the thread shows what is stored.
 */
export const STOP_DRAIN_MS = 5_000;
/**
 * Hidden this long (a phone asleep, a tab in the background), a connection may be dead without
 * saying so: shown again, the page reads the stream anew rather than wait on it.
 */
export const HIDDEN_LONG_MS = 5_000;

/** Why following ended early: Stop, the conversation left, or no `meta` in time. */
export type Halt = 'stop' | 'leave' | 'timeout';

export type FollowOutcome =
  | { kind: 'ended' }
  | { kind: 'halted'; halt: Halt }
  /** The stream broke and could not be picked up again (before `meta`, refused, or for too long). */
  | { kind: 'lost'; error: unknown };

/** Opens a stream of events with the given signal: `POST /chat` first, then resumes. */
type Open = (signal: AbortSignal) => AsyncIterable<StreamEvent>;

export interface FollowerHooks {
  /** An event not seen before, in order. */
  apply(event: StreamEvent): void;
  /** The stream broke and is being picked up again (true), or is flowing again (false). */
  reconnecting(yes: boolean): void;
  /** Stop was asked for the answer `answerId`: the server is told, whichever instance writes it. */
  requestStop(answerId: string): void;
  /**
   * Stop was asked once the answer was named: it is shown stopped at once, while what the server
   * wrote before it heard of the Stop still comes (through `apply`) for a few seconds.
   */
  stopping(): void;
}

/**
 * One answer's stream, read to its end across broken connections. A connection lost after `meta`
 * (which names the answer) is not the answer lost: the server goes on writing it, so the stream is
 * asked again for the events after the last one read (every event has an id), after a short wait
 * that grows, at once when the network comes back or the page is shown again. Events already seen
 * are skipped. Only Stop stops the answer itself; leaving the conversation stops reading it.
 */
export class AnswerFollower {
  /** The answer's id, from `meta`: the name to resume and to stop the stream by. */
  answerId?: string;
  /** The last event id applied: a resume asks for what comes after it; an id not above it is a repeat. */
  lastId = 0;
  /** `done` or `error` arrived: what follows (a title) is welcome, but nothing is missing any more. */
  ended = false;
  halted?: Halt;
  /** Stop was asked after `meta`: the stream is read a little longer, to its end (see STOP_DRAIN_MS). */
  private draining = false;
  private drainTimer?: ReturnType<typeof setTimeout>;
  /**
   * When the last new event arrived, or the stream broke after one: the give-up counts from it.
   * A connection silent for long before it broke (a phone asleep) still gets its tries.
   */
  private lastNewsAt = Date.now();
  private current?: AbortController;
  /** Whether the current connection brought anything new: a break after that is a new break. */
  private heard = false;
  /** The network came back or the page was shown: the next try goes at once. */
  private woken = false;
  private endPause?: () => void;
  private onHalt?: () => void;

  constructor(private readonly hooks: FollowerHooks) {}

  /** Reads `open`'s stream, and the answer's resumed stream after any break, until the answer ends. */
  async follow(open: Open, resume: (answerId: string, afterId: number, signal: AbortSignal) => AsyncIterable<StreamEvent>): Promise<FollowOutcome> {
    // Stop or leave returns at once, even while a connection is still waiting for its first byte.
    const halting = new Promise<undefined>((resolve) => (this.onHalt = () => resolve(undefined)));
    const unlisten = this.listenForWake();
    let broken = await Promise.race([this.read(open), halting]);
    let tries = 0;
    /** What broke the stream first in this series of tries: what the user is told if it stays broken. */
    let cause: unknown;
    const unwatch = this.cutWhenSilent();
    try {
      for (;;) {
        if (this.halted) return { kind: 'halted', halt: this.halted };
        if (this.ended) return { kind: 'ended' };
        const error = broken ?? new ApiError(0, 'NETWORK_ERROR', 'The connection was lost. Try again.');
        if (this.heard || cause === undefined) [tries, cause, this.lastNewsAt] = [0, error, Date.now()];
        const lost = this.lostBy(error, cause);
        // Stopped: what could not be read is no failure; the server stores what it wrote.
        if (lost) return this.draining ? { kind: 'halted', halt: 'stop' } : lost;
        if (!this.draining) this.hooks.reconnecting(true);
        await this.pause(RESUME_DELAYS_MS[Math.min(tries++, RESUME_DELAYS_MS.length - 1)]!);
        // Ended early by the give-up time: no new try, the loop's top says the stream is lost.
        if (this.halted || Date.now() - this.lastNewsAt >= RESUME_GIVE_UP_MS) continue;
        const answerId = this.answerId!;
        broken = await Promise.race([this.read((signal) => resume(answerId, this.lastId, signal)), halting]);
      }
    } finally {
      unwatch();
      clearTimeout(this.drainTimer);
      unlisten();
      this.hooks.reconnecting(false);
    }
  }

  /** Whether a break is the end of following (and with what to tell), or worth another try. */
  private lostBy(error: unknown, cause: unknown): FollowOutcome | undefined {
    // Before `meta` nothing names the answer to resume.
    if (this.answerId === undefined) return { kind: 'lost', error };
    // The stream is unknown (a server that keeps none, or kept it no longer): the break is what went wrong.
    if (error instanceof StreamNotFoundError) return { kind: 'lost', error: cause };
    // Refused (the session ended, say): asking again will not change it.
    if (error instanceof ApiError && !error.retryable) return { kind: 'lost', error };
    // Nothing new for too long, however the time went (waits, or tries that stayed open saying nothing).
    if (Date.now() - this.lastNewsAt >= RESUME_GIVE_UP_MS) return { kind: 'lost', error: cause };
    return undefined;
  }

  /**
   * Once the stream has broken, a try that stays open without bringing anything new (a server
   * that sends only keep-alives for an answer nobody writes any more) is cut when the give-up time
   * comes, as a failed try would end. A try that brought news is the live stream again: its
   * silences are the model's, which the server itself limits.
   */
  private cutWhenSilent(): () => void {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = () => {
      const left = this.lastNewsAt + RESUME_GIVE_UP_MS - Date.now();
      if (left <= 0 && !this.heard) {
        this.endPause?.();
        this.current?.abort();
      }
      timer = setTimeout(check, Math.max(left, 1000));
    };
    timer = setTimeout(check, RESUME_GIVE_UP_MS);
    return () => clearTimeout(timer);
  }

  /**
   * Stop: the server is told to stop the answer, and the answer is shown stopped. Reading goes on
   * a few seconds, until the stream says it stopped, for what the server wrote before it heard.
   * Before `meta` the answer has no name to stop it by: reading ends, the request goes on unseen
   * until `meta` names it, then it is stopped.
   */
  stop(): void {
    if (this.halted || this.draining) return;
    if (this.answerId === undefined || this.ended) {
      this.halt('stop');
      return;
    }
    // Named: the server is told, the answer shown stopped, and the stream read until it says it stopped.
    this.draining = true;
    this.hooks.requestStop(this.answerId);
    this.hooks.reconnecting(false);
    this.hooks.stopping();
    this.drainTimer = setTimeout(() => this.halt('stop'), STOP_DRAIN_MS);
  }

  /** Ends the following at once; only 'stop' stops the answer itself. */
  halt(reason: Halt): void {
    if (this.halted) return;
    this.halted = reason;
    this.endPause?.();
    this.onHalt?.();
    if (reason === 'stop' && this.answerId === undefined) return;
    if (reason === 'stop' && !this.ended && !this.draining) this.hooks.requestStop(this.answerId!);
    this.current?.abort();
  }

  /** One connection's events, the new ones applied; what broke it, or undefined when it ended. */
  private async read(open: Open): Promise<unknown> {
    const controller = new AbortController();
    this.current = controller;
    this.heard = false;
    try {
      for await (const event of open(controller.signal)) {
        if (this.halted) {
          if (event.type !== 'meta') continue;
          if (this.halted === 'stop') this.hooks.requestStop(event.answerMessageId);
          return undefined;
        }
        if (event.eventId !== undefined) {
          if (event.eventId <= this.lastId) continue;
          this.lastId = event.eventId;
          this.lastNewsAt = Date.now();
        }
        if (!this.heard) {
          this.heard = true;
          if (!this.draining) this.hooks.reconnecting(false);
        }
        if (event.type === 'meta') this.answerId = event.answerMessageId;
        if (event.type === 'done' || event.type === 'error') this.ended = true;
        this.hooks.apply(event);
      }
      return undefined;
    } catch (error) {
      return error ?? new Error('The stream broke.');
    } finally {
      // Halted while this connection was waiting for `meta`: it has served its last purpose.
      if (this.halted) controller.abort();
      if (this.current === controller) this.current = undefined;
    }
  }

  /** Waits `ms`, or less: woken (network back, page shown) or halted. */
  private pause(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.endPause = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.endPause = done;
    });
  }

  /**
   * The network back, or the page shown again: a wait ends at once. A connection still open after
   * a long time hidden (a phone that slept) may be dead without knowing it: it is cut and read anew.
   */
  private listenForWake(): () => void {
    if (typeof window === 'undefined') return () => undefined;
    let hiddenAt = document.visibilityState === 'hidden' ? Date.now() : undefined;
    const wake = (cutOpenConnection: boolean) => {
      if (this.endPause) this.endPause();
      else if (cutOpenConnection && this.current && this.answerId !== undefined && !this.ended && !this.halted) {
        // Before `meta` there is nothing to resume: the connection is left to the `meta` wait.
        this.woken = true;
        this.current.abort();
      }
    };
    const onOnline = () => wake(true);
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') {
        hiddenAt = Date.now();
        return;
      }
      const long = hiddenAt !== undefined && Date.now() - hiddenAt >= HIDDEN_LONG_MS;
      hiddenAt = undefined;
      wake(long);
    };
    window.addEventListener('online', onOnline);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.removeEventListener('online', onOnline);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }
}
