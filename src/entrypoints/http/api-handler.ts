import { randomUUID } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { TokenVerifier, UserIdentity } from '../../domain/ports/token-verifier.js';
import type { ApiEvent, ApiHandler, ApiResult, LambdaContext } from './api-types.js';
import { authenticate } from './authenticate.js';
import { corsHeaders } from './cors.js';
import { HttpError, toErrorReply } from './http-error.js';
import { verifyOrigin } from './origin-verify.js';
import { errorResponse, type Headers } from './responses.js';
import { routeKey } from './routes.js';

export interface EdgeDeps {
  verifier: TokenVerifier;
  logger: Logger;
  config: { allowedOrigins: string[]; originVerifySecret?: string };
}

export interface ApiRequest {
  event: ApiEvent;
  identity: UserIdentity;
  requestId: string;
}

export type RouteAction = (request: ApiRequest) => Promise<ApiResult>;

export function requestIdOf(event: ApiEvent, context?: LambdaContext): string {
  return event.requestContext?.requestId || context?.awsRequestId || randomUUID();
}

/**
 * Turns route actions into one proxy handler: refuses what did not come through CloudFront, finds
 * the action for the event's method and resource, authenticates the caller, and maps any error to its response in one place. Every
 * response carries the request id, and every line logged about it too.
 */
export function createApiHandler(deps: EdgeDeps, actions: Record<string, RouteAction>): ApiHandler {
  return async (event, context) => {
    const started = performance.now();
    const requestId = requestIdOf(event, context);
    const headers: Headers = { 'X-Request-Id': requestId, ...corsHeaders(event, deps.config.allowedOrigins) };
    const route = routeKey(event.httpMethod, event.resource);
    let result: ApiResult;
    try {
      verifyOrigin(event, deps.config.originVerifySecret);
      const action = actions[route];
      if (!action) throw new HttpError(404, 'ROUTE_NOT_FOUND', `There is no ${event.httpMethod} ${event.path}.`);
      const identity = await authenticate(event, deps.verifier);
      result = await action({ event, identity, requestId });
      result.headers = { ...result.headers, ...headers };
    } catch (error) {
      result = failure(deps.logger, error, requestId, route, headers);
    }
    deps.logger.info('request', { requestId, route, status: result.statusCode, ms: Math.round(performance.now() - started) });
    return result;
  };
}

export function failure(logger: Logger, error: unknown, requestId: string, route: string, headers: Headers): ApiResult {
  const reply = toErrorReply(error);
  if (!reply.expected) logger.error('request failed', { requestId, route, error: error as Error });
  return errorResponse(reply, requestId, headers);
}
