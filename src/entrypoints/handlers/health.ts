import type { ApiHandler } from '../http/api-types.js';
import { jsonResponse } from '../http/responses.js';

/** `GET /health`: public, touches nothing, for load balancers and uptime checks. */
export function createHealthHandler(): ApiHandler {
  return async () => jsonResponse(200, { status: 'ok' });
}
