import { unauthenticated } from '../../domain/errors.js';
import type { TokenVerifier, UserIdentity } from '../../domain/ports/token-verifier.js';
import type { ApiEvent } from './api-types.js';
import { bearerToken } from './request.js';

/**
 * API Gateway's Cognito authorizer has checked the token already on AWS; the handler checks it
 * again (defence in depth, and the only check in the local server).
 */
export async function authenticate(event: ApiEvent, verifier: TokenVerifier): Promise<UserIdentity> {
  const token = bearerToken(event);
  if (!token) throw unauthenticated();
  return verifier.verify(token);
}
