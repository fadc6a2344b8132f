import type { Writable } from 'node:stream';
import type { ChatEvent } from '../../domain/chat-types.js';
import { sseFrame, wireEvent, type WireEvent } from '../http/sse.js';
import type { AnswerLimits } from './answer-limits.js';
import type { AnswerOutcome } from './answer-outcome.js';
import type { AnswerRecorder } from './answer-recorder.js';
import { keepAlive, write } from './sse-writer.js';

/**
 * `POST /chat` with `Accept: text/event-stream`, once the response has started: each event leaves
 * as an SSE frame with its id as the model writes it, and the stream always ends with `done` or
 * `error`. A failure now is an `error` event: the status line has gone already. `meta`, which
 * names the answer, is sent once the answer's stream is stored. Every frame is recorded too, and the recording finished before the response ends, so that a resume asked for
 * once this stream has closed replays the whole answer at once. A client that goes away stops
 * nothing: its frames are dropped, and the answer is written and recorded to the end. Nor does
 * one that stops reading but keeps its connection: after `clientStallMs` it is written nothing
 * more, as if gone (chat/sse-writer.ts).
 */
export async function streamAnswer(
  out: Writable,
  events: AsyncIterator<ChatEvent, void>,
  first: IteratorResult<ChatEvent, void>,
  {
    limits,
    outcome,
    recorder,
    keepAliveMs,
    clientStallMs,
    clientStalled,
    followStored,
  }: {
    limits: AnswerLimits;
    outcome: AnswerOutcome;
    recorder: AnswerRecorder;
    keepAliveMs: number;
    /** How long a frame waits for a client that reads nothing (CLIENT_STALL_MS). */
    clientStallMs: number;
    /** Told once, when the client is dropped for reading nothing. */
    clientStalled: () => void;
    /** Sends the answer's stored stream from its start, and ends the response (handlers/chat-streams.ts). */
    followStored: (messageId: string) => Promise<void>;
  },
): Promise<void> {
  const alive = keepAlive(out, keepAliveMs);
  let messageId: string | undefined;
  let stalled = false;
  /** False when the event was not sent: the answer's stream was stored already. */
  const send = async (wire: WireEvent): Promise<boolean> => {
    const id = recorder.record(wire);
    // `meta` names the answer: it leaves once the answer can be resumed or stopped by that name,
    // anywhere (one write, while the model works on its first token).
    if (wire.event === 'meta') {
      await recorder.opened();
      if (recorder.streamExisted) return false;
    }
    if (stalled) return true;
    if (await write(out, sseFrame(id, wire), clientStallMs)) {
      // Nothing more for this client, not even keep-alives; the answer goes on, recorded.
      stalled = true;
      alive.stop();
      clientStalled();
    }
    alive.sent();
    return true;
  };
  try {
    for (let next = first; !next.done; next = await events.next()) {
      const event = next.value;
      limits.modelActive();
      outcome.saw(event);
      if (event.type === 'meta') messageId = event.answerMessageId;
      if (!(await send(wireEvent(event)))) {
        // A retry (same Idempotency-Key) of a request whose answer was recorded: the client may
        // resume this response by the ids the stored stream has, so it is sent from there, ids and
        // all, rather than numbered again from the replay (which would number its events differently).
        alive.stop();
        await events.return?.();
        await recorder.finish();
        await followStored(messageId!);
        return;
      }
    }
    // The service kept the partial answer (stopped); the stream needs an ending.
    const ending = outcome.cutShort(limits);
    if (ending) await send({ event: 'error', data: { code: ending.code, message: ending.message, ...(messageId !== undefined && { messageId }) } });
  } catch (error) {
    outcome.notStored(error);
    await send({ event: 'error', data: { code: 'INTERNAL_ERROR', message: 'The answer could not be saved. Try again.' } });
  } finally {
    alive.stop();
  }
  await recorder.finish();
  out.end();
}
