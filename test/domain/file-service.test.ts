import { describe, expect, it, vi } from 'vitest';
import { MemoryFileCatalog } from '../../src/adapters/file-catalog/memory-file-catalog.js';
import { LruTextCache } from '../../src/adapters/text-cache/lru-text-cache.js';
import { PlainTextExtractor } from '../../src/adapters/text-extractor/plain-text-extractor.js';
import { jsonBytes } from '../../src/domain/json-bytes.js';
import { fileKeys, toFileContext, type FileRecord } from '../../src/domain/file-context.js';
import { FileService, MAX_LIST_BYTES, type FileDeps, type FileLimits } from '../../src/domain/file-service.js';
import { OTHER_USER, UPLOAD_BASE_URL, USER, makeDomain, uploadText, uploadToken, utf8, type Domain } from '../support/domain-builder.js';
import { expectDomainError } from '../support/domain-error.js';

const textOf = async (d: Domain, fileId: string) => (await d.files.loadDocuments(USER, [fileId]))[0]?.text;

describe('FileService.upload', () => {
  it('extracts Markdown, JSON and source code, with their type, size in bytes and characters', async () => {
    const d = makeDomain();
    const md = await uploadText(d, USER, 'notes.md', '# Café\n\nSome text.', 'text/markdown');
    expect(md).toEqual({
      fileId: expect.any(String),
      fileName: 'notes.md',
      fileType: 'markdown',
      size: 19,
      charCount: 18,
      status: 'ready',
      uploadedAt: expect.any(String),
    });
    const code = await uploadText(d, USER, 'main.ts', 'export const x: number = 1;\n', 'video/mp2t');
    expect(code).toMatchObject({ fileType: 'code', charCount: 28, status: 'ready' });
    const json = await uploadText(d, USER, 'data.json', '{"b":[1,2],"a":"x"}', 'application/json');
    expect(json).toMatchObject({ fileType: 'json', status: 'ready' });
    expect((await d.files.list(USER)).items.map((file) => file.fileName).sort()).toEqual(['data.json', 'main.ts', 'notes.md']);
  });

  it('keeps only the last segment of a file name given with a path, and refuses a name that is only a path', async () => {
    const d = makeDomain();
    expect((await uploadText(d, USER, '../../etc/notes.txt', 'hello')).fileName).toBe('notes.txt');
    expect((await uploadText(d, USER, 'C:\\Users\\me\\todo.md', '- milk')).fileName).toBe('todo.md');
    await expectDomainError(uploadText(d, USER, 'docs/', 'hello'), { kind: 'invalid', code: 'INVALID_FILE_NAME' });
  });

  it('pretty-prints JSON', async () => {
    const d = makeDomain();
    const json = await uploadText(d, USER, 'data.json', '{"b":[1,2],"a":"x"}', 'application/json');
    const pretty = '{\n  "b": [\n    1,\n    2\n  ],\n  "a": "x"\n}';
    expect(await textOf(d, json.fileId)).toBe(pretty);
    expect(json.charCount).toBe(pretty.length);
  });

  it('refuses invalid JSON as unreadable and stores nothing', async () => {
    const d = makeDomain();
    await expectDomainError(uploadText(d, USER, 'data.json', '{"a": 1,', 'application/json'), { kind: 'unreadable', code: 'INVALID_JSON_FILE' });
    expect((await d.files.list(USER)).items).toEqual([]);
  });

  it('refuses binary bytes named .txt as unsupported', async () => {
    const d = makeDomain();
    const bytes = new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0xff, 0xfe, 0x01, 0x02]);
    await expectDomainError(d.files.upload(USER, { fileName: 'notes.txt', contentType: 'text/plain', bytes }), { kind: 'unsupported' });
    expect((await d.files.list(USER)).items).toEqual([]);
  });

  it('refuses .exe and (not yet supported) .pdf files by name', async () => {
    const d = makeDomain();
    const bytes = utf8('%PDF-1.7 whatever');
    const unsupported = { kind: 'unsupported', code: 'UNSUPPORTED_FILE_TYPE' } as const;
    await expectDomainError(d.files.upload(USER, { fileName: 'setup.exe', contentType: 'application/octet-stream', bytes }), unsupported);
    await expectDomainError(d.files.upload(USER, { fileName: 'report.pdf', contentType: 'application/pdf', bytes }), unsupported);
    await expectDomainError(d.files.createUpload(USER, { fileName: 'setup.exe', contentType: 'application/x-msdownload', size: 10 }), unsupported);
  });

  it('refuses an empty file, a too large file and a file with only whitespace', async () => {
    const d = makeDomain({ files: { maxInlineBytes: 1000 } });
    await expectDomainError(uploadText(d, USER, 'empty.txt', ''), { kind: 'unreadable', code: 'FILE_EMPTY' });
    await expectDomainError(uploadText(d, USER, 'big.txt', 'x'.repeat(1001)), { kind: 'too_large', code: 'FILE_TOO_LARGE' });
    await expectDomainError(uploadText(d, USER, 'blank.txt', ' \n\t\n  '), { kind: 'unreadable', code: 'NO_TEXT' });
    expect((await uploadText(d, USER, 'fits.txt', 'x'.repeat(1000))).charCount).toBe(1000);
  });

  it('cuts text longer than maxExtractedChars and marks it truncated', async () => {
    const d = makeDomain({ files: { maxExtractedChars: 1000 } });
    const text = 'abcdefghij'.repeat(150);
    const file = await uploadText(d, USER, 'long.txt', text);
    expect(file).toMatchObject({ size: 1500, charCount: 1000, truncated: true });
    expect(await textOf(d, file.fileId)).toBe(text.slice(0, 1000));
  });
});

