import type { Writable } from 'node:stream';
import { DomainError } from '../../domain/errors.js';
import type { ChatEvent, ChatRequest, CompletedChat } from '../../domain/chat-service.js';
import type { UserIdentity } from '../../domain/ports/token-verifier.js';
import type { AppServices } from '../container.js';
import { createApiHandler, failure, requestIdOf, type ApiRequest } from '../http/api-handler.js';
import type { ApiEvent, ApiHandler, ApiResult, LambdaContext } from '../http/api-types.js';
import { authenticate } from '../http/authenticate.js';
import { corsHeaders } from '../http/cors.js';
import { header, parseBody, wantsEventStream } from '../http/request.js';
import { HttpError } from '../http/http-error.js';
import { verifyOrigin } from '../http/origin-verify.js';
import { IDEMPOTENCY_KEY } from '../../domain/request-claim.js';
import { jsonResponse, type Headers } from '../http/responses.js';
import { chatBody, type ChatBody } from '../http/schemas.js';
import { SSE_HEADERS, chatEventFrame, sseFrame } from '../http/sse.js';
import { AnswerLimits, keepAlive } from './answer-limits.js';

/** Lambda's `awslambda.HttpResponseStream`; the local server provides the same. */
export interface ResponseStreamFactory {
  from(stream: Writable, prelude: { statusCode: number; headers?: Record<string, string> }): Writable;
}

export type StreamingHandler = (event: ApiEvent, responseStream: Writable, context?: LambdaContext) => Promise<void>;

/** Failures of the model (as opposed to a bad request): counted in the ChatErrors metric. */
const MODEL_ERROR_KINDS = new Set<DomainError['kind']>(['throttled', 'model_failed', 'model_unavailable', 'timeout']);

/** Silence after which the stream carries a keep-alive comment (see answer-limits.ts). */
export const KEEP_ALIVE_MS = 15_000;

/**
 * The body, the client's `Idempotency-Key` when it sent one (a retry then stores and bills nothing
 * twice), and the sender's name as the admins' usage table shows it.
 */
function chatRequest(event: ApiEvent, identity: UserIdentity): ChatRequest {
  const body: ChatRequest = { ...askedFor(parseBody(event, chatBody)), senderName: identity.email ?? identity.username };
  const key = header(event, 'idempotency-key');
  if (key === undefined) return body;
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new HttpError(400, 'INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1 to 128 letters, digits or _ - : . characters.');
  }
  return { ...body, idempotencyKey: key };
}

/** A new message, or a Regenerate: exactly one of the two, each with what it needs. */
function askedFor(body: ChatBody): ChatRequest {
  const { conversationId, message, fileIds, regenerate } = body;
  if (regenerate) {
    if (message !== undefined || fileIds !== undefined) {
      throw new HttpError(400, 'MESSAGE_AND_REGENERATE', 'Send either a `message` (a new question) or `regenerate` (a new answer to the last one), not both.');
    }
    if (conversationId === undefined) {
      throw new HttpError(400, 'MISSING_CONVERSATION_ID', '`regenerate` needs the `conversationId` of the answer to replace.');
    }
    return { conversationId, regenerate };
  }
  if (message === undefined) {
    throw new HttpError(400, 'MISSING_MESSAGE', 'The request needs a `message` (it may be empty when `fileIds` are given), or `regenerate` for a new answer to the last one.');
  }
  return { message, ...(conversationId !== undefined && { conversationId }), ...(fileIds !== undefined && { fileIds }) };
}

const toJson = (chat: CompletedChat) => ({
  conversationId: chat.conversationId,
  title: chat.title,
  message: chat.message,
  usage: chat.usage,
  context: chat.context,
});

/**
 * `POST /chat` as an ordinary proxy handler: the JSON answer, or the whole SSE stream in one body
 * for a client that asks for events through an API that does not stream.
 */
export function createChatHandler(services: AppServices): ApiHandler {
  return createApiHandler(services, {
    'POST /chat': async ({ event, identity }: ApiRequest) => {
      const body = chatRequest(event, identity);
      const signal = new AbortController().signal;
      if (!wantsEventStream(event)) return jsonResponse(200, toJson(await services.chat.complete(identity.userId, body, signal)));
      let frames = '';
      for await (const chatEvent of services.chat.send(identity.userId, body, signal)) frames += chatEventFrame(chatEvent);
      return { statusCode: 200, headers: { ...SSE_HEADERS }, body: frames };
    },
  });
}

/**
 * `POST /chat` streamed (API Gateway `responseTransferMode: STREAM`, `awslambda.streamifyResponse`):
 * SSE frames leave as the model writes. Problems with the request are answered with their status
 * before the stream starts; once it has started, a failure is an `error` event. When the client
 * goes away, or the Lambda is about to time out, the model is stopped and the partial answer kept.
 */
