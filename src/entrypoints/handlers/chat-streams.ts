import type { Writable } from 'node:stream';
import type { StreamStop } from '../../contract/responses.js';
import type { StreamHead, StreamedEvent } from '../../domain/ports/answer-streams.js';
import { TIMEOUT_RESERVE_MS } from '../chat/answer-limits.js';
import { followStream } from '../chat/stream-follower.js';
import type { ApiEvent, LambdaContext } from '../http/api-types.js';
import { HttpError } from '../http/http-error.js';
import { header } from '../http/request.js';
import { jsonResponse } from '../http/responses.js';
import { SSE_HEADERS } from '../http/sse.js';
import { edgeRoute, type ChatFunctionServices, type ResponseStreamFactory, type StreamingHandler } from './streaming-function.js';

/**
 * A living writer writes its stream's head about once a second, events or not
 * (chat/answer-recorder.ts): a head unwritten for this long lost its writer. Ten writes missed
 * leave room for a slow or retried write.
 */
const ABANDONED_AFTER_MS = 10_000;

const streamNotFound = () => new HttpError(404, 'STREAM_NOT_FOUND', 'There is no such answer stream: it is not yours, or it ended more than a day ago.');

/**
 * `GET /chat/streams/{messageId}`: the events of an answer after the client's last one
 * (`Last-Event-ID`, else `?after=`, else from the start), each with its original id, then the
 * answer live, read from the store, until it ends (chat/stream-follower.ts). Any instance serves
 * it: the events are in the store. Another user's answer is not found, as an unknown one.
 */
export function createResumeHandler(
  services: ChatFunctionServices,
  responses: ResponseStreamFactory,
  { keepAliveMs, pollMs, clientStallMs }: { keepAliveMs: number; pollMs: number; clientStallMs: number },
): StreamingHandler {
  return edgeRoute(services, responses, 'GET /chat/streams/{messageId}', async ({ event, identity, headers, responseStream, context }) => {
    const messageId = streamIdOf(event);
    const after = resumePoint(event);
    const first = await services.answerStreams.read(identity.userId, messageId, after);
    if (!first) throw streamNotFound();
    const out = responses.from(responseStream, { statusCode: 200, headers: { ...SSE_HEADERS, ...headers } });
    await serveStoredStream(services, { out, responseStream, context, userId: identity.userId, messageId, after, first }, { keepAliveMs, pollMs, clientStallMs });
    return undefined;
  });
}

/**
 * Sends a stored answer stream on a response that has started, from the events after `after`
 * (`first`, when read already), following it live until it ends, the client goes, or the
 * function's time runs out (chat/stream-follower.ts). A resume, and a POST /chat retried with its
 * Idempotency-Key while (or after) the first request's answer was recorded: its events keep the
 * ids they were stored under.
 */
export async function serveStoredStream(
  services: Pick<ChatFunctionServices, 'answerStreams' | 'logger'>,
  stream: {
    out: Writable;
    responseStream: Writable;
    context: LambdaContext | undefined;
    userId: string;
    messageId: string;
    after: number;
    first?: { head: StreamHead; events: StreamedEvent[] };
  },
  { keepAliveMs, pollMs, clientStallMs }: { keepAliveMs: number; pollMs: number; clientStallMs: number },
): Promise<void> {
  const { out, responseStream, context, userId, messageId, after } = stream;
  const read = (from: number) => services.answerStreams.read(userId, messageId, from);
  const gone = new AbortController();
  const onClose = () => gone.abort();
  responseStream.once('close', onClose);
  const remaining = context?.getRemainingTimeInMillis();
  try {
    const first = stream.first ?? (await read(after));
    // Expired between the open that found it and now: nothing to send.
    if (!first) return void out.end();
    await followStream(out, read, first, after, {
      pollMs,
      keepAliveMs,
      abandonedMs: ABANDONED_AFTER_MS,
      endBy: remaining === undefined ? Infinity : Date.now() + remaining - TIMEOUT_RESERVE_MS,
      gone: gone.signal,
      clientStallMs,
    });
  } catch (error) {
    // The status has gone: the response ends, and the client resumes again from its last id.
    services.logger.warn('resumed stream broke off', { messageId, error: error as Error });
    out.end();
  } finally {
    responseStream.off('close', onClose);
  }
}

/**
 * `POST /chat/streams/{messageId}/stop`: stops the answer, on whatever instance writes it: at once
 * when it is this process, else at that writer's next write to the store, which reads the request.
 * The answer keeps what it had (`aborted`) and its streams end with ANSWER_STOPPED.
 */
export function createStopHandler(services: ChatFunctionServices, responses: ResponseStreamFactory): StreamingHandler {
  return edgeRoute(services, responses, 'POST /chat/streams/{messageId}/stop', async ({ event, identity }) => {
    const messageId = streamIdOf(event);
    const stoppedHere = services.liveAnswers.stop(identity.userId, messageId);
    let status;
    try {
      status = await services.answerStreams.requestStop(identity.userId, messageId);
    } catch (error) {
      // Stopped already: the store's answer would only have said how it stood.
      if (!stoppedHere) throw error;
    }
    if (status === undefined && !stoppedHere) throw streamNotFound();
    const body: StreamStop = status === undefined || status === 'streaming' ? { status: 'stopping' } : { status };
    return jsonResponse(body.status === 'stopping' ? 202 : 200, body);
  });
}

/** The path's answer id: anything but a plausible id is not found, as an id that does not exist. */
function streamIdOf(event: ApiEvent): string {
  const id = event.pathParameters?.messageId;
  if (!id || !/^[A-Za-z0-9_-]{1,128}$/.test(id)) throw streamNotFound();
  return id;
}

/** The id of the last event the client has: `Last-Event-ID` (what EventSource sends), else `?after=`, else 0. */
function resumePoint(event: ApiEvent): number {
  const given = header(event, 'last-event-id') || event.queryStringParameters?.after;
  if (given === undefined || given === '') return 0;
  if (!/^\d{1,15}$/.test(given.trim())) {
    throw new HttpError(400, 'INVALID_LAST_EVENT_ID', 'Last-Event-ID (or ?after=) must be the id of the last event received: a whole number, 0 or more.');
  }
  return Number(given.trim());
}
