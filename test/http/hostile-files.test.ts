import { PDFDocument, StandardFonts } from 'pdf-lib';
import { randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base64, expectError, startTestServer, type TestServer } from '../support/http-client.js';
import { passwordProtectedPdf } from '../support/pdf-fixtures.js';

async function onePagePdf(): Promise<Buffer> {
  const document = await PDFDocument.create();
  const font = await document.embedFont(StandardFonts.Helvetica);
  document.addPage([300, 200]).drawText('A page of text that a reader could extract.', { x: 20, y: 150, size: 10, font });
  return Buffer.from(await document.save());
}

/** A minimal valid zip (stored entries) with the given files, enough to look like a DOCX or not. */
function zip(entries: Record<string, Uint8Array>, declaredSizes: Record<string, number> = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of Object.entries(entries)) {
    const compressed = deflateRawSync(data);
    const nameBytes = Buffer.from(name);
    const size = declaredSizes[name] ?? data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(0, 14); // crc (not checked by size-based refusal)
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, compressed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + compressed.length;
  }
  const centralDirectory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(centralDirectory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, centralDirectory, end]);
}

interface Hostile {
  name: string;
  fileName: string;
  contentType: string;
  bytes: Uint8Array;
  /** Acceptable statuses: where two answers are both right, both are listed. */
  status: number[];
}

const csvRows = (rows: number) => ['a,b', ...Array.from({ length: rows }, (_, n) => `${n},x`)].join('\n');
const wordXml = '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Hi</w:t></w:r></w:p></w:body></w:document>';

async function hostileFiles(): Promise<Hostile[]> {
  const pdf = await onePagePdf();
  const bomb = zip({ '[Content_Types].xml': Buffer.from('<Types/>'), 'word/document.xml': Buffer.alloc(1) }, { 'word/document.xml': 3_000_000_000 });
  return [
    { name: 'empty text', fileName: 'empty.txt', contentType: 'text/plain', bytes: new Uint8Array(), status: [422] },
    { name: 'empty PDF', fileName: 'empty.pdf', contentType: 'application/pdf', bytes: new Uint8Array(), status: [422] },
    { name: 'whitespace only', fileName: 'blank.md', contentType: 'text/markdown', bytes: Buffer.from(' \n\t\n'), status: [422] },
    { name: 'random bytes named .txt', fileName: 'noise.txt', contentType: 'text/plain', bytes: randomBytes(4096), status: [415] },
    { name: 'random bytes named .pdf', fileName: 'noise.pdf', contentType: 'application/pdf', bytes: randomBytes(4096), status: [415, 422] },
    { name: 'random bytes named .docx', fileName: 'noise.docx', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', bytes: randomBytes(4096), status: [415, 422] },
    { name: 'ELF executable named .pdf', fileName: 'tool.pdf', contentType: 'application/pdf', bytes: Buffer.concat([Buffer.from('\x7fELF\x02\x01\x01'), randomBytes(512)]), status: [415] },
    { name: 'Windows executable named .txt', fileName: 'setup.txt', contentType: 'text/plain', bytes: Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00'), Buffer.alloc(64), randomBytes(256)]), status: [415] },
    { name: 'Windows executable named .docx', fileName: 'setup.docx', contentType: 'application/octet-stream', bytes: Buffer.concat([Buffer.from('MZ\x90\x00'), randomBytes(512)]), status: [415] },
    { name: 'an .exe', fileName: 'setup.exe', contentType: 'application/x-msdownload', bytes: Buffer.from('MZ'), status: [415] },
    { name: 'PNG named .txt', fileName: 'image.txt', contentType: 'text/plain', bytes: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(256)]), status: [415] },
    { name: 'PDF magic and nothing else', fileName: 'stub.pdf', contentType: 'application/pdf', bytes: Buffer.from('%PDF-1.7\n'), status: [422] },
    { name: 'truncated PDF', fileName: 'half.pdf', contentType: 'application/pdf', bytes: pdf.subarray(0, Math.floor(pdf.length / 2)), status: [422] },
    { name: 'password-protected PDF', fileName: 'locked.pdf', contentType: 'application/pdf', bytes: passwordProtectedPdf(), status: [422] },
    { name: 'zip that is not a Word file', fileName: 'archive.docx', contentType: 'application/octet-stream', bytes: zip({ 'readme.txt': Buffer.from('hello') }), status: [415, 422] },
    { name: 'Word zip with broken XML', fileName: 'broken.docx', contentType: 'application/octet-stream', bytes: zip({ '[Content_Types].xml': Buffer.from('<Types'), 'word/document.xml': Buffer.from('<w:document><w:body') }), status: [422] },
    { name: 'truncated DOCX', fileName: 'cut.docx', contentType: 'application/octet-stream', bytes: zip({ '[Content_Types].xml': Buffer.from('<Types/>'), 'word/document.xml': Buffer.from(wordXml) }).subarray(0, 60), status: [415, 422] },
    { name: 'zip bomb declared as a DOCX', fileName: 'bomb.docx', contentType: 'application/octet-stream', bytes: bomb, status: [413] },
    { name: 'deeply nested JSON', fileName: 'deep.json', contentType: 'application/json', bytes: Buffer.from(`${'['.repeat(200_000)}${']'.repeat(200_000)}`), status: [201, 422] },
    { name: 'invalid JSON', fileName: 'bad.json', contentType: 'application/json', bytes: Buffer.from('{"a": 1,'), status: [422] },
    { name: 'CSV with an unclosed quote', fileName: 'bad.csv', contentType: 'text/csv', bytes: Buffer.from('a,b\n"1,2\n3,4\n'), status: [422] },
    { name: 'CSV with too many rows', fileName: 'rows.csv', contentType: 'text/csv', bytes: Buffer.from(csvRows(1001)), status: [413] },
    { name: 'UTF-16 text with NUL bytes', fileName: 'utf16.txt', contentType: 'text/plain', bytes: Buffer.from('\ufeffhello', 'utf16le'), status: [201, 415] },
    { name: 'legacy Word .doc', fileName: 'old.doc', contentType: 'application/msword', bytes: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), status: [415] },
    { name: 'file name that is only control characters', fileName: '\u0001\u0002', contentType: 'text/plain', bytes: Buffer.from('hi'), status: [400] },
  ];
}