describe('FileService.get and delete', () => {
  it('gets the file with a preview of the first 2,000 characters', async () => {
    const d = makeDomain();
    const text = Array.from({ length: 500 }, (_, n) => `line ${n}`).join('\n');
    const file = await uploadText(d, USER, 'lines.txt', text);
    const got = await d.files.get(USER, file.fileId);
    expect(got).toEqual({ ...file, preview: text.slice(0, 2000) });
    await expectDomainError(d.files.get(OTHER_USER, file.fileId), { kind: 'not_found', code: 'FILE_NOT_FOUND' });
  });

  it('deletes the metadata and the bytes of one file, the original and the text', async () => {
    const d = makeDomain();
    const gone = await uploadText(d, USER, 'gone.txt', 'delete me');
    const kept = await uploadText(d, USER, 'kept.txt', 'keep me');
    const keys = (fileId: string, fileName: string) => fileKeys(USER, fileId, fileName);
    await expectDomainError(d.files.delete(OTHER_USER, gone.fileId), { kind: 'not_found' });
    expect(await d.blobs.stat(keys(gone.fileId, 'gone.txt').blob)).toBeDefined();

    await d.files.delete(USER, gone.fileId);
    await expectDomainError(d.files.get(USER, gone.fileId), { kind: 'not_found' });
    expect(await d.blobs.stat(keys(gone.fileId, 'gone.txt').blob)).toBeUndefined();
    expect(await d.blobs.stat(keys(gone.fileId, 'gone.txt').text)).toBeUndefined();
    expect(await d.blobs.stat(keys(kept.fileId, 'kept.txt').blob)).toBeDefined();
    expect(await d.blobs.stat(keys(kept.fileId, 'kept.txt').text)).toBeDefined();
    expect((await d.files.list(USER)).items.map((file) => file.fileId)).toEqual([kept.fileId]);
    await expectDomainError(d.files.delete(USER, gone.fileId), { kind: 'not_found' });
  });

  it('keeps the bytes of a file named text.txt apart from its extracted text', async () => {
    const d = makeDomain();
    const original = '\uFEFFline one\r\nline two\r\n';
    const file = await uploadText(d, USER, 'text.txt', original);
    const keys = fileKeys(USER, file.fileId, 'text.txt');
    expect(keys.blob).not.toBe(keys.text);
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(await d.blobs.get(keys.blob))).toBe(original);
    expect(await textOf(d, file.fileId)).toContain('line two');
    await d.files.delete(USER, file.fileId);
    expect(await d.blobs.stat(keys.blob)).toBeUndefined();
    expect(await d.blobs.stat(keys.text)).toBeUndefined();
  });
});

