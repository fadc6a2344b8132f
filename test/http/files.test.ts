import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { FixedClock } from '../support/fakes.js';
import { base64, expectError, pluck, startTestServer, type Json, type TestServer } from '../support/http-client.js';

const fileContext = (fields: Record<string, unknown>) => ({
  fileId: expect.any(String),
  fileName: expect.any(String),
  fileType: expect.any(String),
  size: expect.any(Number),
  charCount: expect.any(Number),
  status: 'ready',
  uploadedAt: expect.any(String),
  ...fields,
});

describe('/files', () => {
  let app: TestServer;
  let token: string;
  const upload = (fileName: string, data: string | Uint8Array, contentType?: string) =>
    app.api('/files', { method: 'POST', token, body: { fileName, ...(contentType && { contentType }), data: base64(data) } });

  beforeAll(async () => {
    // A clock that moves on every read: "newest first" is then a strict order.
    app = await startTestServer({ overrides: { clock: new FixedClock() } });
    token = await app.signIn('files-dave');
  });
  afterAll(() => app.close());

  it.each([
    ['notes.txt', 'text/plain', 'Plain notes about the project.\n', 'text'],
    ['README.md', 'text/markdown', '# Title\n\nSome *Markdown* text.\n', 'markdown'],
    ['data.json', 'application/json', '{"answer":42,"list":[1,2,3]}', 'json'],
    ['script.py', 'text/x-python', 'def main():\n    print("hello")\n', 'code'],
  ])('takes %s inline (201 FileContext), lists it and shows a preview', async (fileName, contentType, text, fileType) => {
    const res = await upload(fileName, text, contentType);
    expect(res.status, res.text).toBe(201);
    expect(res.json).toEqual(fileContext({ fileName, fileType, size: Buffer.byteLength(text) }));
    expect(res.json.charCount).toBeGreaterThan(0);
    expect(new Date(res.json.uploadedAt as string).toISOString()).toBe(res.json.uploadedAt);
    const fileId = res.json.fileId as string;

    const listed = await app.api('/files', { token });
    expect(listed.status).toBe(200);
    expect((listed.json.items as Json[]).find((f) => f.fileId === fileId)).toEqual(res.json);

    const got = await app.api(`/files/${fileId}`, { token });
    expect(got.status).toBe(200);
    expect(got.json).toEqual({ ...res.json, preview: expect.any(String) });
    if (fileType === 'json') expect(JSON.parse(got.json.preview as string)).toEqual(JSON.parse(text));
    else expect(got.json.preview).toBe(text);
  });

  it('lists files newest first', async () => {
    const a = await upload('first.txt', 'first');
    const b = await upload('second.txt', 'second');
    const listed = await app.api('/files', { token });
    const ids = (listed.json.items as Json[]).map((f) => f.fileId as string);
    expect(ids.indexOf(b.json.fileId as string)).toBeLessThan(ids.indexOf(a.json.fileId as string));
  });

  it('sends a short list whole, without a cursor, and refuses a cursor it did not issue', async () => {
    // A list that does not fit one response (thousands of long-named files) stops under 6 MB with a
    // `nextCursor`: see FileService.list in test/domain/file-service.test.ts.
    const listed = await app.api('/files', { token });
    expect(listed.status).toBe(200);
    expect(listed.json.nextCursor).toBeUndefined();
    expectError(await app.api('/files?cursor=not-a-cursor', { token }), 400, 'INVALID_CURSOR');
    expectError(await app.api('/files?limit=2', { token }), 400, 'VALIDATION_FAILED');
  });

  it('gives attached files to the model: the offline answer names them', async () => {
    const file = await upload('quarterly-report.md', '# Q3\n\nRevenue went up.');
    expect(file.status).toBe(201);
    const chat = await app.chatStream(token, { message: 'Summarise the report', fileIds: [file.json.fileId] });
    expect(chat.status).toBe(200);
    const answer = chat.events.filter((e) => e.event === 'delta').map((e) => e.data.text as string).join('');
    expect(answer).toContain('quarterly-report.md');

    const conversation = await app.api(`/conversations/${chat.events[0]!.data.conversationId}`, { token });
    expect(conversation.json.fileIds).toEqual([file.json.fileId]);
    expect(conversation.json.messages[0].fileIds).toEqual([file.json.fileId]);

    // Later turns keep the file in context without attaching it again.
    const next = await app.api('/chat', { method: 'POST', token, body: { conversationId: conversation.json.conversationId, message: 'And?' } });
    expect(next.json.message.content).toContain('quarterly-report.md');

    // Once the file is deleted the conversation goes on without it.
    expect((await app.api(`/files/${file.json.fileId}`, { method: 'DELETE', token })).status).toBe(204);
    const after = await app.api('/chat', { method: 'POST', token, body: { conversationId: conversation.json.conversationId, message: 'Still there?' } });
    expect(after.status, after.text).toBe(200);
    expect(after.json.message.content).not.toContain('quarterly-report.md');
  });

  it('refuses an unsupported type with 415', async () => {
    expectError(await upload('program.exe', 'MZ\u0090\u0000\u0003', 'application/octet-stream'), 415, 'UNSUPPORTED_FILE_TYPE');
    expectError(await upload('program.exe', 'MZ'), 415, 'UNSUPPORTED_FILE_TYPE');
  });

  it('refuses binary bytes named .txt with 415', async () => {
    const bytes = new Uint8Array(256).map((_, i) => i);
    expectError(await upload('innocent.txt', bytes, 'text/plain'), 415);
  });

  it('refuses a JSON file that does not parse with 422', async () => {
    expectError(await upload('broken.json', '{"answer": 42,', 'application/json'), 422, 'INVALID_JSON_FILE');
  });

  it('refuses an empty or blank file with 422', async () => {
    expectError(await upload('empty.txt', '', 'text/plain'), 422);
    expectError(await upload('blank.txt', '  \n\n\t ', 'text/plain'), 422);
  });

  it('refuses a body that is not base64 with 400', async () => {
    const res = await app.api('/files', { method: 'POST', token, body: { fileName: 'x.txt', contentType: 'text/plain', data: 'not base64!!' } });
    expectError(res, 400, 'VALIDATION_FAILED');
  });

  it('answers 404 for a file that does not exist', async () => {
    expectError(await app.api('/files/no-such-file', { token }), 404, 'FILE_NOT_FOUND');
    expectError(await app.api('/files/no-such-file', { method: 'DELETE', token }), 404, 'FILE_NOT_FOUND');
    expectError(await app.api('/files/no-such-file/process', { method: 'POST', token }), 404, 'FILE_NOT_FOUND');
    expectError(await app.api('/chat', { method: 'POST', token, body: { message: 'hi', fileIds: ['no-such-file'] } }), 404, 'FILE_NOT_FOUND');
  });

  it('uploads through a presigned URL: slot, PUT, process', async () => {
    const text = '# Big document\n\n' + 'A line of text.\n'.repeat(200);
    const bytes = Buffer.from(text);
    const slot = await app.api('/files/uploads', {
      method: 'POST',
      token,
      body: { fileName: 'big.md', contentType: 'text/markdown', size: bytes.length },
    });
    expect(slot.status, slot.text).toBe(201);
    expect(slot.json).toMatchObject({ fileId: expect.any(String), uploadUrl: expect.any(String), method: 'PUT', headers: expect.any(Object) });
    const fileId = slot.json.fileId as string;

    // Processing before the bytes arrive is a conflict.
    expectError(await app.api(`/files/${fileId}/process`, { method: 'POST', token }), 409);

    const put = await fetch(slot.json.uploadUrl as string, { method: 'PUT', headers: slot.json.headers as Record<string, string>, body: bytes });
    expect(put.status).toBe(200);

    const processed = await app.api(`/files/${fileId}/process`, { method: 'POST', token });
    expect(processed.status, processed.text).toBe(200);
    expect(processed.json).toEqual(fileContext({ fileId, fileName: 'big.md', fileType: 'markdown', size: bytes.length, charCount: text.length }));

    // Processing again is harmless.
    const again = await app.api(`/files/${fileId}/process`, { method: 'POST', token });
    expect(again.status).toBe(200);
    expect(again.json).toEqual(processed.json);

    const got = await app.api(`/files/${fileId}`, { token });
    expect(got.json.preview).toBe(text.slice(0, 2000));
  });

  it('refuses a presigned PUT with the wrong content type or more bytes than declared', async () => {
    const slot = await app.api('/files/uploads', {
      method: 'POST',
      token,
      body: { fileName: 'small.txt', contentType: 'text/plain', size: 10 },
    });
    expect(slot.status).toBe(201);
    const url = slot.json.uploadUrl as string;
    // The local server's own upload URLs answer in the API's error format; S3 (STORE=embedded) in its own.
    const check = (res: Awaited<ReturnType<TestServer['api']>>, status: number, code?: string) =>
      url.startsWith(app.url) ? expectError(res, status, code) : expect(res.status, res.text).toBe(status);
    check(await app.api(url, { method: 'PUT', headers: { 'Content-Type': 'image/png' }, body: '0123456789' }), 403, 'UPLOAD_TYPE_MISMATCH');
    check(await app.api(url, { method: 'PUT', headers: { 'Content-Type': 'text/plain' }, body: 'x'.repeat(11) }), url.startsWith(app.url) ? 413 : 403);
    expectError(await app.api(`/files/${slot.json.fileId}/process`, { method: 'POST', token }), 409, 'UPLOAD_MISSING');
    const chat = await app.api('/chat', { method: 'POST', token, body: { message: 'read it', fileIds: [slot.json.fileId] } });
    expectError(chat, 409, 'FILE_NOT_READY');
  });

  const newSlot = async (fileName: string, bytes: Uint8Array) => {
    const slot = await app.api('/files/uploads', { method: 'POST', token, body: { fileName, contentType: 'text/plain', size: bytes.length } });
    expect(slot.status, slot.text).toBe(201);
    const put = (body = bytes) => fetch(slot.json.uploadUrl as string, { method: 'PUT', headers: slot.json.headers as Record<string, string>, body });
    return { fileId: slot.json.fileId as string, expiresAt: slot.json.expiresAt as string, put };
  };
  // A URL that may not write again: the local server says 403 (its URL is spent), S3 412 (the key is taken or sealed).
  const refusedAgain = (status: number) => expect([403, 412]).toContain(status);
  const sameLength = (text: string) => new TextEncoder().encode(text);

  it('takes an upload URL\'s file once: after processing, a second PUT is refused and the text stays', async () => {
    const slot = await newSlot('once.txt', sameLength('The original, processed text.'));
    expect((await slot.put()).status).toBe(200);
    expect((await app.api(`/files/${slot.fileId}/process`, { method: 'POST', token })).status).toBe(200);
    refusedAgain((await slot.put(sameLength('Something else, sent after it.'))).status);
    // Processing again reads the stored bytes: still the original.
    const again = await app.api(`/files/${slot.fileId}/process`, { method: 'POST', token });
    expect(again.status).toBe(200);
    expect((await app.api(`/files/${slot.fileId}`, { token })).json.preview).toBe('The original, processed text.');
  });

  it('takes an upload URL\'s file once before processing too: the first bytes are the ones read', async () => {
    const slot = await newSlot('race.txt', sameLength('first bytes'));
    expect((await slot.put()).status).toBe(200);
    refusedAgain((await slot.put(sameLength('other bytes'))).status);
    expect((await app.api(`/files/${slot.fileId}/process`, { method: 'POST', token })).status).toBe(200);
    expect((await app.api(`/files/${slot.fileId}`, { token })).json.preview).toBe('first bytes');
  });

  it('keeps a deleted file\'s upload URL from bringing its bytes back, used or not', async () => {
    const used = await newSlot('used.txt', sameLength('uploaded, then deleted'));
    expect((await used.put()).status).toBe(200);
    expect((await app.api(`/files/${used.fileId}`, { method: 'DELETE', token })).status).toBe(204);
    refusedAgain((await used.put()).status);

    const unused = await newSlot('unused.txt', sameLength('never sent before deletion'));
    expect((await app.api(`/files/${unused.fileId}`, { method: 'DELETE', token })).status).toBe(204);
    refusedAgain((await unused.put()).status);
    for (const fileId of [used.fileId, unused.fileId]) {
      expectError(await app.api(`/files/${fileId}/process`, { method: 'POST', token }), 404, 'FILE_NOT_FOUND');
    }
  });

  it('gives upload URLs that live five minutes', async () => {
    const before = Date.now();
    const slot = await newSlot('short.txt', sameLength('short-lived'));
    const lifetime = Date.parse(slot.expiresAt) - before;
    expect(lifetime).toBeGreaterThan(290_000);
    expect(lifetime).toBeLessThanOrEqual(301_000);
  });

  it('refuses a PUT to an unknown local upload URL', async () => {
    const unknown = await app.api('/local-uploads/not-a-real-token', { method: 'PUT', headers: { 'Content-Type': 'text/plain' }, body: 'x' });
    expectError(unknown, 403, 'UPLOAD_URL_INVALID');
  });

  it('keeps an uploaded file that cannot be read listed as failed', async () => {
    const bytes = Buffer.from(new Uint8Array(64).map((_, i) => i));
    const slot = await app.api('/files/uploads', {
      method: 'POST',
      token,
      body: { fileName: 'fake.txt', contentType: 'text/plain', size: bytes.length },
    });
    const put = await fetch(slot.json.uploadUrl as string, { method: 'PUT', headers: slot.json.headers as Record<string, string>, body: bytes });
    expect(put.status).toBe(200);
    expectError(await app.api(`/files/${slot.json.fileId}/process`, { method: 'POST', token }), 415);
    const got = await app.api(`/files/${slot.json.fileId}`, { token });
    expect(got.json).toMatchObject({ status: 'failed', error: { code: expect.any(String), message: expect.any(String) } });
    const chat = await app.api('/chat', { method: 'POST', token, body: { message: 'read it', fileIds: [slot.json.fileId] } });
    expectError(chat, 409, 'FILE_NOT_READY');
  });

  it('refuses an upload slot for an unsupported type or an empty file', async () => {
    expectError(
      await app.api('/files/uploads', { method: 'POST', token, body: { fileName: 'setup.exe', contentType: 'application/octet-stream', size: 100 } }),
      415,
    );
    expectError(await app.api('/files/uploads', { method: 'POST', token, body: { fileName: 'a.txt', contentType: 'text/plain', size: 0 } }), 422);
    expectError(await app.api('/files/uploads', { method: 'POST', token, body: { fileName: 'a.txt', contentType: 'text/plain', size: -1 } }), 400);
    expectError(
      await app.api('/files/uploads', { method: 'POST', token, body: { fileName: 'a.txt', contentType: 'text/plain', size: 1024 ** 4 } }),
      413,
    );
  });

  it('deletes a file: 204, then 404, and gone from the list', async () => {
    const file = await upload('doomed.txt', 'short-lived');
    const fileId = file.json.fileId as string;
    const res = await app.api(`/files/${fileId}`, { method: 'DELETE', token });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expectError(await app.api(`/files/${fileId}`, { token }), 404, 'FILE_NOT_FOUND');
    expectError(await app.api(`/files/${fileId}`, { method: 'DELETE', token }), 404, 'FILE_NOT_FOUND');
    const listed = await app.api('/files', { token });
    expect(pluck(listed.json.items, 'fileId')).not.toContain(fileId);
    expectError(await app.api('/chat', { method: 'POST', token, body: { message: 'hi', fileIds: [fileId] } }), 404, 'FILE_NOT_FOUND');
  });

  // Issue 17: a name cut in the middle of a surrogate pair, or sent with a lone surrogate, made the
  // S3 client throw URIError (a 500). Names are cut on whole characters and lone surrogates become U+FFFD.
  it.each([
    ['254 "a" and an emoji, cut before the emoji', `${'a'.repeat(254)}😀.txt`, 'a'.repeat(254)],
    ['253 "a" and a family emoji, cut before the family', `${'a'.repeat(253)}👨‍👩‍👧.txt`, 'a'.repeat(253)],
    ['a lone high surrogate', 'notes-\ud83d.txt', 'notes-\ufffd.txt'],
    ['a lone low surrogate', '\ude00notes.txt', '\ufffdnotes.txt'],
    ['254 "a" and a lone surrogate', `${'a'.repeat(254)}\ud83d`, `${'a'.repeat(254)}\ufffd`],
  ])('takes a file named with %s (201) and the name round-trips', async (_, fileName, expected) => {
    const res = await upload(fileName, 'Some text.\n', 'text/plain');
    expect(res.status, res.text).toBe(201);
    expect(res.json.fileName).toBe(expected);
    const fileId = res.json.fileId as string;
    const listed = await app.api('/files', { token });
    expect((listed.json.items as Json[]).find((f) => f.fileId === fileId)?.fileName).toBe(expected);
    expect((await app.api(`/files/${fileId}`, { token })).json.fileName).toBe(expected);
    expect((await app.api(`/files/${fileId}`, { method: 'DELETE', token })).status).toBe(204);
  });

  it('gives an upload URL for a name with a lone surrogate (201), and the PUT lands', async () => {
    const bytes = Buffer.from('Some text.\n');
    const slot = await app.api('/files/uploads', { method: 'POST', token, body: { fileName: `${'a'.repeat(254)}\ud83d`, contentType: 'text/plain', size: bytes.length } });
    expect(slot.status, slot.text).toBe(201);
    const put = await fetch(slot.json.uploadUrl as string, { method: 'PUT', headers: slot.json.headers as Record<string, string>, body: bytes });
    expect(put.status).toBe(200);
    const processed = await app.api(`/files/${slot.json.fileId}/process`, { method: 'POST', token });
    expect(processed.status, processed.text).toBe(200);
    expect(processed.json.fileName).toBe(`${'a'.repeat(254)}\ufffd`);
  });
});

describe('/files with a small inline limit', () => {
  let app: TestServer;
  let token: string;

  beforeAll(async () => {
    app = await startTestServer({ env: { MAX_INLINE_FILE_BYTES: '1000' } });
    token = await app.signIn('files-erin');
  });
  afterAll(() => app.close());

  const upload = (size: number) =>
    app.api('/files', { method: 'POST', token, body: { fileName: 'sized.txt', contentType: 'text/plain', data: base64('a'.repeat(size)) } });

  it('takes a file of exactly the limit', async () => {
    const res = await upload(1000);
    expect(res.status, res.text).toBe(201);
    expect(res.json.size).toBe(1000);
  });

  it('refuses a file over the limit with 413', async () => {
    expectError(await upload(1001), 413, 'FILE_TOO_LARGE');
    expectError(await upload(50_000), 413, 'FILE_TOO_LARGE');
  });
});
