import { CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache, type Jwks } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { unauthenticated } from '../../domain/errors.js';
import type { TokenVerifier, UserIdentity } from '../../domain/ports/token-verifier.js';

interface Verify {
  verify(token: string): Promise<JwtPayload>;
  /** Fetches the keys now rather than on the first token. */
  hydrate(): Promise<void>;
}

/**
 * ID tokens checked by aws-jwt-verify: signature, issuer, audience (the app client), expiry and
 * `token_use: "id"`. Every failure, whatever its cause, is the same 401 to the caller.
 */
export class JwtTokenVerifier implements TokenVerifier {
  private constructor(private readonly verifier: Verify) {}

  /**
   * Production: the user pool's JWKS is fetched once per cold start and cached. `jwksUri` names
   * a stand-in's keys (moto_server): aws-jwt-verify fetches https only, so they are fetched here
   * once and handed over, and every other check (issuer, audience, token use) stays Cognito's.
   */
  static forCognito(options: { userPoolId: string; clientId: string; jwksUri?: string }): JwtTokenVerifier {
    const verifier = CognitoJwtVerifier.create({ userPoolId: options.userPoolId, clientId: options.clientId, tokenUse: 'id' });
    const { jwksUri } = options;
    if (!jwksUri) return new JwtTokenVerifier(verifier);
    let keys: Promise<void> | undefined;
    const loadKeys = async () => {
      const response = await fetch(jwksUri);
      if (!response.ok) throw new Error(`the JWKS at ${jwksUri} answered ${response.status}`);
      verifier.cacheJwks((await response.json()) as Jwks);
    };
    const ensureKeys = () =>
      (keys ??= loadKeys().catch((error: unknown) => {
        keys = undefined; // try again on the next request
        throw error;
      }));
    return new JwtTokenVerifier({
      verify: async (token) => {
        await ensureKeys();
        return verifier.verify(token);
      },
      hydrate: ensureKeys,
    });
  }

  /** Local mode: the keys are given, and nothing is ever fetched over the network. */
  static forLocal(options: { issuer: string; clientId: string; jwks: Jwks }): JwtTokenVerifier {
    const jwksCache = new SimpleJwksCache({
      fetcher: { fetch: () => Promise.reject(new Error('local mode never fetches a JWKS')) },
    });
    const verifier = JwtVerifier.create(
      {
        issuer: options.issuer,
        audience: options.clientId,
        jwksUri: `${options.issuer}/.well-known/jwks.json`,
        customJwtCheck: ({ payload }) => {
          if (payload.token_use !== 'id') throw new Error('not an ID token');
        },
      },
      { jwksCache },
    );
    verifier.cacheJwks(options.jwks);
    return new JwtTokenVerifier({ verify: (token) => verifier.verify(token), hydrate: () => Promise.resolve() });
  }

  /**
   * Fetches the pool's keys now: called in a Lambda's init phase (lambda/warm-up.ts), so that the
   * first request of a cold function does not wait for them. A failure is the caller's to report;
   * the first token then fetches them again.
   */
  warm(): Promise<void> {
    return this.verifier.hydrate();
  }

  async verify(token: string): Promise<UserIdentity> {
    let payload: JwtPayload;
    try {
      payload = await this.verifier.verify(token);
    } catch {
      throw unauthenticated();
    }
    const username = payload['cognito:username'];
    const email = payload.email;
    // aws-jwt-verify checks `exp` only when present: a token that never expires is refused here.
    if (typeof payload.sub !== 'string' || payload.sub === '' || typeof payload.exp !== 'number') throw unauthenticated();
    const identity: UserIdentity = {
      userId: payload.sub,
      username: typeof username === 'string' ? username : payload.sub,
      groups: groupsOf(payload['cognito:groups']),
    };
    if (typeof email === 'string') identity.email = email;
    return identity;
  }
}

/** Cognito puts the user's groups in an array of names, and leaves the claim out when there are none. */
function groupsOf(claim: unknown): string[] {
  if (!Array.isArray(claim)) return [];
  return claim.filter((group): group is string => typeof group === 'string');
}
