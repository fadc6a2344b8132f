import type { Logger } from '@aws-lambda-powertools/logger';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AnswerStreams, EndedStatus, StreamedEvent } from '../../domain/ports/answer-streams.js';
import type { WireEvent } from '../http/sse.js';
import { ANSWER_STOPPED } from './answer-limits.js';
import type { LiveAnswers } from './live-answers.js';
import { STREAM_ABANDONED } from './stream-follower.js';

/**
 * Events are written in batches, at most this long after the first of them was sent... Each write
 * is two or three write units: at one a second, a long answer costs tens of them, not hundreds,
 * and a resume (a rare event) lags by a second at most.
 */
const FLUSH_MS = 1000;
/**
 * ...or as soon as this many wait: a reader following from the store is never far behind. One
 * batch is one chunk item, which holds at most as many (MAX_EVENTS_PER_CHUNK in the DynamoDB adapter).
 */
const FLUSH_EVENTS = 32;
/**
 * While no event comes (a model thinking before its first token), the stream's head is still read
 * this often: a Stop made on another instance is learned from it.
 */
const STOP_CHECK_MS = 1000;
/** Writes that fail in a row before the recording is given up; the live answer goes on regardless. */
const MAX_FAILED_WRITES = 3;
/**
 * The write that ends the stream is tried this many times, the pause doubling from ENDING_RETRY_MS:
 * lost, it would leave the stream `streaming` for a day, its last events missing.
 */
const ENDING_ATTEMPTS = 4;
const ENDING_RETRY_MS = 200;

export interface RecorderDeps {
  streams: AnswerStreams;
  live: LiveAnswers;
  logger: Logger;
}

/**
 * One answer's events as its client is sent them: numbered (the SSE `id`, 1 for `meta`), and
 * recorded in AnswerStreams in batches, so that a client that lost the connection resumes from
 * any instance (GET /chat/streams/{id}). The stream's head is created when `meta` is sent, and its
 * status written when the answer ends. While the answer is written it can be stopped: at once
 * through LiveAnswers when the Stop reaches this process, or at the next write, which reads the
 * head's `stopRequested`, when it reaches another one.
 *
 * Recording never holds the live answer back, and never breaks it: its writes run beside the
 * stream, and a write that keeps failing is logged and recording stops there (a resume then sees
 * the events written before it; the stored conversation has the whole answer).
 */
export class AnswerRecorder {
  private lastId = 0;
  private messageId: string | undefined;
  private state: 'before-meta' | 'recording' | 'off' = 'before-meta';
  private pending: StreamedEvent[] = [];
  /** The open and every write, in order: each waits for the one before. */
  private writing: Promise<void> = Promise.resolve();
  private queued = false;
  private timer: NodeJS.Timeout | undefined;
  private stopCheck: NodeJS.Timeout | undefined;
  private lastWrite = performance.now();
  private failures = 0;
  private ending: EndedStatus | undefined;
  private leave: (() => void) | undefined;
  private finished: Promise<void> | undefined;
  private opening: Promise<void> = Promise.resolve();
  /** The id of the last event stored. */
  private storedId = 0;
  /** The stream was there already: a retry replaying an answer recorded the first time. */
  private existed = false;

  constructor(
    private readonly deps: RecorderDeps,
    private readonly userId: string,
    /** Stops the answer: a Stop was asked for. */
    private readonly stop: () => void,
    private readonly requestId: string,
    /** When (epoch ms) the last write must be done at the latest (AnswerLimits.finishBy). */
    private readonly finishBy = Infinity,
  ) {}

  /** Numbers the event (its SSE id) and records it. */
  record(wire: WireEvent): number {
    const id = ++this.lastId;
    if (wire.event === 'meta' && this.state === 'before-meta') this.begin(wire.data.answerMessageId);
    if (wire.event === 'done') this.ending = 'done';
    if (wire.event === 'error') this.ending = wire.data.code === ANSWER_STOPPED ? 'stopped' : 'error';
    if (this.state !== 'recording') return id;
    this.pending.push({ id, event: wire.event, data: wire.data });
    if (this.pending.length >= FLUSH_EVENTS) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
    return id;
  }

