import { request as httpRequest } from 'node:http';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { base64, expectError, expectErrorShape, startTestServer, type ApiOptions, type TestServer } from '../support/http-client.js';

/** A small seeded generator, so that a failing case can be replayed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('input validation', () => {
  let app: TestServer;
  let token: string;
  let conversationId: string;

  const chat = (body: ApiOptions['body'], headers: Record<string, string> = {}) =>
    app.api('/chat', { method: 'POST', token, body, headers: { 'Content-Type': 'application/json', ...headers } });

  beforeAll(async () => {
    app = await startTestServer({ env: { MAX_MESSAGE_CHARS: '100', MAX_FILES_PER_MESSAGE: '3' } });
    token = await app.signIn('validation-gina');
    const res = await app.api('/chat', { method: 'POST', token, body: { message: 'A conversation to poke at' } });
    expect(res.status).toBe(200);
    conversationId = res.json.conversationId as string;
  });
  afterAll(() => app.close());

  describe('POST /chat bodies, in JSON and streamed', () => {
    for (const accept of ['application/json', 'text/event-stream']) {
      it(`answers 400 with a code (Accept: ${accept})`, async () => {
        const headers = { Accept: accept };
        expectError(await chat('{"message":', headers), 400, 'INVALID_JSON');
        expectError(await chat('{"message": "hi"} trailing', headers), 400, 'INVALID_JSON');
        expectError(await chat(undefined, headers), 400, 'MISSING_BODY');
        expectError(await chat('   ', headers), 400, 'MISSING_BODY');
        expectError(await chat({ message: 'hi', extra: 1 }, headers), 400, 'VALIDATION_FAILED');
        for (const message of [42, null, true, ['hi'], { text: 'hi' }]) {
          expectError(await chat({ message }, headers), 400, 'VALIDATION_FAILED');
        }
        expectError(await chat({}, headers), 400, 'MISSING_MESSAGE');
        expectError(await chat('null', headers), 400, 'VALIDATION_FAILED');
        expectError(await chat('["hi"]', headers), 400, 'VALIDATION_FAILED');
        expectError(await chat({ message: '' }, headers), 400, 'EMPTY_MESSAGE');
        expectError(await chat({ message: '  \n\t  ' }, headers), 400, 'EMPTY_MESSAGE');
        expectError(await chat({ message: 'x'.repeat(101) }, headers), 400, 'MESSAGE_TOO_LONG');
        expectError(await chat({ message: 'hi', conversationId: 'not/an id' }, headers), 400, 'VALIDATION_FAILED');
        expectError(await chat({ message: 'hi', conversationId: 7 }, headers), 400, 'VALIDATION_FAILED');
        expectError(await chat({ message: 'hi', fileIds: 'file-1' }, headers), 400, 'VALIDATION_FAILED');
        expectError(await chat({ message: 'hi', fileIds: ['ok', 'not ok'] }, headers), 400, 'VALIDATION_FAILED');
        expectError(await chat({ message: 'hi', fileIds: ['a', 'b', 'c', 'd'] }, headers), 400, 'TOO_MANY_FILES');
      });
    }

    it('takes a message of exactly the limit', async () => {
      const res = await chat({ message: 'x'.repeat(100) });
      expect(res.status, res.text).toBe(200);
    });

    it('stores nothing for a refused message', async () => {
      const before = await app.api('/conversations?limit=100', { token });
      expectError(await chat({ conversationId, message: 'x'.repeat(101) }), 400, 'MESSAGE_TOO_LONG');
      expectError(await chat({ conversationId, message: ' ' }), 400, 'EMPTY_MESSAGE');
      const after = await app.api('/conversations?limit=100', { token });
      expect(after.json).toEqual(before.json);
      const conversation = await app.api(`/conversations/${conversationId}`, { token });
      expect(conversation.json.messages).toHaveLength(2);
    });
  });

  it('answers 400 for a bad limit, an unknown query parameter or a bad cursor', async () => {
    for (const query of ['limit=0', 'limit=abc', 'limit=101', 'limit=-1', 'limit=1.5', 'limit=', 'limit=1e400']) {
      expectError(await app.api(`/conversations?${query}`, { token }), 400, 'VALIDATION_FAILED');
    }
    expectError(await app.api('/conversations?sort=asc', { token }), 400, 'VALIDATION_FAILED');
    expectError(await app.api('/files?limit=2', { token }), 400, 'VALIDATION_FAILED');
    const notAPosition = Buffer.from(JSON.stringify({ hello: 'world' })).toString('base64url');
    for (const cursor of ['abc', '!!!', notAPosition, Buffer.from('[1,2]').toString('base64url'), '%7B%7D']) {
      expectError(await app.api(`/conversations?cursor=${cursor}`, { token }), 400);
    }
    expectError(await app.api(`/conversations?cursor=${'a'.repeat(3000)}`, { token }), 400);
    const ok = await app.api('/conversations?limit=100', { token });
    expect(ok.status).toBe(200);
  });

  it('answers 404 for an unknown route and 405 for a wrong method', async () => {
    expectError(await app.api('/nope', { method: 'POST', token }), 404, 'ROUTE_NOT_FOUND');
    expectError(await app.api('/conversations/a/b', { token }), 404, 'ROUTE_NOT_FOUND');
    expectError(await app.api('/files/a/process/again', { method: 'POST', token }), 404, 'ROUTE_NOT_FOUND');
    expectError(await app.api('/conversations', { method: 'PUT', token, body: {} }), 405, 'METHOD_NOT_ALLOWED');
    expectError(await app.api('/conversations', { method: 'POST', token, body: { title: 'x' } }), 405, 'METHOD_NOT_ALLOWED');
    expectError(await app.api('/chat', { token }), 405, 'METHOD_NOT_ALLOWED');
    expectError(await app.api('/chat', { method: 'DELETE', token }), 405, 'METHOD_NOT_ALLOWED');
    expectError(await app.api('/health', { method: 'POST' }), 405, 'METHOD_NOT_ALLOWED');
    expectError(await app.api(`/conversations/${conversationId}`, { method: 'POST', token, body: {} }), 405, 'METHOD_NOT_ALLOWED');
    expectError(await app.api('/files/some-id', { method: 'PATCH', token, body: {} }), 405, 'METHOD_NOT_ALLOWED');
    expectError(await app.api('/files/some-id/process', { token }), 405, 'METHOD_NOT_ALLOWED');
  });

  it('answers 413 for a body over 6 MB, and keeps serving', async () => {
    const huge = JSON.stringify({ message: 'x'.repeat(6 * 1024 * 1024 + 10) });
    expectError(await chat(huge), 413, 'REQUEST_TOO_LARGE');
    expectError(await chat(huge, { Accept: 'text/event-stream' }), 413, 'REQUEST_TOO_LARGE');
    const file = JSON.stringify({ fileName: 'big.txt', contentType: 'text/plain', data: base64('y'.repeat(5 * 1024 * 1024)) });
    expectError(await app.api('/files', { method: 'POST', token, body: file, headers: { 'Content-Type': 'application/json' } }), 413, 'REQUEST_TOO_LARGE');
    expect((await app.api('/health')).status).toBe(200);
  });

  it('answers 413 for a chunked body that grows past 6 MB (no Content-Length)', async () => {
    const response = await new Promise<{ status: number; headers: Headers; text: string }>((resolve, reject) => {
      const req = httpRequest(`${app.url}/chat`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') headers.set(name, value);
          resolve({ status: res.statusCode ?? 0, headers, text: Buffer.concat(chunks).toString('utf8') });
        });
      });
      req.on('error', reject);
      const chunk = Buffer.alloc(256 * 1024, 'x');
      req.write('{"message":"');
      let sent = 0;
      const pump = () => {
        while (sent < 7 * 1024 * 1024) {
          sent += chunk.length;
          if (!req.write(chunk)) {
            req.once('drain', pump);
            return;
          }
        }
        req.end('"}');
      };
      pump();
    });
    expectError({ ...response, json: JSON.parse(response.text) }, 413, 'REQUEST_TOO_LARGE');
    expect((await app.api('/health')).status).toBe(200);
  });

  it('never answers assorted bad requests with a 5xx, and every error has a code, a message and a request id', async () => {
    const random = seeded(20260101);
    const randomBytes = (length: number) => new Uint8Array(length).map(() => Math.floor(random() * 256));
    const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
    const deepObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    const json = { 'Content-Type': 'application/json' };

    const cases: [string, string, ApiOptions][] = [];
    for (let i = 0; i < 4; i++) {
      const bytes = randomBytes(1 + Math.floor(random() * 4096));
      cases.push(['POST', '/chat', { body: bytes, headers: json }]);
      cases.push(['POST', '/files', { body: bytes, headers: json }]);
    }
    for (const path of ['/files/uploads', `/conversations/${conversationId}`, '/local-auth/token']) {
      cases.push([path.startsWith('/conversations') ? 'PATCH' : 'POST', path, { body: randomBytes(512), headers: json }]);
    }
    cases.push(
      ['POST', '/chat', { body: `{"message":${deep(50_000)}}`, headers: json }],
      ['POST', '/chat', { body: deep(50_000), headers: json }],
      ['POST', '/chat', { body: deepObject(20_000), headers: json }],
      ['POST', '/chat', { body: `{"message":"hi","fileIds":${deep(20_000)}}`, headers: json }],
      ['PATCH', `/conversations/${conversationId}`, { body: `{"title":${deepObject(20_000)}}`, headers: json }],
      ['POST', '/chat', { body: '{"message":"hi","conversationId":1e400}', headers: json }],
      ['POST', '/files/uploads', { body: '{"fileName":"a.txt","contentType":"text/plain","size":1e400}', headers: json }],
      ['POST', '/files/uploads', { body: '{"fileName":"a.txt","contentType":"text/plain","size":1e300}', headers: json }],
      ['POST', '/files/uploads', { body: '{"fileName":"a.txt","contentType":"text/plain","size":9007199254740993}', headers: json }],
      ['POST', '/files/uploads', { body: '{"fileName":"a.txt","contentType":"text/plain","size":-0}', headers: json }],
      ['GET', `/conversations?limit=${'9'.repeat(400)}`, {}],
      ['GET', '/conversations?limit=1&limit=2', {}],
      ['POST', '/chat', { body: { message: '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀 مرحبا \u202e עברית \u0000 end' } }],
      ['POST', '/chat', { body: '{"message":"lone \\ud800 surrogate \\udfff"}', headers: json }],
      ['POST', '/chat', { body: { message: 'hi', conversationId: 'é😀' } }],
      ['PATCH', `/conversations/${conversationId}`, { body: { title: '😀'.repeat(150) } }],
      ['PATCH', `/conversations/${conversationId}`, { body: { title: 'null \u0000 byte' } }],
      ['POST', '/files', { body: { fileName: 'résumé 📄.txt', contentType: 'text/plain', data: base64('Ünïcödé ✓') } }],
      ['POST', '/files', { body: { fileName: '../../etc/passwd.txt', contentType: 'text/plain', data: base64('root') } }],
      ['POST', '/files', { body: { fileName: '..', contentType: 'text/plain', data: base64('dots') } }],
      ['POST', '/files', { body: { fileName: '\u0000\u0001.txt', contentType: 'text/plain', data: base64('nul') } }],
      ['POST', '/files', { body: { fileName: 'a.txt', contentType: 'text/plain\r\nX-Injected: 1', data: base64('crlf') } }],
      ['POST', '/files', { body: { fileName: 'a.txt', contentType: 'text/plain', data: '====' } }],
      ['POST', '/files/uploads', { body: { fileName: 'a'.repeat(5000) + '.txt', contentType: 'text/plain', size: 10 } }],
      ['GET', '/conversations/%00', {}],
      ['GET', '/files/abc%00def', {}],
      ['POST', '/files/%00/process', {}],
      ['DELETE', '/conversations/%E0%A4%A', {}],
      ['GET', '/files/%', {}],
      ['GET', `/conversations/${'a'.repeat(129)}`, {}],
      ['GET', `/files/${'b'.repeat(10_000)}`, {}],
      ['POST', '/chat', { body: { message: 'hi', conversationId: 'c'.repeat(100_000) } }],
      ['POST', '/chat', { body: { message: 'hi', fileIds: Array.from({ length: 1000 }, (_, i) => `f${i}`) } }],
      ['POST', '/chat', { body: '{"__proto__":{"admin":true},"message":"hi"}', headers: json }],
      ['POST', '/chat', { body: '{"constructor":{"prototype":{"admin":true}},"message":"hi"}', headers: json }],
      ['POST', '/chat', { body: '{"message":"hi","message":42}', headers: json }],
      ['POST', '/chat', { body: '\uFEFF{"message":"bom"}', headers: json }],
      ['POST', '/chat', { body: '"just a string"', headers: json }],
      ['POST', '/chat', { body: '0', headers: json }],
      ['POST', '/chat', { body: { message: 'hi' }, headers: { 'Content-Type': 'text/plain', Accept: '*/*' } }],
      ['POST', '/chat', { body: { message: 'hi' }, headers: { Accept: 'text/event-stream;q=0, application/json' } }],
      ['GET', '/conversations?cursor=%00', {}],
      ['GET', `/conversations?cursor=${Buffer.from('["\\u0000","x"]').toString('base64url')}`, {}],
      ['GET', `/conversations?cursor=${Buffer.from(JSON.stringify(['9999', 'z'.repeat(500)])).toString('base64url')}`, {}],
    );
    expect(cases.length).toBeGreaterThanOrEqual(40);

    for (const [method, path, options] of cases) {
      const res = await app.api(path, { method, token, ...options });
      const what = `${method} ${path.slice(0, 80)} -> ${res.status} ${res.text.slice(0, 200)}`;
      expect(res.status, what).toBeLessThan(500);
      if (res.status >= 400) expectErrorShape(res);
    }
    expect((await app.api('/health')).status).toBe(200);
    expect((await app.api(`/conversations/${conversationId}`, { token })).status).toBe(200);
  });

  it('answers a request line too long for the server with a JSON error', async () => {
    // Node refuses request heads over 16 KB before any handler runs (the server's clientError path).
    const res = await app.api(`/files/${'b'.repeat(20_000)}`, { token });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expectErrorShape(res);
  });
});
