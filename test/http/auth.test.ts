import { createHmac, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { LocalTokenIssuer, stableUserId } from '../../src/adapters/token-verifier/local-token-issuer.js';
import { API_ROUTES } from '../../src/entrypoints/http/routes.js';
import { expectError, startTestServer, type TestServer } from '../support/http-client.js';

const b64url = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT signed RS256 with any key, as an attacker (or another issuer) would make it. */
function signRs256(header: object, payload: object, key: KeyObject): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

/**
 * Test-only: signs any payload with the server's own key (the issuer's private `sign`), to build
 * tokens that are correctly signed but wrong in one claim. Nothing outside a test can do this.
 */
function signWithServerKey(issuer: LocalTokenIssuer, payload: object): string {
  return (issuer as unknown as { sign(payload: object): string }).sign(payload);
}

describe('authentication', () => {
  let app: TestServer;
  let issuer: LocalTokenIssuer;
  let serverKid: string;

  /** A Cognito-shaped ID token payload that the server accepts, valid for an hour from now. */
  const idPayload = (overrides: Record<string, unknown> = {}) => {
    const now = Math.floor(Date.now() / 1000);
    return {
      sub: stableUserId('mallory'),
      iss: issuer.issuer,
      aud: issuer.clientId,
      token_use: 'id',
      iat: now,
      exp: now + 3600,
      auth_time: now,
      'cognito:username': 'mallory',
      email: 'mallory@local.invalid',
      ...overrides,
    };
  };

  const listWith = (authorization?: string) =>
    app.api('/conversations', { headers: authorization === undefined ? {} : { Authorization: authorization } });

  beforeAll(async () => {
    app = await startTestServer();
    const localIssuer = app.server.services.localIssuer;
    if (!localIssuer) throw new Error('the server has no local issuer');
    issuer = localIssuer;
    serverKid = issuer.jwks.keys[0]!.kid!;
  });
  afterAll(() => app.close());

  it('lets GET /health through without a token', async () => {
    const res = await app.api('/health');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'ok' });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const withGarbage = await app.api('/health', { token: 'garbage' });
    expect(withGarbage.status).toBe(200);
  });

  it('serves /config.json without a token, in local mode', async () => {
    const res = await app.api('/config.json');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      apiUrl: app.url,
      auth: { mode: 'local' },
      model: { id: 'offline-demo', contextWindowTokens: 200_000, pricing: { inputPerMTok: 3, outputPerMTok: 15, currency: 'USD' } },
      // What the SPA needs before it sends a file (test/http/contract.test.ts checks the list).
      files: { maxInlineBytes: 4 * 1024 * 1024, extensions: expect.objectContaining({ pdf: ['pdf'] }) },
    });
    // As CloudFront serves the stack's copy: kept by the browser only to be revalidated.
    expect(res.headers.get('cache-control')).toBe('no-cache');
  });

  it('signs in locally and accepts its own ID token', async () => {
    const res = await app.api('/local-auth/token', { method: 'POST', body: { username: 'alice' } });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ idToken: expect.any(String), accessToken: expect.any(String), expiresIn: 12 * 3600 });
    const ok = await app.api('/conversations', { token: res.json.idToken as string });
    expect(ok.status).toBe(200);
    const lowercaseScheme = await listWith(`bearer ${res.json.idToken}`);
    expect(lowercaseScheme.status).toBe(200);
  });

  it('accepts a token it signed itself with the test helper (so the refusals below are about the claim changed)', async () => {
    expect((await app.api('/conversations', { token: signWithServerKey(issuer, idPayload()) })).status).toBe(200);
  });

  it('answers every protected route without a token with 401 UNAUTHORIZED', async () => {
    for (const route of API_ROUTES.filter((r) => !r.public)) {
      const path = route.resource.replace(/\{[^}]+\}/g, 'some-id');
      const body = route.method === 'POST' || route.method === 'PATCH' || route.method === 'PUT' ? { message: 'hi' } : undefined;
      const res = await app.api(path, { method: route.method, body });
      expectError(res, 401, 'UNAUTHORIZED');
    }
    const streamed = await app.api('/chat', { method: 'POST', body: { message: 'hi' }, headers: { Accept: 'text/event-stream' } });
    expectError(streamed, 401, 'UNAUTHORIZED');
  });

  it('refuses a missing or malformed Authorization header', async () => {
    for (const authorization of [undefined, '', 'Bearer', 'Bearer ', 'Bearer garbage', 'Bearer a.b.c', 'Bearer a b', 'Basic dXNlcjpwYXNz', 'garbage']) {
      expectError(await listWith(authorization), 401, 'UNAUTHORIZED');
    }
  });

  it('refuses a token signed by another RSA key', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expectError(await listWith(`Bearer ${signRs256({ alg: 'RS256', typ: 'JWT', kid: serverKid }, idPayload(), privateKey)}`), 401, 'UNAUTHORIZED');
    expectError(await listWith(`Bearer ${signRs256({ alg: 'RS256', typ: 'JWT', kid: randomUUID() }, idPayload(), privateKey)}`), 401, 'UNAUTHORIZED');
    expectError(await listWith(`Bearer ${signRs256({ alg: 'RS256', typ: 'JWT' }, idPayload(), privateKey)}`), 401, 'UNAUTHORIZED');
  });

  it('refuses a token from another local issuer (a restarted server)', async () => {
    const other = new LocalTokenIssuer({ issuer: issuer.issuer, clientId: issuer.clientId, lifetimeSeconds: 3600 });
    expectError(await app.api('/conversations', { token: other.issue('alice').idToken }), 401, 'UNAUTHORIZED');
  });

  it('refuses an expired token', async () => {
    const aDayAgo = new Date(Date.now() - 24 * 3600 * 1000);
    expectError(await app.api('/conversations', { token: issuer.issue('alice', aDayAgo).idToken }), 401, 'UNAUTHORIZED');
  });

  it('refuses a token that is not valid yet', async () => {
    const token = signWithServerKey(issuer, idPayload({ nbf: Math.floor(Date.now() / 1000) + 3600 }));
    expectError(await app.api('/conversations', { token }), 401, 'UNAUTHORIZED');
  });

  it('refuses an unsigned token (alg: none)', async () => {
    const payload = b64url(idPayload());
    for (const header of [{ alg: 'none', typ: 'JWT' }, { alg: 'none', typ: 'JWT', kid: serverKid }, { alg: 'None', kid: serverKid }]) {
      expectError(await listWith(`Bearer ${b64url(header)}.${payload}.`), 401, 'UNAUTHORIZED');
      expectError(await listWith(`Bearer ${b64url(header)}.${payload}`), 401, 'UNAUTHORIZED');
    }
  });

  it('refuses an HS256 token keyed with the public key (algorithm confusion)', async () => {
    const jwk = issuer.jwks.keys[0]!;
    const input = `${b64url({ alg: 'HS256', typ: 'JWT', kid: serverKid })}.${b64url(idPayload())}`;
    for (const secret of [JSON.stringify(jwk), String(jwk.n)]) {
      const token = `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
      expectError(await app.api('/conversations', { token }), 401, 'UNAUTHORIZED');
    }
  });

  it('refuses a token whose payload was changed after signing', async () => {
    const [header, payload, signature] = issuer.issue('alice').idToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    for (const change of [{ sub: stableUserId('bob') }, { exp: (claims.exp as number) + 3600 }, { 'cognito:username': 'bob' }]) {
      const tampered = `${header}.${b64url({ ...claims, ...change })}.${signature}`;
      expectError(await app.api('/conversations', { token: tampered }), 401, 'UNAUTHORIZED');
    }
    const strippedSignature = `${header}.${payload}.`;
    expectError(await app.api('/conversations', { token: strippedSignature }), 401, 'UNAUTHORIZED');
  });

  it('refuses a token without a key id, and tells every refused caller the same thing', async () => {
    const valid = signWithServerKey(issuer, idPayload());
    const [, payload, signature] = valid.split('.') as [string, string, string];
    const noKid = `${b64url({ alg: 'RS256', typ: 'JWT' })}.${payload}.${signature}`;
    const refusals = [noKid, `${valid}x`, 'garbage', valid.split('.').slice(0, 2).join('.'), signWithServerKey(issuer, idPayload({ exp: 1 }))];
    const bodies = new Set<string>();
    for (const token of refusals) {
      const response = await app.api('/conversations', { token });
      expectError(response, 401, 'UNAUTHORIZED');
      bodies.add(JSON.stringify({ ...response.json.error, requestId: undefined }));
    }
    // No detail about what was wrong: the same code and message whatever the cause.
    expect(bodies.size).toBe(1);
  });

  it('refuses the access token: the API takes ID tokens only', async () => {
    const res = await app.api('/local-auth/token', { method: 'POST', body: { username: 'alice' } });
    expectError(await app.api('/conversations', { token: res.json.accessToken as string }), 401, 'UNAUTHORIZED');
  });

  it('refuses correctly signed tokens with a wrong audience, issuer, token use or subject', async () => {
    const wrong: Record<string, unknown>[] = [
      { aud: 'another-client' },
      { aud: undefined },
      { iss: 'https://evil.example.com/claude-serverless-chat' },
      { iss: undefined },
      { token_use: 'access' },
      { token_use: undefined },
      { sub: '' },
      { sub: undefined },
      { exp: Math.floor(Date.now() / 1000) - 10 },
    ];
    for (const overrides of wrong) {
      const token = signWithServerKey(issuer, idPayload(overrides));
      expectError(await app.api('/conversations', { token }), 401, 'UNAUTHORIZED');
    }
  });

  it('refuses a bad local sign-in with 400', async () => {
    const bad: unknown[] = [
      {},
      { username: '' },
      { username: '   ' },
      { username: 'bell\u0007' },
      { username: 'zero\u200bwidth' },
      { username: 'x'.repeat(65) },
      { username: 42 },
      { username: null },
      { username: 'alice', password: 'extra' },
      ['alice'],
      'alice',
    ];
    for (const body of bad) {
      const res = await app.api('/local-auth/token', { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
      expectError(res, 400);
    }
    expectError(await app.api('/local-auth/token', { method: 'POST', body: '{"username":' }), 400, 'INVALID_JSON');
    expectError(await app.api('/local-auth/token', { method: 'POST' }), 400);
  });

  it('takes any name a person goes by, spaces and accents included, as one user however it is typed', async () => {
    const res = await app.api('/local-auth/token', { method: 'POST', body: { username: '  Élodie   Martin ' } });
    expect(res.status).toBe(200);
    const claims = JSON.parse(Buffer.from((res.json.idToken as string).split('.')[1]!, 'base64url').toString()) as Record<string, string>;
    expect(claims['cognito:username']).toBe('Élodie Martin');
    expect(claims.email).toBe('elodie.martin@local.invalid');
    // Decomposed accents and other case: the same person, the same data.
    const first = await app.signIn('Élodie Martin');
    const again = await app.signIn('E\u0301lodie martin');
    const created = await app.api('/chat', { method: 'POST', token: first, body: { message: 'Bonjour' } });
    expect(created.status).toBe(200);
    const seen = await app.api('/conversations', { token: again });
    expect(seen.json.items.map((item: { conversationId: string }) => item.conversationId)).toContain(created.json.conversationId);
    expect((await app.api('/local-auth/token', { method: 'POST', body: { username: 'semi;colon' } })).status).toBe(200);
  });

  it('maps one username to one user whatever the token', async () => {
    const first = await app.signIn('frank');
    const created = await app.api('/chat', { method: 'POST', token: first, body: { message: 'remember me' } });
    expect(created.status).toBe(200);
    const second = await app.signIn('frank');
    const got = await app.api(`/conversations/${created.json.conversationId}`, { token: second });
    expect(got.status).toBe(200);
  });
});