export function createChatStreamHandler(
  services: AppServices,
  responses: ResponseStreamFactory,
  { keepAliveMs = KEEP_ALIVE_MS }: { keepAliveMs?: number } = {},
): StreamingHandler {
  const { logger } = services;
  return async (event, responseStream, context) => {
    const started = performance.now();
    const requestId = requestIdOf(event, context);
    const headers: Headers = { 'X-Request-Id': requestId, ...corsHeaders(event, services.config.allowedOrigins) };
    const limits = new AnswerLimits(services.config.chat.modelIdleTimeoutMs, context?.getRemainingTimeInMillis());
    const onClose = () => limits.stop('client');
    responseStream.once('close', onClose);
    let alive: ReturnType<typeof keepAlive> | undefined;
    let status = 200;
    let outcome: string | undefined;
    const reply = (result: ApiResult) => {
      status = result.statusCode;
      const out = responses.from(responseStream, { statusCode: result.statusCode, headers: stringHeaders(result.headers) });
      out.end(result.body);
    };

    try {
      verifyOrigin(event, services.config.originVerifySecret);
      const identity = await authenticate(event, services.verifier);
      const body = chatRequest(event, identity);
      if (!wantsEventStream(event)) {
        // Without events to watch, the idle limit bounds the whole answer.
        limits.modelActive();
        const chat = await services.chat.complete(identity.userId, body, limits.signal).catch((error: unknown) => {
          if (limits.stoppedBy === 'model-idle') {
            error = new DomainError('timeout', 'MODEL_TIMEOUT', 'The model took too long to answer. What arrived is kept; try again.', { cause: error });
          }
          if (error instanceof DomainError && MODEL_ERROR_KINDS.has(error.kind)) {
            services.metrics.record({ totalMs: performance.now() - started, errorCode: error.code });
          }
          throw error;
        });
        if (!chat.replayed) services.metrics.record({ usage: chat.usage, totalMs: performance.now() - started });
        reply(jsonResponse(200, toJson(chat), { ...headers, ...(chat.replayed && { 'Idempotent-Replayed': 'true' }) }));
        return;
      }
      const events = services.chat.send(identity.userId, body, limits.signal);
      const first = await events.next(); // request problems throw here, before any byte is sent
      limits.modelActive();
      const out = responses.from(responseStream, { statusCode: 200, headers: { ...SSE_HEADERS, ...headers } });
      const modelCalled = performance.now();
      let firstTokenMs: number | undefined;
      alive = keepAlive(out, keepAliveMs);
      try {
        for (let next = first; !next.done; next = await events.next()) {
          const chatEvent = next.value;
          limits.modelActive();
          if (chatEvent.type === 'delta') firstTokenMs ??= performance.now() - modelCalled;
          // A replay bills nothing: its tokens were counted the first time.
          if ((chatEvent.type === 'done' || chatEvent.type === 'error') && !chatEvent.replayed) {
            services.metrics.record({
              ...(chatEvent.type === 'done' ? { usage: chatEvent.message.usage } : { errorCode: chatEvent.code }),
              ...(firstTokenMs !== undefined && { firstTokenMs }),
              totalMs: performance.now() - started,
            });
          }
          logModelFailure(chatEvent);
          if (chatEvent.type === 'done') outcome = chatEvent.message.stopReason;
          if (chatEvent.type === 'error') outcome = chatEvent.code;
          await write(out, chatEventFrame(chatEvent));
          alive.sent();
        }
        // The service kept the partial answer (stopped); a client still there needs an ending,
        // unless the answer had already ended (a limit reached while its title was written).
        const ending = outcome === undefined ? limits.endingError() : undefined;
        if (ending) {
          outcome = ending.code;
          services.metrics.record({ errorCode: ending.code, totalMs: performance.now() - started });
          await write(out, sseFrame('error', ending));
        }
      } catch (error) {
        logger.error('chat stream failed', { requestId, error: error as Error });
        await write(out, sseFrame('error', { code: 'INTERNAL_ERROR', message: 'The answer could not be saved. Try again.' }));
      }
      out.end();
    } catch (error) {
      reply(failure(logger, error, requestId, 'POST /chat', headers));
    } finally {
      limits.dispose();
      alive?.stop();
      // One line per request, as the other handlers log (api-handler.ts); never the body or the token.
      logger.info('request', {
        requestId,
        route: 'POST /chat',
        status,
        ms: Math.round(performance.now() - started),
        ...(outcome && { outcome }),
        ...(limits.stoppedBy && { stoppedBy: limits.stoppedBy }),
      });
      responseStream.off('close', onClose);
    }

    function logModelFailure(chatEvent: ChatEvent): void {
      if (chatEvent.type !== 'error') return;
      const expected = chatEvent.cause instanceof DomainError;
      logger[expected ? 'warn' : 'error']('model failed', { requestId, code: chatEvent.code, error: chatEvent.cause as Error });
    }
  };
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

function stringHeaders(headers: ApiResult['headers']): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([key, value]) => [key, String(value)]));
}
