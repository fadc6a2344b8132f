import type { Writable } from 'node:stream';
import type { AppServices } from '../container.js';
import type { UserIdentity } from '../../domain/ports/token-verifier.js';
import { failure, requestIdOf } from '../http/api-handler.js';
import type { ApiEvent, ApiResult, LambdaContext } from '../http/api-types.js';
import { authenticate } from '../http/authenticate.js';
import { corsHeaders } from '../http/cors.js';
import { verifyOrigin } from '../http/origin-verify.js';
import type { Headers } from '../http/responses.js';

/** Lambda's `awslambda.HttpResponseStream`; the local server provides the same. */
export interface ResponseStreamFactory {
  from(stream: Writable, prelude: { statusCode: number; headers?: Record<string, string> }): Writable;
}

/** A route of a streaming function: it writes its response to the stream Lambda gives it. */
export type StreamingHandler = (event: ApiEvent, responseStream: Writable, context?: LambdaContext) => Promise<void>;

/** What the chat function's routes use. */
export type ChatFunctionServices = Pick<AppServices, 'config' | 'logger' | 'metrics' | 'verifier' | 'chat' | 'answerStreams' | 'liveAnswers'>;

/** Sends a whole response (a JSON answer or an error) on a streaming function's response stream. */
export function replyWith(responses: ResponseStreamFactory, responseStream: Writable, result: ApiResult): void {
  const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([key, value]) => [key, String(value)]));
  responses.from(responseStream, { statusCode: result.statusCode, headers }).end(result.body);
}

export interface RouteRequest {
  event: ApiEvent;
  identity: UserIdentity;
  headers: Headers;
  responseStream: Writable;
  context: LambdaContext | undefined;
}

/**
 * What every route of the streaming function does around its action, as createApiHandler does for
 * the others: refuses what did not come through CloudFront, authenticates, answers errors with their
 * status and logs one line. The action returns its response, or undefined when it streamed one.
 */
export function edgeRoute(
  services: Pick<ChatFunctionServices, 'config' | 'logger' | 'verifier'>,
  responses: ResponseStreamFactory,
  route: string,
  action: (request: RouteRequest) => Promise<ApiResult | undefined>,
): StreamingHandler {
  return async (event, responseStream, context) => {
    const started = performance.now();
    const requestId = requestIdOf(event, context);
    const headers: Headers = { 'X-Request-Id': requestId, ...corsHeaders(event, services.config.allowedOrigins) };
    let status = 200;
    try {
      verifyOrigin(event, services.config.originVerifySecret);
      const identity = await authenticate(event, services.verifier);
      const result = await action({ event, identity, headers, responseStream, context });
      if (result) {
        status = result.statusCode;
        replyWith(responses, responseStream, { ...result, headers: { ...result.headers, ...headers } });
      }
    } catch (error) {
      const result = failure(services.logger, error, requestId, route, headers);
      status = result.statusCode;
      replyWith(responses, responseStream, result);
    }
    services.logger.info('request', { requestId, route, status, ms: Math.round(performance.now() - started) });
  };
}