describe('FileService presigned uploads', () => {
  const csv = utf8('name,city\nAda,London\nAlan,Wilmslow\n');
  const announce = (d: Domain, fileName = 'people.csv', contentType = 'text/csv', size = csv.length) =>
    d.files.createUpload(USER, { fileName, contentType, size });

  it('creates an upload, takes the bytes at the URL, then processes them', async () => {
    const d = makeDomain();
    const slot = await announce(d);
    expect(slot).toMatchObject({ method: 'PUT', headers: { 'Content-Type': 'text/csv' } });
    expect(slot.uploadUrl.startsWith(`${UPLOAD_BASE_URL}/`)).toBe(true);
    expect((await d.files.list(USER)).items).toMatchObject([{ fileId: slot.fileId, status: 'uploading' }]);

    expect(await d.blobs.receiveUpload(uploadToken(slot.uploadUrl), 'text/csv', csv)).toEqual({ ok: true });
    const ready = await d.files.process(USER, slot.fileId);
    expect(ready).toMatchObject({ fileId: slot.fileId, fileName: 'people.csv', fileType: 'csv', size: csv.length, status: 'ready' });
    expect(ready.charCount).toBe(csv.length);
    expect(await textOf(d, slot.fileId)).toBe(new TextDecoder().decode(csv));
  });

  it('answers conflict UPLOAD_MISSING before the bytes arrive', async () => {
    const d = makeDomain();
    const slot = await announce(d);
    await expectDomainError(d.files.process(USER, slot.fileId), { kind: 'conflict', code: 'UPLOAD_MISSING' });
    await expectDomainError(d.files.process(OTHER_USER, slot.fileId), { kind: 'not_found', code: 'FILE_NOT_FOUND' });
  });

  it('marks an unreadable upload failed, with the reason, and throws it', async () => {
    const d = makeDomain();
    const broken = utf8('{"a": ');
    const slot = await announce(d, 'data.json', 'application/json', broken.length);
    await d.blobs.receiveUpload(uploadToken(slot.uploadUrl), 'application/json', broken);
    await expectDomainError(d.files.process(USER, slot.fileId), { kind: 'unreadable', code: 'INVALID_JSON_FILE' });
    expect(await d.files.get(USER, slot.fileId)).toMatchObject({
      status: 'failed',
      error: { code: 'INVALID_JSON_FILE', message: expect.any(String) },
    });
  });

  it('marks an upload that arrived empty failed, with the reason, and throws it', async () => {
    const d = makeDomain();
    const slot = await announce(d);
    expect(await d.blobs.receiveUpload(uploadToken(slot.uploadUrl), 'text/csv', new Uint8Array())).toEqual({ ok: true });
    await expectDomainError(d.files.process(USER, slot.fileId), { kind: 'unreadable', code: 'FILE_EMPTY' });
    expect(await d.files.get(USER, slot.fileId)).toMatchObject({ status: 'failed', error: { code: 'FILE_EMPTY' } });
  });

  it('processes twice with the same result', async () => {
    const d = makeDomain();
    const slot = await announce(d);
    await d.blobs.receiveUpload(uploadToken(slot.uploadUrl), 'text/csv', csv);
    const first = await d.files.process(USER, slot.fileId);
    expect(await d.files.process(USER, slot.fileId)).toEqual(first);
    expect((await d.files.list(USER)).items).toEqual([first]);
  });

  it('keeps a file deleted while its upload is being read deleted: no record, no text left', async () => {
    const d = makeDomain();
    const slot = await announce(d);
    await d.blobs.receiveUpload(uploadToken(slot.uploadUrl), 'text/csv', csv);
    const read = d.blobs.get.bind(d.blobs);
    d.blobs.get = async (key) => {
      const bytes = await read(key);
      await d.files.delete(USER, slot.fileId); // the user deletes it in another tab meanwhile
      return bytes;
    };
    await expectDomainError(d.files.process(USER, slot.fileId), { kind: 'not_found', code: 'FILE_NOT_FOUND' });
    expect((await d.files.list(USER)).items).toEqual([]);
    expect(await read(`${USER}/${slot.fileId}/text.txt`)).toBeUndefined();
  });

  it('refuses an upload with another content type or more bytes than announced', async () => {
    const d = makeDomain();
    const slot = await announce(d);
    const token = uploadToken(slot.uploadUrl);
    expect(await d.blobs.receiveUpload(token, 'text/plain', csv)).toMatchObject({ ok: false, status: 403 });
    expect(await d.blobs.receiveUpload(token, 'text/csv', utf8(`${new TextDecoder().decode(csv)}extra`))).toMatchObject({ ok: false, status: 413 });
    expect(await d.blobs.receiveUpload('unknown-token', 'text/csv', csv)).toMatchObject({ ok: false, status: 403 });
    await expectDomainError(d.files.process(USER, slot.fileId), { kind: 'conflict', code: 'UPLOAD_MISSING' });
  });

  it('takes the bytes at an upload URL once: a second PUT, after processing, changes nothing the model reads', async () => {
    const d = makeDomain();
    const slot = await announce(d);
    const token = uploadToken(slot.uploadUrl);
    expect(await d.blobs.receiveUpload(token, 'text/csv', csv)).toEqual({ ok: true });
    await d.files.process(USER, slot.fileId);
    const swapped = utf8('name,city\nEve,Nowhere\n');
    expect(await d.blobs.receiveUpload(token, 'text/csv', swapped)).toMatchObject({ ok: false, status: 403, code: 'UPLOAD_URL_INVALID' });
    expect(await d.blobs.get(fileKeys(USER, slot.fileId, 'people.csv').blob)).toEqual(csv);
    expect(await textOf(d, slot.fileId)).toBe(new TextDecoder().decode(csv));
  });

  it('seals a deleted file while its upload URL may live, so the URL cannot bring bytes back', async () => {
    const d = makeDomain();
    const slot = await announce(d);
    const seal = vi.spyOn(d.blobs, 'seal');
    await d.files.delete(USER, slot.fileId);
    expect(seal).toHaveBeenCalledWith(fileKeys(USER, slot.fileId, 'people.csv').blob);
    expect(await d.blobs.receiveUpload(uploadToken(slot.uploadUrl), 'text/csv', csv)).toMatchObject({ ok: false, status: 403 });
    expect(await d.blobs.stat(fileKeys(USER, slot.fileId, 'people.csv').blob)).toBeUndefined();
  });

  it('does not seal a file whose upload URL has expired, clocks a minute apart included', async () => {
    const d = makeDomain({ files: { uploadUrlTtlSeconds: 300 } });
    const slot = await announce(d);
    d.clock.advance((300 + 60) * 1000);
    const seal = vi.spyOn(d.blobs, 'seal');
    await d.files.delete(USER, slot.fileId);
    expect(seal).not.toHaveBeenCalled();
  });

  it('refuses to announce a file over the upload limit', async () => {
    const d = makeDomain({ files: { maxUploadBytes: 1000 } });
    await expectDomainError(announce(d, 'big.csv', 'text/csv', 1001), { kind: 'too_large', code: 'FILE_TOO_LARGE' });
    expect((await d.files.list(USER)).items).toEqual([]);
  });
});

