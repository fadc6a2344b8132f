import type { AnswerStreams, EndedStatus, StreamHead, StreamStatus, StreamedEvent } from '../../domain/ports/answer-streams.js';
import type { Clock } from '../../domain/ports/clock.js';
import { copyData } from '../system/copy-data.js';
import { SystemClock } from '../system/system-clock.js';

/** JSON keeps the two parts apart whatever characters they hold. */
const streamKey = (userId: string, messageId: string): string => JSON.stringify([userId, messageId]);

/** As on DynamoDB (its TTL): a day after the stream was last written. */
const KEPT_MS = 24 * 3600 * 1000;
/** Forgotten streams are looked for at most this often, so that opening one is not a walk over all of them. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * Map-backed answer streams for tests and `STORE=memory`: one process serves every request, so
 * every reader and the writer share these maps. A stream is forgotten a day after its last write,
 * as DynamoDB's TTL forgets it, so that a long-running `npm start` does not keep every answer twice.
 */
export class MemoryAnswerStreams implements AnswerStreams {
  private readonly streams = new Map<string, { head: StreamHead; events: StreamedEvent[] }>();
  private lastSweep = -Infinity;

  constructor(private readonly clock: Clock = new SystemClock()) {}

  async open(userId: string, messageId: string): Promise<boolean> {
    this.forgetExpired();
    const key = streamKey(userId, messageId);
    if (this.streams.has(key)) return false;
    this.streams.set(key, { head: { status: 'streaming', lastId: 0, stopRequested: false, updatedAt: this.clock.now().getTime() }, events: [] });
    return true;
  }

  async append(userId: string, messageId: string, events: readonly StreamedEvent[], ending?: EndedStatus): Promise<{ stopRequested: boolean }> {
    const stream = this.streams.get(streamKey(userId, messageId));
    if (!stream) throw new Error(`no answer stream ${messageId} to append to`);
    for (const event of events) {
      // Stored already: a retry of a write that was in fact done.
      if (event.id <= stream.head.lastId) continue;
      if (event.id !== stream.head.lastId + 1) throw new Error(`answer stream ${messageId}: event ${event.id} does not follow ${stream.head.lastId}`);
      stream.events.push(copyData(event));
      stream.head.lastId = event.id;
    }
    if (ending) stream.head.status = ending;
    stream.head.updatedAt = this.clock.now().getTime();
    return { stopRequested: stream.head.stopRequested };
  }

  async read(userId: string, messageId: string, after: number): Promise<{ head: StreamHead; events: StreamedEvent[] } | undefined> {
    const stream = this.streams.get(streamKey(userId, messageId));
    if (!stream) return undefined;
    return { head: { ...stream.head }, events: stream.events.filter((event) => event.id > after).map(copyData) };
  }

  /**
   * Streams not written for a day go. The map keeps them in the order they were opened, and an
   * answer is written for minutes at most, so the walk stops at the first one still kept: one
   * written later than its elders keeps them at most as long as itself.
   */
  private forgetExpired(): void {
    const now = this.clock.now().getTime();
    if (now - this.lastSweep < SWEEP_INTERVAL_MS) return;
    this.lastSweep = now;
    for (const [key, stream] of this.streams) {
      if (stream.head.updatedAt >= now - KEPT_MS) break;
      this.streams.delete(key);
    }
  }

  async requestStop(userId: string, messageId: string): Promise<StreamStatus | undefined> {
    const stream = this.streams.get(streamKey(userId, messageId));
    if (!stream) return undefined;
    if (stream.head.status === 'streaming') stream.head.stopRequested = true;
    return stream.head.status;
  }
}