  /**
   * Resolves once the stream's head is stored (or its recording given up): a client told the
   * answer's id may resume or stop it from then on, on any instance.
   */
  opened(): Promise<void> {
    return this.opening;
  }

  /**
   * Once opened: the answer's stream was stored already, by the request this one retries (same
   * Idempotency-Key). Its events are then served from there, under their stored ids, not numbered again.
   */
  get streamExisted(): boolean {
    return this.existed;
  }

  /**
   * Writes what is left and the stream's status (how the answer ended), then forgets the answer.
   * Resolves when that is stored, or given up; never rejects.
   */
  finish(): Promise<void> {
    this.finished ??= this.end();
    return this.finished;
  }

  private async end(): Promise<void> {
    clearTimeout(this.timer);
    clearInterval(this.stopCheck);
    const ending = this.ending ?? 'error';
    this.writing = this.writing.then(() => this.writeEnding(ending));
    await this.writing;
    this.leave?.();
  }

  private begin(messageId: string): void {
    this.messageId = messageId;
    this.state = 'recording';
    this.leave = this.deps.live.add(this.userId, messageId, this.stop);
    this.opening = this.writing = this.deps.streams.open(this.userId, messageId).then(
      (opened) => {
        // A retry replaying an answer recorded the first time: that recording stays as it was.
        if (!opened) {
          this.existed = true;
          this.off();
        }
      },
      (error: unknown) => {
        this.deps.logger.error('answer stream not recorded', { requestId: this.requestId, messageId, error: error as Error });
        this.off();
      },
    );
    this.stopCheck = setInterval(() => {
      if (performance.now() - this.lastWrite >= STOP_CHECK_MS) this.flush();
    }, STOP_CHECK_MS);
  }

  private off(): void {
    this.state = 'off';
    this.pending = [];
    clearTimeout(this.timer);
    clearInterval(this.stopCheck);
  }

  /** Queues a write of whatever waits when it runs (none is queued twice). */
  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queued || this.finished) return;
    this.queued = true;
    this.writing = this.writing.then(() => {
      this.queued = false;
      return this.write();
    });
  }

  /** One append: the events waiting (none: a check for a Stop). */
  private async write(): Promise<void> {
    if (this.state !== 'recording') return;
    const error = await this.append();
    if (error === undefined) return;
    if (++this.failures < MAX_FAILED_WRITES) {
      this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
      return;
    }
    await this.giveUp(error);
  }

  /** The last append, with the stream's status: retried after a short pause, as long as the function's time allows. */
  private async writeEnding(ending: EndedStatus): Promise<void> {
    let pause = ENDING_RETRY_MS;
    for (let attempt = 1; this.state === 'recording'; attempt++) {
      const error = await this.append(ending);
      if (error === undefined) return;
      if (attempt >= ENDING_ATTEMPTS || Date.now() + pause >= this.finishBy) return this.giveUp(error);
      await sleep(pause);
      pause *= 2;
    }
  }

  /** Appends what waits; the error when it failed, the events then kept, in order, for the next try (stored once). */
  private async append(ending?: EndedStatus): Promise<unknown> {
    const batch = this.pending;
    this.pending = [];
    this.lastWrite = performance.now();
    try {
      const { stopRequested } = await this.deps.streams.append(this.userId, this.messageId!, batch, ending);
      this.failures = 0;
      if (batch.length > 0) this.storedId = batch[batch.length - 1]!.id;
      if (stopRequested && !ending) this.stop();
      return undefined;
    } catch (error) {
      this.pending = [...batch, ...this.pending];
      return error ?? new Error('answer stream write failed');
    }
  }

  /**
   * Recording stops here. The stream is ended with STREAM_ABANDONED if the store takes one more
   * write (best effort), so that a resumed reader is told at once instead of waiting for the head
   * to go stale.
   */
  private async giveUp(error: unknown): Promise<void> {
    this.deps.logger.error('answer stream not recorded', { requestId: this.requestId, messageId: this.messageId, error: error as Error });
    this.off();
    const abandoned: StreamedEvent = { id: this.storedId + 1, event: 'error', data: { ...STREAM_ABANDONED, messageId: this.messageId } };
    await this.deps.streams.append(this.userId, this.messageId!, [abandoned], 'error').catch(() => undefined);
  }
}
