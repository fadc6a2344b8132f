import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES, type ApiRoute } from '../../src/entrypoints/http/routes.js';
import { base64, startTestServer, type ApiResponse, type Json, type TestServer } from '../support/http-client.js';

/** The user id (`sub`) in a local ID token. */
const userIdOf = (token: string): string => (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { sub: string }).sub;

/**
 * Every route of the API (generated from the route table, so a new route cannot be left out),
 * called by bob with every kind of id alice owns: always 404 or bob's own empty data, never a
 * byte of alice's, and alice's data unchanged afterwards. The admins' routes, which do read
 * across users, refuse bob (403) whatever he sends them.
 */
describe('isolation matrix: every route, every id of another user', () => {
  let app: TestServer;
  let alice: string;
  let bob: string;
  const secrets = ['Alice-secret-question', 'alice-plan.md', 'ALICE-FILE-CONTENT', 'Alice renamed it'];
  const ids: Record<string, string> = {};
  let before: { conversation: Json; file: Json; files: Json; usage: Json };

  beforeAll(async () => {
    app = await startTestServer({ env: { LOCAL_ADMINS: 'admin' } });
    alice = await app.signIn('alice');
    bob = await app.signIn('bob');
    ids.user = userIdOf(alice);
    const file = await app.api('/files', {
      method: 'POST',
      token: alice,
      body: { fileName: 'alice-plan.md', contentType: 'text/markdown', data: base64('# ALICE-FILE-CONTENT') },
    });
    ids.file = file.json.fileId as string;
    const waiting = await app.api('/files/uploads', { method: 'POST', token: alice, body: { fileName: 'waiting.txt', contentType: 'text/plain', size: 4 } });
    ids.uploadNotSent = waiting.json.fileId as string;
    const sent = await app.api('/files/uploads', { method: 'POST', token: alice, body: { fileName: 'sent.txt', contentType: 'text/plain', size: 4 } });
    ids.uploadSentNotProcessed = sent.json.fileId as string;
    expect((await fetch(sent.json.uploadUrl as string, { method: 'PUT', headers: sent.json.headers as Record<string, string>, body: 'abcd' })).status).toBe(200);
    const chat = await app.api('/chat', { method: 'POST', token: alice, body: { message: 'Alice-secret-question', fileIds: [ids.file] } });
    ids.conversation = chat.json.conversationId as string;
    ids.message = chat.json.message.id as string;
    expect((await app.api(`/conversations/${ids.conversation}`, { method: 'PATCH', token: alice, body: { title: 'Alice renamed it' } })).status).toBe(200);
    before = {
      conversation: (await app.api(`/conversations/${ids.conversation}`, { token: alice })).json,
      file: (await app.api(`/files/${ids.file}`, { token: alice })).json,
      files: (await app.api('/files', { token: alice })).json,
      usage: (await app.api('/usage', { token: alice })).json,
    };
  });
  afterAll(() => app.close());

  const leaksNothing = (response: ApiResponse, label: string) => {
    for (const secret of secrets) expect(response.text, `${label} leaked "${secret}"`).not.toContain(secret);
    for (const id of Object.values(ids)) expect(response.text, `${label} echoed alice's id`).not.toContain(id);
  };

  /** What bob sends to a route, for one of alice's ids (or none, for routes without an id). */
  function requestsFor(route: ApiRoute): Array<{ label: string; path: string; body?: unknown; expect: number[] }> {
    const withId = route.resource.includes('{id}');
    if (withId) {
      return Object.entries(ids).map(([kind, id]) => ({
        label: `${route.method} ${route.resource} with alice's ${kind} id`,
        path: route.resource.replace('{id}', id),
        ...(route.method === 'PATCH' && { body: { title: 'Bob was here' } }),
        expect: [404],
      }));
    }
    switch (`${route.method} ${route.resource}`) {
      case 'POST /chat':
        return [
          ...Object.entries(ids).map(([kind, id]) => ({ label: `chat in alice's ${kind} id`, path: '/chat', body: { message: 'hi', conversationId: id }, expect: [404] })),
          ...Object.entries(ids).map(([kind, id]) => ({ label: `chat with alice's ${kind} id as a file`, path: '/chat', body: { message: 'hi', fileIds: [id] }, expect: [404] })),
        ];
      case 'GET /conversations':
      case 'GET /files':
        return [{ label: `${route.method} ${route.resource}`, path: route.resource, expect: [200] }];
      case 'POST /files':
        return [{ label: 'an upload of his own', path: '/files', body: { fileName: 'bob.txt', contentType: 'text/plain', data: base64('bob') }, expect: [201] }];
      case 'POST /files/uploads':
        return [{ label: 'an upload slot of his own', path: '/files/uploads', body: { fileName: 'bob.txt', contentType: 'text/plain', size: 3 }, expect: [201] }];
      case 'GET /usage':
        return [{ label: 'his own usage', path: '/usage', expect: [200] }];
      case 'GET /admin/usage':
        return [
          { label: 'everyone’s usage', path: '/admin/usage', expect: [403] },
          { label: 'everyone’s usage, a page after alice', path: `/admin/usage?limit=1&cursor=${Buffer.from(JSON.stringify(ids.user)).toString('base64url')}`, expect: [403] },
        ];
      // Alice's answer (ids.message) has a recorded stream: bob's resume or Stop of it finds none.
      case 'GET /chat/streams/{messageId}':
      case 'POST /chat/streams/{messageId}/stop':
        return Object.entries(ids).map(([kind, id]) => ({
          label: `${route.method} ${route.resource} with alice's ${kind} id`,
          path: route.resource.replace('{messageId}', id),
          expect: [404],
        }));
      case 'PUT /admin/users/{userId}/limit':
        return Object.entries(ids).map(([kind, id]) => ({
          label: `a limit on alice's ${kind} id`,
          path: `/admin/users/${id}/limit`,
          body: { limitUsd: 1000 },
          expect: [403],
        }));
      default:
        throw new Error(`${route.method} ${route.resource} is not in the isolation matrix: add how bob calls it`);
    }
  }

  for (const route of API_ROUTES.filter((candidate) => !candidate.public)) {
    it(`${route.method} ${route.resource}`, async () => {
      for (const request of requestsFor(route)) {
        const response = await app.api(request.path, { method: route.method, token: bob, ...(request.body !== undefined && { body: request.body }) });
        expect(request.expect, `${request.label}: ${response.status} ${response.text}`).toContain(response.status);
        leaksNothing(response, request.label);
        if (response.status === 200 && route.method === 'GET') expect(response.json.items ?? [], request.label).toEqual([]);
        if (response.status === 200 && request.path === '/usage') expect(response.json, request.label).toMatchObject({ costUsd: 0, inputTokens: 0, outputTokens: 0 });
      }
    });
  }

  it('shows an admin what alice spent, and nothing she wrote', async () => {
    const admin = await app.signIn('admin');
    const report = await app.api('/admin/usage', { token: admin });
    expect(report.status, report.text).toBe(200);
    expect(report.json.items).toEqual([expect.objectContaining({ userId: ids.user, displayName: 'alice@local.invalid' })]);
    for (const secret of secrets) expect(report.text, `the admins' table leaked "${secret}"`).not.toContain(secret);
  });

  it('left alice’s data exactly as it was', async () => {
    expect((await app.api(`/conversations/${ids.conversation}`, { token: alice })).json).toEqual(before.conversation);
    expect((await app.api(`/files/${ids.file}`, { token: alice })).json).toEqual(before.file);
    expect((await app.api('/files', { token: alice })).json).toEqual(before.files);
    expect((await app.api('/usage', { token: alice })).json).toEqual(before.usage);
  });
});
