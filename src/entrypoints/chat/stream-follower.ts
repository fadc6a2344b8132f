import type { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StreamHead, StreamedEvent } from '../../domain/ports/answer-streams.js';
import { storedFrame } from '../http/sse.js';
import { keepAlive, write } from './sse-writer.js';

export type ReadStream = (after: number) => Promise<{ head: StreamHead; events: StreamedEvent[] } | undefined>;

export interface FollowOptions {
  /** How often the store is read while the answer goes on. */
  pollMs: number;
  keepAliveMs: number;
  /**
   * The longest a stream still `streaming` may keep its head unwritten before it is taken for
   * abandoned: its writer writes the head about once a second while it lives, so a head that stops
   * changing lost its writer (its instance died, or it gave up recording). The response then ends
   * with STREAM_ABANDONED, and the stored conversation holds what was kept.
   */
  abandonedMs: number;
  /** When to end the response at the latest: the function's own deadline. */
  endBy: number;
  /** Aborts when the client has gone away: nothing more is read for it. */
  gone: AbortSignal;
  /** How long a frame waits for a client that reads nothing before it is taken for gone (CLIENT_STALL_MS). */
  clientStallMs: number;
}

/**
 * A stored answer stream (a resume, or a `POST /chat` retried with its Idempotency-Key) once its
 * response has started: the events read already, then the
 * store read every `pollMs` for more, each frame with its original id, until the stream has ended
 * (its head says so: every event it names was in the same read) or the client goes. Consecutive
 * deltas of one read leave as one frame, under the id of the last. A response that ends before
 * `done` or `error` (the function's time, an abandoned stream) is resumed again by the client
 * from its last id.
 */
export async function followStream(
  out: Writable,
  read: ReadStream,
  first: { head: StreamHead; events: StreamedEvent[] },
  after: number,
  options: FollowOptions,
): Promise<void> {
  const alive = keepAlive(out, options.keepAliveMs);
  let head = first.head;
  let last = after;
  // Measured on this instance's own clock from the moment the head was seen to change: the writer's
  // clock may differ from ours, and a head written before `updatedAt` existed has none.
  let headSeen = headMark(head);
  let headChangedAt = performance.now();
  let stalled = false;
  const send = async (events: StreamedEvent[]) => {
    for (const frame of coalesced(events)) {
      if (stalled || (stalled = await write(out, frame, options.clientStallMs))) return;
    }
    if (events.length > 0) {
      last = events[events.length - 1]!.id;
      alive.sent();
    }
  };
  try {
    // The response starts now, even when there is nothing to send yet: a client (and a proxy) waits
    // for its first bytes. A comment, which SSE readers skip.
    stalled = await write(out, ': resumed\n\n', options.clientStallMs);
    await send(first.events);
    while (head.status === 'streaming') {
      // A client that stopped reading is followed no further: it resumes again by its last id.
      if (stalled || options.gone.aborted || Date.now() + options.pollMs > options.endBy) break;
      if (performance.now() - headChangedAt > options.abandonedMs) {
        // Not stored: another writer may yet come back, but this reader stops waiting for it.
        await write(out, storedFrame(head.lastId + 1, 'error', STREAM_ABANDONED));
        break;
      }
      await sleep(options.pollMs, undefined, { signal: options.gone }).catch(() => undefined);
      if (options.gone.aborted) break;
      const next = await read(last);
      if (!next) break; // expired meanwhile
      head = next.head;
      if (headMark(head) !== headSeen) {
        headSeen = headMark(head);
        headChangedAt = performance.now();
      }
      await send(next.events);
    }
  } finally {
    alive.stop();
  }
  out.end();
}

/** The `error` that ends a stream whose writer stopped writing it. */
export const STREAM_ABANDONED = {
  code: 'STREAM_ABANDONED',
  message: 'The answer stopped being written. Reload the conversation to see what was kept.',
} as const;

/** What changes whenever the writer writes the head. */
const headMark = (head: StreamHead): string => `${head.updatedAt}/${head.lastId}/${head.status}`;

/** The SSE frames of stored events, runs of deltas joined into one. */
function coalesced(events: StreamedEvent[]): string[] {
  const frames: string[] = [];
  let text: string | undefined;
  let textId = 0;
  const flushText = () => {
    if (text !== undefined) frames.push(storedFrame(textId, 'delta', { text }));
    text = undefined;
  };
  for (const event of events) {
    if (event.event === 'delta') {
      text = (text ?? '') + (event.data as { text: string }).text;
      textId = event.id;
      continue;
    }
    flushText();
    frames.push(storedFrame(event.id, event.event, event.data));
  }
  flushText();
  return frames;
}
