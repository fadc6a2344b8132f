import { describe, expect, it } from 'vitest';
import { JwtTokenVerifier } from '../../src/adapters/token-verifier/jwt-token-verifier.js';
import { LocalTokenIssuer } from '../../src/adapters/token-verifier/local-token-issuer.js';

const options = { issuer: 'https://local-auth.localhost/test', clientId: 'test-client', lifetimeSeconds: 600 };

/** Test-only: signs any payload with the issuer's key (its private `sign`), to try claim shapes Cognito could send. */
const signWith = (issuer: LocalTokenIssuer, payload: object): string => (issuer as unknown as { sign(payload: object): string }).sign(payload);

describe('groups in ID tokens (who is an admin)', () => {
  const issuer = new LocalTokenIssuer({ ...options, admins: ['Admin', 'boss@example.com'] });
  const verifier = JwtTokenVerifier.forLocal({ issuer: issuer.issuer, clientId: issuer.clientId, jwks: issuer.jwks });

  it('puts cognito:groups ["admins"] in the ID tokens of LOCAL_ADMINS only, whatever the case of the name', async () => {
    expect((await verifier.verify(issuer.issue('admin').idToken)).groups).toEqual(['admins']);
    expect((await verifier.verify(issuer.issue('BOSS@example.com').idToken)).groups).toEqual(['admins']);
    const user = await verifier.verify(issuer.issue('alice').idToken);
    expect(user).toEqual({ userId: expect.any(String), username: 'alice', email: 'alice@local.invalid', groups: [] });
    const payload = JSON.parse(Buffer.from(issuer.issue('alice').idToken.split('.')[1]!, 'base64url').toString('utf8')) as object;
    expect(payload).not.toHaveProperty('cognito:groups'); // as Cognito leaves it out for a user in no group
  });

  it('makes no one an admin when no admins are configured', async () => {
    const plain = new LocalTokenIssuer(options);
    const plainVerifier = JwtTokenVerifier.forLocal({ issuer: plain.issuer, clientId: plain.clientId, jwks: plain.jwks });
    expect((await plainVerifier.verify(plain.issue('admin').idToken)).groups).toEqual([]);
  });

  it('reads every group name of the claim, and nothing from a claim of another shape', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = (groups: unknown) =>
      signWith(issuer, { sub: 'user-1', iss: issuer.issuer, aud: issuer.clientId, token_use: 'id', iat: now, exp: now + 600, 'cognito:groups': groups });
    expect((await verifier.verify(token(['admins', 'editors']))).groups).toEqual(['admins', 'editors']);
    expect((await verifier.verify(token(['admins', 7, null]))).groups).toEqual(['admins']);
    expect((await verifier.verify(token('admins'))).groups).toEqual([]);
    expect((await verifier.verify(token({ 0: 'admins' }))).groups).toEqual([]);
  });
});
