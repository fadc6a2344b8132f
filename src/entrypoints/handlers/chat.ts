import { AnswerLimits } from '../chat/answer-limits.js';
import { AnswerOutcome } from '../chat/answer-outcome.js';
import { AnswerRecorder } from '../chat/answer-recorder.js';
import { chatRequest } from '../chat/chat-request.js';
import { streamAnswer } from '../chat/event-stream.js';
import { jsonAnswer } from '../chat/json-answer.js';
import { CLIENT_STALL_MS } from '../chat/sse-writer.js';
import { failure, requestIdOf } from '../http/api-handler.js';
import type { ApiResult } from '../http/api-types.js';
import { authenticate } from '../http/authenticate.js';
import { corsHeaders } from '../http/cors.js';
import { HttpError } from '../http/http-error.js';
import { wantsEventStream } from '../http/request.js';
import { verifyOrigin } from '../http/origin-verify.js';
import type { Headers } from '../http/responses.js';
import { routeKey } from '../http/routes.js';
import { SSE_HEADERS } from '../http/sse.js';
import { createResumeHandler, createStopHandler, serveStoredStream } from './chat-streams.js';
import { replyWith, type ChatFunctionServices, type ResponseStreamFactory, type StreamingHandler } from './streaming-function.js';

export type { ChatFunctionServices, ResponseStreamFactory, StreamingHandler } from './streaming-function.js';

export interface ChatHandlerOptions {
  /** Silence after which a stream carries a keep-alive comment (see chat/sse-writer.ts). */
  keepAliveMs?: number;
  /** How often a resumed stream reads the store for more (see chat/stream-follower.ts). */
  pollMs?: number;
  /** How long a stream waits for a client that reads nothing before it drops it (see chat/sse-writer.ts). */
  clientStallMs?: number;
}

const KEEP_ALIVE_MS = 15_000;
const POLL_MS = 300;

/**
 * The chat function, on a streaming Lambda (API Gateway `responseTransferMode: STREAM`,
 * `awslambda.streamifyResponse`) and in the local server: `POST /chat`, and the routes of an
 * answer's stream, `GET /chat/streams/{messageId}` (a resume) and its `/stop`.
 */
export function createChatStreamHandler(services: ChatFunctionServices, responses: ResponseStreamFactory, options: ChatHandlerOptions = {}): StreamingHandler {
  const timing = { keepAliveMs: options.keepAliveMs ?? KEEP_ALIVE_MS, pollMs: options.pollMs ?? POLL_MS, clientStallMs: options.clientStallMs ?? CLIENT_STALL_MS };
  const routes: Record<string, StreamingHandler> = {
    [routeKey('POST', '/chat')]: createAnswerHandler(services, responses, timing),
    [routeKey('GET', '/chat/streams/{messageId}')]: createResumeHandler(services, responses, timing),
    [routeKey('POST', '/chat/streams/{messageId}/stop')]: createStopHandler(services, responses),
  };
  return async (event, responseStream, context) => {
    const handler = routes[routeKey(event.httpMethod, event.resource)];
    if (handler) return handler(event, responseStream, context);
    const requestId = requestIdOf(event, context);
    const notFound = new HttpError(404, 'ROUTE_NOT_FOUND', `There is no ${event.httpMethod} ${event.path}.`);
    replyWith(responses, responseStream, failure(services.logger, notFound, requestId, routeKey(event.httpMethod, event.resource), { 'X-Request-Id': requestId }));
  };
}

/**
 * `POST /chat`: SSE frames as the model writes (chat/event-stream.ts), or the whole answer in JSON
 * for a client that did not ask for events (chat/json-answer.ts). Problems with the request are
 * answered with their status before anything is sent. Either way the answer's events are recorded
 * (chat/answer-recorder.ts); a client that goes away no longer stops it: a Stop does, and so do
 * the Lambda's deadline and a model silent too long, and the partial answer is kept. Both answers
 * report to one AnswerOutcome.
 */
function createAnswerHandler(services: ChatFunctionServices, responses: ResponseStreamFactory, timing: { keepAliveMs: number; pollMs: number; clientStallMs: number }): StreamingHandler {
  return async (event, responseStream, context) => {
    const requestId = requestIdOf(event, context);
    const outcome = new AnswerOutcome(services, requestId);
    const headers: Headers = { 'X-Request-Id': requestId, ...corsHeaders(event, services.config.allowedOrigins) };
    const limits = new AnswerLimits(services.config.chat.modelIdleTimeoutMs, context?.getRemainingTimeInMillis());
    let recorder: AnswerRecorder | undefined;
    let status = 200;
    const reply = (result: ApiResult) => {
      status = result.statusCode;
      replyWith(responses, responseStream, result);
    };

    try {
      verifyOrigin(event, services.config.originVerifySecret);
      const identity = await authenticate(event, services.verifier);
      const deps = { streams: services.answerStreams, live: services.liveAnswers, logger: services.logger };
      recorder = new AnswerRecorder(deps, identity.userId, () => limits.stop('stopped'), requestId, limits.finishBy);
      const events = services.chat.send(identity.userId, chatRequest(event, identity), limits.signal);
      const first = await events.next(); // request problems throw here, before any byte is sent
      limits.modelActive();
      outcome.answering();
      if (wantsEventStream(event)) {
        const out = responses.from(responseStream, { statusCode: 200, headers: { ...SSE_HEADERS, ...headers } });
        const followStored = (messageId: string) =>
          serveStoredStream(services, { out, responseStream, context, userId: identity.userId, messageId, after: 0 }, timing);
        const clientStalled = () => services.logger.warn('client stopped reading: answering on without it', { requestId, stalledMs: timing.clientStallMs });
        await streamAnswer(out, events, first, { limits, outcome, recorder, keepAliveMs: timing.keepAliveMs, clientStallMs: timing.clientStallMs, clientStalled, followStored });
      } else {
        reply(await jsonAnswer(events, first, { limits, outcome, recorder, headers }));
      }
    } catch (error) {
      reply(failure(services.logger, error, requestId, 'POST /chat', headers));
    } finally {
      // Before the function returns: Lambda may freeze it as soon as it has.
      await recorder?.finish();
      limits.dispose();
      outcome.log(status, limits);
    }
  };
}
