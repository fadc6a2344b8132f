import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES, type ApiRoute } from '../../src/entrypoints/http/routes.js';
import { base64, startTestServer, type ApiResponse, type Json, type TestServer } from '../support/http-client.js';

/**
 * Every route of the API (generated from the route table, so a new route cannot be left out),
 * called by bob with every kind of id alice owns: always 404 or bob's own empty data, never a
 * byte of alice's, and alice's data unchanged afterwards.
 */
describe('isolation matrix: every route, every id of another user', () => {
  let app: TestServer;
  let alice: string;
  let bob: string;
  const secrets = ['Alice-secret-question', 'alice-plan.md', 'ALICE-FILE-CONTENT', 'Alice renamed it'];
  const ids: Record<string, string> = {};
  let before: { conversation: Json; file: Json; files: Json };

  beforeAll(async () => {
    app = await startTestServer();
    alice = await app.signIn('alice');
    bob = await app.signIn('bob');
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
      }
    });
  }

  it('left alice’s data exactly as it was', async () => {
    expect((await app.api(`/conversations/${ids.conversation}`, { token: alice })).json).toEqual(before.conversation);
    expect((await app.api(`/files/${ids.file}`, { token: alice })).json).toEqual(before.file);
    expect((await app.api('/files', { token: alice })).json).toEqual(before.files);
  });
});
