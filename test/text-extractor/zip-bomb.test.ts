import { createDeflateRaw } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { DocumentReaders } from '../../src/adapters/text-extractor/document-readers.js';
import { DocxTextExtractor } from '../../src/adapters/text-extractor/docx-text-extractor.js';
import { expectDomainError } from '../support/domain-error.js';
import { makeZip, utf8, WORD_XML, zip64Entry } from './documents.js';

const MiB = 1024 * 1024;

/** Readers that must never be reached: the refusal comes from the zip's directory alone. */
function untouchedReaders(): DocumentReaders & { calls: number } {
  const readers = {
    calls: 0,
    readPdf: () => Promise.reject(new Error('not a PDF')),
    readDocx: async () => {
      readers.calls += 1;
      return { outcome: 'ok' as const, html: '' };
    },
  };
  return readers;
}

/** `size` bytes of zeros, deflated a megabyte at a time: about 1 KB of output per MB. */
async function deflatedZeros(size: number): Promise<Uint8Array> {
  const deflate = createDeflateRaw({ level: 9 });
  const chunks: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise((resolve) => deflate.on('end', resolve));
  const zeros = Buffer.alloc(MiB);
  for (let written = 0; written < size; written += MiB) {
    if (!deflate.write(zeros)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await done;
  return Buffer.concat(chunks);
}

/** A zip whose entry holds already-deflated bytes that really expand to `size`. */
function zipOfDeflated(name: string, deflated: Uint8Array, size: number): Uint8Array {
  // makeZip deflates what it is given; store the deflated stream and then mark it as deflate instead.
  const zip = makeZip([{ name: 'word/document.xml', data: utf8(WORD_XML) }, { name, data: deflated, stored: true, declaredSize: size }]);
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  for (let at = 0; at + 4 <= zip.length; at++) {
    const signature = view.getUint32(at, true);
    if (signature === 0x04034b50 && view.getUint16(at + 8, true) === 0) view.setUint16(at + 8, 8, true);
    if (signature === 0x02014b50 && view.getUint16(at + 10, true) === 0) view.setUint16(at + 10, 8, true);
  }
  return zip;
}

describe('DOCX zip bomb protection', () => {
  it('refuses an entry that declares 3 GB, from the directory alone', async () => {
    const readers = untouchedReaders();
    const bomb = makeZip([
      { name: '[Content_Types].xml', data: utf8('<Types/>') },
      { name: 'word/document.xml', data: new Uint8Array(1), declaredSize: 3_000_000_000 },
    ]);
    const started = performance.now();
    const error = await expectDomainError(new DocxTextExtractor({ readers }).extract({ fileName: 'bomb.docx', contentType: '', bytes: bomb }), {
      kind: 'too_large',
      code: 'ARCHIVE_TOO_LARGE',
    });
    expect(performance.now() - started).toBeLessThan(100);
    expect(error.message).toBe('"bomb.docx" would expand to 2861.0 MB when opened; the limit is 100.0 MB, so it was not opened.');
    expect(readers.calls).toBe(0);
  });

  it('refuses an entry that declares 5 TB in a ZIP64 field', async () => {
    await expectDomainError(new DocxTextExtractor({ readers: untouchedReaders() }).extract({ fileName: 'big.docx', contentType: '', bytes: zip64Entry() }), {
      kind: 'too_large',
      code: 'ARCHIVE_TOO_LARGE',
    });
  });

  it('refuses 200 MB of zeros deflated to a few hundred KB, quickly and without inflating them', async () => {
    const size = 200 * MiB;
    const bomb = zipOfDeflated('word/media/zeros.bin', await deflatedZeros(size), size);
    expect(bomb.length).toBeLessThan(1 * MiB);
    const readers = untouchedReaders();
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    await expectDomainError(new DocxTextExtractor({ readers }).extract({ fileName: 'zeros.docx', contentType: '', bytes: bomb }), {
      kind: 'too_large',
      code: 'ARCHIVE_TOO_LARGE',
    });
    expect(performance.now() - started).toBeLessThan(100);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(50 * MiB);
    expect(readers.calls).toBe(0);
  });

  it('refuses an entry under the total limit whose compression ratio is absurd', async () => {
    const size = 40 * MiB;
    const bomb = zipOfDeflated('word/media/zeros.bin', await deflatedZeros(size), size);
    const error = await expectDomainError(new DocxTextExtractor({ readers: untouchedReaders() }).extract({ fileName: 'z.docx', contentType: '', bytes: bomb }), {
      kind: 'too_large',
      code: 'ARCHIVE_TOO_LARGE',
    });
    expect(error.message).toContain('compressed more than 200 to 1 ("word/media/zeros.bin")');
  });

  it('refuses a zip whose XML expands past the size it declares (a zip that lies)', async () => {
    const readers = untouchedReaders();
    const liar = makeZip([{ name: 'word/document.xml', data: utf8(WORD_XML + ' '.repeat(5 * MiB)), declaredSize: 1024 }]);
    const error = await expectDomainError(new DocxTextExtractor({ readers }).extract({ fileName: 'liar.docx', contentType: '', bytes: liar }), {
      kind: 'too_large',
      code: 'ARCHIVE_TOO_LARGE',
    });
    expect(error.message).toContain('expands to more than it declares ("word/document.xml")');
    expect(readers.calls).toBe(0);
  });

  it('refuses a zip of too many entries before reading them', async () => {
    const items = Array.from({ length: 20 }, (_, n) => ({ name: `word/part${n}.xml`, data: utf8('<x/>') }));
    const zip = makeZip([{ name: 'word/document.xml', data: utf8(WORD_XML) }, ...items]);
    const extractor = new DocxTextExtractor({ archive: { maxEntries: 10 }, readers: untouchedReaders() });
    const error = await expectDomainError(extractor.extract({ fileName: 'many.docx', contentType: '', bytes: zip }), { kind: 'too_large', code: 'ARCHIVE_TOO_LARGE' });
    expect(error.message).toContain('holds 21 files');
  });

  it('applies a configured limit on the expanded size', async () => {
    const zip = makeZip([{ name: 'word/document.xml', data: utf8(WORD_XML + ' '.repeat(4096)) }]);
    const extractor = new DocxTextExtractor({ archive: { maxExpandedBytes: 1024 }, readers: untouchedReaders() });
    await expectDomainError(extractor.extract({ fileName: 'a.docx', contentType: '', bytes: zip }), { kind: 'too_large', code: 'ARCHIVE_TOO_LARGE' });
  });
});
