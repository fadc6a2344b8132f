import type { Writable } from 'node:stream';
import type { ChatEvent } from '../../domain/chat-types.js';
import { chatEventFrame, sseFrame } from '../http/sse.js';
import type { AnswerLimits } from './answer-limits.js';
import type { AnswerOutcome } from './answer-outcome.js';

/**
 * `POST /chat` with `Accept: text/event-stream`, once the response has started: each event leaves
 * as an SSE frame as the model writes it, and the stream always ends with `done` or `error`. A
 * failure now is an `error` event: the status line has gone already.
 */
export async function streamAnswer(
  out: Writable,
  events: AsyncIterator<ChatEvent, void>,
  first: IteratorResult<ChatEvent, void>,
  { limits, outcome, keepAliveMs }: { limits: AnswerLimits; outcome: AnswerOutcome; keepAliveMs: number },
): Promise<void> {
  const alive = keepAlive(out, keepAliveMs);
  try {
    for (let next = first; !next.done; next = await events.next()) {
      limits.modelActive();
      outcome.saw(next.value);
      await write(out, chatEventFrame(next.value));
      alive.sent();
    }
    // The service kept the partial answer (stopped); a client still there needs an ending.
    const ending = outcome.cutShort(limits);
    if (ending) await write(out, sseFrame('error', { code: ending.code, message: ending.message }));
  } catch (error) {
    outcome.notStored(error);
    await write(out, sseFrame('error', { code: 'INTERNAL_ERROR', message: 'The answer could not be saved. Try again.' }));
  } finally {
    alive.stop();
  }
  out.end();
}

/**
 * Sends an SSE comment when nothing else was sent for `everyMs`: CloudFront and API Gateway close
 * an origin connection that stays silent (CloudFront after 60 s by default), and a long prompt can
 * keep the model quiet before its first token. SSE clients ignore comment lines.
 */
function keepAlive(out: Writable, everyMs: number): { sent(): void; stop(): void } {
  let last = performance.now();
  const timer = setInterval(() => {
    if (performance.now() - last < everyMs) return;
    last = performance.now();
    if (!out.destroyed && !out.writableEnded) out.write(': keep-alive\n\n');
  }, everyMs / 3);
  return { sent: () => (last = performance.now()), stop: () => clearInterval(timer) };
}

/** Writes a frame, waiting when the client reads slowly; a closed stream takes nothing more. */
async function write(out: Writable, chunk: string): Promise<void> {
  if (out.destroyed || out.writableEnded) return;
  if (!out.write(chunk)) {
    await new Promise<void>((resolve) => {
      const done = () => {
        out.off('drain', done);
        out.off('close', done);
        resolve();
      };
      out.once('drain', done);
      out.once('close', done);
    });
  }
}
