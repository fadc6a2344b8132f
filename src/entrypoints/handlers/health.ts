import { requestIdOf } from '../http/api-handler.js';
import type { ApiHandler } from '../http/api-types.js';
import { toErrorReply } from '../http/http-error.js';
import { verifyOrigin } from '../http/origin-verify.js';
import { errorResponse, jsonResponse } from '../http/responses.js';

/**
 * `GET /health`: public, touches nothing, for load balancers and uptime checks. It reads no
 * configuration but the origin secret, so that it starts as fast as a handler can.
 */
export function createHealthHandler(originVerifySecret?: string): ApiHandler {
  return async (event, context) => {
    try {
      verifyOrigin(event, originVerifySecret);
    } catch (error) {
      const requestId = requestIdOf(event, context);
      return errorResponse(toErrorReply(error), requestId, { 'X-Request-Id': requestId });
    }
    return jsonResponse(200, { status: 'ok' });
  };
}
