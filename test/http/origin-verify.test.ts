import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORIGIN_VERIFY_HEADER } from '../../src/entrypoints/http/origin-verify.js';
import { API_ROUTES } from '../../src/entrypoints/http/routes.js';
import { expectError, startTestServer, type TestServer } from '../support/http-client.js';

const SECRET = 'origin-secret-of-the-stack-0123456789';
const THROUGH_CLOUDFRONT = { [ORIGIN_VERIFY_HEADER]: SECRET };

/**
 * On AWS the stack sets ORIGIN_VERIFY_SECRET and CloudFront sends it with every API request: a
 * caller of the execute-api address directly (past CloudFront's headers and WAF) is refused,
 * before sign-in is even looked at, and nothing it sent is stored.
 */
describe('requests that did not come through CloudFront', () => {
  let app: TestServer;
  let token: string;

  beforeAll(async () => {
    app = await startTestServer({ env: { ORIGIN_VERIFY_SECRET: SECRET } });
    token = await app.signIn('olivia');
  });
  afterAll(() => app.close());

  it.each(API_ROUTES.map((route) => [route.method, route.resource.replace(/\{[^}]+\}/g, 'f00')]))(
    'refuses %s %s without the header, with 403 DIRECT_ACCESS_FORBIDDEN',
    async (method, path) => {
      const response = await app.api(path, { method, token, ...(method !== 'GET' && method !== 'DELETE' && { body: {} }) });
      expectError(response, 403, 'DIRECT_ACCESS_FORBIDDEN');
      expect(response.json.error.message).toMatch(/only through the site/);
    },
  );

  it('refuses a wrong secret, and stores nothing from a refused message', async () => {
    const refused = await app.chatStream(token, { message: 'sent around CloudFront' }, { headers: { [ORIGIN_VERIFY_HEADER]: `${SECRET}x` } });
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('DIRECT_ACCESS_FORBIDDEN');
    const list = await app.api('/conversations', { token, headers: THROUGH_CLOUDFRONT });
    expect(list.status).toBe(200);
    expect(list.json.items).toEqual([]);
  });

  it('serves every kind of request that carries it: health, JSON routes and the streamed chat', async () => {
    expect((await app.api('/health', { headers: THROUGH_CLOUDFRONT })).status).toBe(200);
    const chat = await app.chatStream(token, { message: 'hello through CloudFront' }, { headers: THROUGH_CLOUDFRONT });
    expect(chat.status).toBe(200);
    expect(chat.events.at(-1)?.event).toBe('done');
    const list = await app.api('/conversations', { token, headers: THROUGH_CLOUDFRONT });
    expect(list.json.items).toHaveLength(1);
  });
});
