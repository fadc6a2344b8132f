import { ContainerModule } from 'inversify';
import { JwtTokenVerifier } from '../../adapters/token-verifier/jwt-token-verifier.js';
import { VerifiedTokenCache } from '../../adapters/token-verifier/verified-token-cache.js';
import type { TokenVerifier } from '../../domain/ports/token-verifier.js';
import type { AppConfig } from '../config.js';
import type { WarmUp } from '../lambda/warm-up.js';
import { TOKENS } from '../tokens.js';
import type { AdapterFamily } from './adapter-family.js';

type CognitoAuthConfig = Extract<AppConfig['auth'], { mode: 'cognito' }>;

/** ID tokens of the Cognito user pool (`AUTH_MODE=cognito`), checked against its published keys. */
export const cognitoAuth: AdapterFamily = {
  name: 'Cognito sign-in',
  serves: ['auth'],
  moduleFor: ({ auth }) => (auth.mode === 'cognito' ? cognitoAuthModule(auth) : undefined),
};

/** The pool's keys, checked against: one verifier per process, which the warm-up hydrates. */
const COGNITO_JWT = Symbol('CognitoJwtVerifier');

function cognitoAuthModule(auth: CognitoAuthConfig): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<JwtTokenVerifier>(COGNITO_JWT).toResolvedValue(() =>
      JwtTokenVerifier.forCognito({
        userPoolId: auth.userPoolId,
        clientId: auth.clientId,
        ...(auth.endpoint && { jwksUri: `${auth.endpoint}/${auth.userPoolId}/.well-known/jwks.json` }),
      }),
    );
    // Each token is checked once, then remembered until it expires: a chat sends the same one.
    bind<TokenVerifier>(TOKENS.TokenVerifier).toResolvedValue((jwt: JwtTokenVerifier) => new VerifiedTokenCache(jwt), [COGNITO_JWT]);
    // The keys fetched at a cold start, not on its first request.
    bind<WarmUp>(TOKENS.WarmUp).toResolvedValue((jwt: JwtTokenVerifier) => ({ name: 'Cognito keys', run: () => jwt.warm() }), [COGNITO_JWT]);
  });
}
