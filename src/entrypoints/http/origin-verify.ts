import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiEvent } from './api-types.js';
import { HttpError } from './http-error.js';
import { header } from './request.js';

/**
 * The header CloudFront adds to every request it forwards to the API (infra/components/frontend.ts).
 * CloudFront replaces a viewer's header of the same name, so only CloudFront can send the secret.
 */
export const ORIGIN_VERIFY_HEADER = 'X-Origin-Verify';

/**
 * Refuses a request that did not come through CloudFront: on AWS the API's execute-api address is
 * public, and a caller there would skip the site's security headers, its WAF and its rate limits.
 * No secret configured (the local server) means nothing to check.
 */
export function verifyOrigin(event: ApiEvent, secret: string | undefined): void {
  if (secret === undefined) return;
  const sent = header(event, ORIGIN_VERIFY_HEADER);
  if (sent !== undefined && sameSecret(sent, secret)) return;
  throw new HttpError(403, 'DIRECT_ACCESS_FORBIDDEN', "This API answers only through the site's own address.");
}

/** Compared in constant time (hashes first, as timingSafeEqual needs equal lengths). */
function sameSecret(sent: string, secret: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(sent), digest(secret));
}
