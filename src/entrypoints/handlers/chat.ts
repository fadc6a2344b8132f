import type { Writable } from 'node:stream';
import type { AppServices } from '../container.js';
import { AnswerLimits } from '../chat/answer-limits.js';
import { AnswerOutcome } from '../chat/answer-outcome.js';
import { chatRequest } from '../chat/chat-request.js';
import { streamAnswer } from '../chat/event-stream.js';
import { jsonAnswer } from '../chat/json-answer.js';
import { failure, requestIdOf } from '../http/api-handler.js';
import type { ApiEvent, ApiResult, LambdaContext } from '../http/api-types.js';
import { authenticate } from '../http/authenticate.js';
import { corsHeaders } from '../http/cors.js';
import { wantsEventStream } from '../http/request.js';
import { verifyOrigin } from '../http/origin-verify.js';
import type { Headers } from '../http/responses.js';
import { SSE_HEADERS } from '../http/sse.js';

/** Lambda's `awslambda.HttpResponseStream`; the local server provides the same. */
export interface ResponseStreamFactory {
  from(stream: Writable, prelude: { statusCode: number; headers?: Record<string, string> }): Writable;
}

export type StreamingHandler = (event: ApiEvent, responseStream: Writable, context?: LambdaContext) => Promise<void>;

/** Silence after which the stream carries a keep-alive comment (see chat/event-stream.ts). */
const KEEP_ALIVE_MS = 15_000;

/**
 * `POST /chat` on a streaming Lambda (API Gateway `responseTransferMode: STREAM`,
 * `awslambda.streamifyResponse`) and in the local server: SSE frames as the model writes
 * (chat/event-stream.ts), or the whole answer in JSON for a client that did not ask for events
 * (chat/json-answer.ts). Problems with the request are answered with their status before anything
 * is sent. When the client goes away, or the Lambda is about to time out, the model is stopped
 * and the partial answer kept. Both answers report to one AnswerOutcome.
 */
export function createChatStreamHandler(
  services: Pick<AppServices, 'config' | 'logger' | 'metrics' | 'verifier' | 'chat'>,
  responses: ResponseStreamFactory,
  { keepAliveMs = KEEP_ALIVE_MS }: { keepAliveMs?: number } = {},
): StreamingHandler {
  return async (event, responseStream, context) => {
    const requestId = requestIdOf(event, context);
    const outcome = new AnswerOutcome(services, requestId);
    const headers: Headers = { 'X-Request-Id': requestId, ...corsHeaders(event, services.config.allowedOrigins) };
    const limits = new AnswerLimits(services.config.chat.modelIdleTimeoutMs, context?.getRemainingTimeInMillis());
    const onClose = () => limits.stop('client');
    responseStream.once('close', onClose);
    let status = 200;
    const reply = (result: ApiResult) => {
      status = result.statusCode;
      responses.from(responseStream, { statusCode: result.statusCode, headers: stringHeaders(result.headers) }).end(result.body);
    };

    try {
      verifyOrigin(event, services.config.originVerifySecret);
      const identity = await authenticate(event, services.verifier);
      const events = services.chat.send(identity.userId, chatRequest(event, identity), limits.signal);
      const first = await events.next(); // request problems throw here, before any byte is sent
      limits.modelActive();
      outcome.answering();
      if (wantsEventStream(event)) {
        const out = responses.from(responseStream, { statusCode: 200, headers: { ...SSE_HEADERS, ...headers } });
        await streamAnswer(out, events, first, { limits, outcome, keepAliveMs });
      } else {
        reply(await jsonAnswer(events, first, { limits, outcome, headers }));
      }
    } catch (error) {
      reply(failure(services.logger, error, requestId, 'POST /chat', headers));
    } finally {
      limits.dispose();
      outcome.log(status, limits);
      responseStream.off('close', onClose);
    }
  };
}

function stringHeaders(headers: ApiResult['headers']): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([key, value]) => [key, String(value)]));
}