describe('FileService storage per user', () => {
  const storageLimit = { kind: 'too_large', code: 'STORAGE_LIMIT_REACHED' } as const;

  it('refuses an inline upload or an upload slot that would take the user past their storage, and stores nothing', async () => {
    const d = makeDomain({ files: { storageBytesPerUser: 100 } });
    await uploadText(d, USER, 'first.txt', 'x'.repeat(60));
    const slot = await d.files.createUpload(USER, { fileName: 'second.txt', contentType: 'text/plain', size: 30 });
    // 90 bytes in use, counting the upload not sent yet at its declared size.
    await expectDomainError(uploadText(d, USER, 'third.txt', 'x'.repeat(11)), storageLimit);
    await expectDomainError(d.files.createUpload(USER, { fileName: 'third.txt', contentType: 'text/plain', size: 11 }), storageLimit);
    expect((await d.files.list(USER)).items.map((file) => file.fileName).sort()).toEqual(['first.txt', 'second.txt']);
    // What fits exactly is taken; another user's storage is their own.
    expect((await uploadText(d, USER, 'last.txt', 'x'.repeat(10))).size).toBe(10);
    expect((await uploadText(d, OTHER_USER, 'bob.txt', 'x'.repeat(100))).size).toBe(100);
    await expectDomainError(uploadText(d, USER, 'one-more.txt', 'x'), storageLimit);

    // Deleting makes room again.
    await d.files.delete(USER, slot.fileId);
    expect((await uploadText(d, USER, 'after-delete.txt', 'x'.repeat(30))).size).toBe(30);
  });

  it('says how much is used of how much, and what to do', async () => {
    const d = makeDomain({ files: { storageBytesPerUser: 2048 } });
    await uploadText(d, USER, 'notes.txt', 'x'.repeat(1536));
    const error = await expectDomainError(uploadText(d, USER, 'more.txt', 'x'.repeat(1024)), storageLimit);
    expect(error.message).toMatch(/1\.5 KB of your 2\.0 KB.*1\.0 KB.*Delete files/);
  });
});

