import { ContainerModule } from 'inversify';
import { JwtTokenVerifier } from '../../adapters/token-verifier/jwt-token-verifier.js';
import { persistentSigningKey } from '../../adapters/token-verifier/local-signing-key.js';
import { LocalTokenIssuer } from '../../adapters/token-verifier/local-token-issuer.js';
import { VerifiedTokenCache } from '../../adapters/token-verifier/verified-token-cache.js';
import type { TokenVerifier } from '../../domain/ports/token-verifier.js';
import type { AppConfig } from '../config.js';
import { TOKENS } from '../tokens.js';
import type { AdapterFamily } from './adapter-family.js';

type LocalAuthConfig = Extract<AppConfig['auth'], { mode: 'local' }>;

/**
 * Local sign-in (`AUTH_MODE=local`, the local server's default): any name gets a Cognito-shaped
 * ID token signed by this process, checked exactly as Cognito's are.
 */
export const localAuth: AdapterFamily = {
  name: 'local sign-in',
  serves: ['auth'],
  moduleFor: ({ auth, store }) =>
    // Kept with the data: a restart of `npm start` signs nobody out. STORE=memory keeps nothing.
    auth.mode === 'local' ? localAuthModule(auth, store.kind === 'memory' ? undefined : store.dataDir) : undefined,
};

function localAuthModule(auth: LocalAuthConfig, dataDir: string | undefined): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<LocalTokenIssuer>(TOKENS.LocalTokenIssuer).toResolvedValue(
      () =>
        new LocalTokenIssuer({
          issuer: auth.issuer,
          clientId: auth.clientId,
          lifetimeSeconds: auth.tokenLifetimeSeconds,
          admins: auth.admins,
          ...(dataDir !== undefined && { privateKey: persistentSigningKey(dataDir) }),
        }),
    );
    bind<TokenVerifier>(TOKENS.TokenVerifier).toResolvedValue(
      (issuer: LocalTokenIssuer) =>
        new VerifiedTokenCache(JwtTokenVerifier.forLocal({ issuer: issuer.issuer, clientId: issuer.clientId, jwks: issuer.jwks })),
      [TOKENS.LocalTokenIssuer],
    );
  });
}
