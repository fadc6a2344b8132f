import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { base64, startTestServer, type TestServer } from '../support/http-client.js';

/**
 * What the server writes to its logs during a session that signs in, chats, uploads, fails and is
 * refused: structured lines, each with the request id, and never a token, an Authorization
 * header or the content of a message or a file.
 */
describe('logs', () => {
  const lines: string[] = [];
  let server: TestServer;
  const secretText = 'CONFIDENTIAL-PAYROLL-4711';
  const secretQuestion = 'my bank PIN is 9931, remember it';
  let token: string;

  beforeAll(async () => {
    // Powertools writes JSON lines to stdout; DEBUG shows everything the server ever logs.
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      return true;
    });
    server = await startTestServer({ env: { LOG_LEVEL: 'DEBUG', STORE: 'memory' } });
    token = await server.signIn('logged-user');
    await server.chatStream(token, { message: secretQuestion });
    await server.api('/files', { method: 'POST', token, body: { fileName: 'pay.txt', contentType: 'text/plain', data: base64(Buffer.from(secretText)) } });
    await server.api('/conversations', { token: `${token}tampered` });
    await server.api('/conversations', { headers: { Authorization: 'Basic dXNlcjpwYXNzd29yZA==' } });
    await server.api('/files/not-a-file', { token });
    await server.api('/chat', { method: 'POST', token, body: { message: '' } });
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await server.close();
  });

  it('logs something for each request, as JSON with a request id', () => {
    const requestLines = lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(requestLines.length).toBeGreaterThanOrEqual(6);
    for (const entry of requestLines) expect(entry.requestId, JSON.stringify(entry)).toEqual(expect.any(String));
  });

  it('never logs a token, an Authorization header, a message or a file’s content', () => {
    const all = lines.join('\n');
    const [header, payload, signature] = token.split('.') as [string, string, string];
    for (const secret of [token, payload, signature, 'dXNlcjpwYXNzd29yZA==', secretText, secretQuestion, base64(Buffer.from(secretText))]) {
      expect(all).not.toContain(secret);
    }
    expect(header.length).toBeGreaterThan(0);
    expect(all).not.toMatch(/Bearer\s+ey/);
  });
});