describe('FileService.list of many files', () => {
  // A name of 255 characters that take three UTF-8 bytes each: ~900 bytes an item once serialised.
  const record = (n: number): FileRecord => ({
    fileId: `file-${String(n).padStart(4, '0')}`,
    userId: USER,
    fileName: `${'中'.repeat(251)}.txt`,
    contentType: 'text/plain',
    fileType: 'text',
    size: 1,
    charCount: 0,
    status: 'uploading',
    // Pairs share an upload time: the order, and the cursor, fall back on the id.
    uploadedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, Math.floor(n / 2))).toISOString(),
    blobKey: `${USER}/file-${n}/x.txt`,
  });
  const serviceOver = async (count: number, maxListBytes?: number) => {
    const catalog = new MemoryFileCatalog();
    for (let n = 0; n < count; n++) await catalog.put(record(n));
    const limits = {} as FileLimits;
    return new FileService({ catalog } as unknown as FileDeps, limits, maxListBytes);
  };
  const readAll = async (service: FileService) => {
    const pages: string[][] = [];
    let page = await service.list(USER);
    pages.push(page.items.map((file) => file.fileId));
    while (page.nextCursor) {
      page = await service.list(USER, { cursor: page.nextCursor });
      pages.push(page.items.map((file) => file.fileId));
    }
    return pages;
  };

  it('stops a list at the response budget in serialised bytes, and pages on with the cursor, each file once', async () => {
    const service = await serviceOver(7, 200 + 2 * (jsonBytes(toFileContext(record(0))) + 1));
    const pages = await readAll(service);
    expect(pages.map((page) => page.length)).toEqual([2, 2, 2, 1]);
    expect(pages.flat()).toEqual(Array.from({ length: 7 }, (_, n) => record(6 - n).fileId));
  });

  it('keeps the whole list of thousands of long-named files under 6 MB a response', async () => {
    const count = Math.ceil((6_000_000 / jsonBytes(toFileContext(record(0)))) * 1.1);
    const service = await serviceOver(count);
    const first = await service.list(USER);
    expect(jsonBytes(first)).toBeLessThan(6_000_000);
    expect(jsonBytes(first)).toBeLessThanOrEqual(MAX_LIST_BYTES);
    expect(first.nextCursor).toBeDefined();
    const ids = (await readAll(service)).flat();
    expect(ids).toHaveLength(count);
    expect(new Set(ids).size).toBe(count);
  });

  it('sends a short list whole, and refuses a cursor it did not issue', async () => {
    const service = await serviceOver(3);
    expect(await service.list(USER)).toEqual({ items: [2, 1, 0].map((n) => toFileContext(record(n))) });
    await expectDomainError(service.list(USER, { cursor: 'not-a-cursor' }), { kind: 'invalid', code: 'INVALID_CURSOR' });
  });
});

describe('FileService.loadDocuments, with texts kept in memory', () => {
  const withCache = (d: Domain) =>
    new FileService(
      { catalog: d.catalog, blobs: d.blobs, extractor: new PlainTextExtractor(), clock: d.clock, ids: d.ids, texts: new LruTextCache(1024 * 1024) },
      { maxInlineBytes: 64 * 1024, maxUploadBytes: 1024 * 1024, maxExtractedChars: 100_000, uploadUrlTtlSeconds: 600 },
    );

  it('reads a file\'s text from the blob store once, then from memory, the catalog still asked each time', async () => {
    const d = makeDomain();
    const files = withCache(d);
    const note = await uploadText(d, USER, 'note.txt', 'The meeting is at noon.');
    const blobReads = vi.spyOn(d.blobs, 'get');
    const catalogReads = vi.spyOn(d.catalog, 'get');
    for (let i = 0; i < 3; i++) expect((await files.loadDocuments(USER, [note.fileId]))[0]?.text).toBe('The meeting is at noon.');
    expect(blobReads).toHaveBeenCalledTimes(1);
    expect(catalogReads).toHaveBeenCalledTimes(3);
  });

  it('gives the model nothing of a file deleted after its text was kept, nor of another user\'s file', async () => {
    const d = makeDomain();
    const files = withCache(d);
    const note = await uploadText(d, USER, 'note.txt', 'Secret plans.');
    expect(await files.loadDocuments(USER, [note.fileId])).toHaveLength(1);
    expect(await files.loadDocuments(OTHER_USER, [note.fileId])).toEqual([]);
    await files.delete(USER, note.fileId);
    expect(await files.loadDocuments(USER, [note.fileId])).toEqual([]);
  });
});
