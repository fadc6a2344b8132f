import type { ApiEvent } from './api-types.js';
import { header } from './request.js';
import type { Headers } from './responses.js';

/** CORS for the configured site origins only; same-origin calls need none. */
export function corsHeaders(event: ApiEvent, allowedOrigins: readonly string[]): Headers {
  const origin = header(event, 'origin');
  if (!origin || !allowedOrigins.includes(origin)) return {};
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Expose-Headers': 'X-Request-Id, Idempotent-Replayed',
    Vary: 'Origin',
  };
}
