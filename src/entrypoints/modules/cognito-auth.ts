import { ContainerModule } from 'inversify';
import { JwtTokenVerifier } from '../../adapters/token-verifier/jwt-token-verifier.js';
import { VerifiedTokenCache } from '../../adapters/token-verifier/verified-token-cache.js';
import type { TokenVerifier } from '../../domain/ports/token-verifier.js';
import type { AppConfig } from '../config.js';
import { TOKENS } from '../tokens.js';
import type { AdapterFamily } from './adapter-family.js';

type CognitoAuthConfig = Extract<AppConfig['auth'], { mode: 'cognito' }>;

/** ID tokens of the Cognito user pool (`AUTH_MODE=cognito`), checked against its published keys. */
export const cognitoAuth: AdapterFamily = {
  name: 'Cognito sign-in',
  serves: ['auth'],
  moduleFor: ({ auth }) => (auth.mode === 'cognito' ? cognitoAuthModule(auth) : undefined),
};

function cognitoAuthModule(auth: CognitoAuthConfig): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<TokenVerifier>(TOKENS.TokenVerifier).toResolvedValue(
      () =>
        // Each token is checked once, then remembered until it expires: a chat sends the same one.
        new VerifiedTokenCache(
          JwtTokenVerifier.forCognito({
            userPoolId: auth.userPoolId,
            clientId: auth.clientId,
            ...(auth.endpoint && { jwksUri: `${auth.endpoint}/${auth.userPoolId}/.well-known/jwks.json` }),
          }),
        ),
    );
  });
}