describe('hostile files', () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer({
      env: { MAX_CSV_ROWS: '1000', MAX_PDF_PAGES: '50', MAX_INLINE_FILE_BYTES: String(2 * 1024 * 1024), MAX_UPLOAD_FILE_BYTES: String(8 * 1024 * 1024) },
    });
    token = await server.signIn('mallory');
  });
  afterAll(async () => server.close());

  it('answers each with the right 4xx and a clear message, and the server keeps serving', async () => {
    const files = await hostileFiles();
    expect(files.length).toBeGreaterThanOrEqual(25);
    const rssBefore = process.memoryUsage().rss;
    for (const file of files) {
      const response = await server.api('/files', {
        method: 'POST',
        token,
        body: { fileName: file.fileName, contentType: file.contentType, data: base64(file.bytes) },
      });
      expect(file.status, `${file.name}: got ${response.status} ${response.text}`).toContain(response.status);
      if (response.status >= 400) expectError(response, response.status);
      expect((await server.api('/health')).status).toBe(200);
    }
    // Nothing was inflated or buffered out of proportion (the zip bomb alone would be gigabytes).
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(400 * 1024 * 1024);
    const chat = await server.api('/chat', { method: 'POST', token, body: { message: 'still there?' } });
    expect(chat.status).toBe(200);
  });

  it('refuses a large body sent to an upload URL declared small, and keeps nothing', async () => {
    const slot = await server.api('/files/uploads', { method: 'POST', token, body: { fileName: 'big.csv', contentType: 'text/csv', size: 1024 } });
    expect(slot.status).toBe(201);
    const put = await fetch(slot.json.uploadUrl, { method: 'PUT', headers: slot.json.headers, body: new Uint8Array(100 * 1024 * 1024) });
    expect([403, 413]).toContain(put.status);
    expectError(await server.api(`/files/${slot.json.fileId}/process`, { method: 'POST', token }), 409, 'UPLOAD_MISSING');
  });

  it('refuses an upload URL for more than the limit, and an inline file over its limit', async () => {
    const slot = await server.api('/files/uploads', { method: 'POST', token, body: { fileName: 'huge.pdf', contentType: 'application/pdf', size: 9 * 1024 * 1024 } });
    expectError(slot, 413, 'FILE_TOO_LARGE');
    const inline = await server.api('/files', { method: 'POST', token, body: { fileName: 'big.txt', contentType: 'text/plain', data: base64(Buffer.alloc(3 * 1024 * 1024, 'a')) } });
    expectError(inline, 413);
  });

  it('keeps a path-like file name to its last part', async () => {
    const response = await server.api('/files', { method: 'POST', token, body: { fileName: '../../etc/passwd.txt', contentType: 'text/plain', data: base64('root:x:0:0') } });
    expect(response.status).toBe(201);
    expect(response.json.fileName).toBe('passwd.txt');
  });
});
