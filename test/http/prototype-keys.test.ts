import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base64, expectError, startTestServer, type TestServer } from '../support/http-client.js';

/** Names of `Object.prototype` members: as keys of a plain object they find something inherited. */
const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

describe('header, query and file names that are Object.prototype members', () => {
  let app: TestServer;
  let token: string;
  beforeAll(async () => {
    app = await startTestServer();
    token = await app.signIn('prototype-pat');
  });
  afterAll(() => app.close());

  const prototypeHeaders = Object.fromEntries(PROTOTYPE_NAMES.map((name) => [name, 'x']));

  it('answers as usual, with or without a token, whatever the headers are named', async () => {
    for (const name of PROTOTYPE_NAMES) {
      const headers = { [name]: 'x' };
      expect((await app.api('/health', { headers })).status, name).toBe(200);
      expectError(await app.api('/conversations', { headers }), 401);
      expectError(await app.api('/files', { headers }), 401);
      const listed = await app.api('/conversations', { token, headers });
      expect(listed.status, `${name}: ${listed.text}`).toBe(200);
      expect((await app.api('/files', { token, headers })).status, name).toBe(200);
      expect((await app.api('/usage', { token, headers })).status, name).toBe(200);
    }
    const all = await app.api('/conversations', { token, headers: prototypeHeaders });
    expect(all.status, all.text).toBe(200);
    const chat = await app.api('/chat', { method: 'POST', token, headers: prototypeHeaders, body: { message: 'hello' } });
    expect(chat.status, chat.text).toBe(200);
  });

  it('answers as usual, with or without a token, whatever the query parameters are named', async () => {
    for (const name of PROTOTYPE_NAMES) {
      const query = `?${encodeURIComponent(name)}=x&${encodeURIComponent(name)}=y`;
      expect((await app.api(`/health${query}`)).status, name).toBe(200);
      expectError(await app.api(`/conversations${query}`), 401);
      // These routes take no such parameter: an unknown one is a 400, as any other.
      expectError(await app.api(`/conversations${query}`, { token }), 400, 'VALIDATION_FAILED');
      expectError(await app.api(`/files${query}`, { token }), 400, 'VALIDATION_FAILED');
      expectError(await app.api(`/conversations/missing${query}`, { token }), 400, 'VALIDATION_FAILED');
    }
  });

  const upload = (fileName: string, contentType: string) =>
    app.api('/files', { method: 'POST', token, body: { fileName, contentType, data: base64('Some plain text.\n') } });

  it('refuses a file named like a prototype member unless its declared type says text', async () => {
    for (const fileName of ['__proto__', 'x.constructor', 'a.toString', 'b.hasOwnProperty', 'c.valueOf']) {
      expectError(await upload(fileName, 'application/octet-stream'), 415, 'UNSUPPORTED_FILE_TYPE');
      const res = await upload(fileName, 'text/plain');
      expect(res.status, `${fileName}: ${res.text}`).toBe(201);
      expect(res.json.fileType, fileName).toBe('text');
    }
  });
});
