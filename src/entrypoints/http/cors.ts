import type { ApiEvent } from './api-types.js';
import { header } from './request.js';
import type { Headers } from './responses.js';

/** CORS for the configured site origins only; same-origin calls need none. */
export function corsHeaders(event: ApiEvent, allowedOrigins: readonly string[]): Headers {
  const origin = header(event, 'origin');
  if (!origin || !allowedOrigins.includes(origin)) return {};
  return {
    'Access-Control-Allow-Origin': origin,
    // Retry-After is not one of the headers a browser shows a cross-origin page by default.
    'Access-Control-Expose-Headers': 'X-Request-Id, Idempotent-Replayed, Retry-After',
    Vary: 'Origin',
  };
}
