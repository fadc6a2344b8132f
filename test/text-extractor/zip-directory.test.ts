import { describe, expect, it } from 'vitest';
import { readZipDirectory, ZipFormatError, ZipTooManyEntriesError } from '../../src/adapters/text-extractor/zip-directory.js';
import { makeDocx, makeZip, utf8, zip64Entry } from './documents.js';

const read = (bytes: Uint8Array) => readZipDirectory(bytes, { maxEntries: 100 });

describe('readZipDirectory', () => {
  it('lists the entries of a real DOCX with their declared sizes', async () => {
    const entries = read(await makeDocx({ paragraphs: ['Hi'] }));
    const document = entries.find((entry) => entry.name === 'word/document.xml');
    expect(document).toMatchObject({ method: 8, uncompressedSize: expect.any(Number), compressedSize: expect.any(Number) });
    expect(document!.uncompressedSize).toBeGreaterThan(document!.compressedSize);
  });

  it('reads 64-bit sizes from a ZIP64 extra field', () => {
    expect(read(zip64Entry())[0]).toMatchObject({ name: 'word/document.xml', uncompressedSize: 5 * 1024 ** 4 });
  });

  it('finds the directory behind an archive comment', () => {
    const zip = Buffer.from(makeZip([{ name: 'a.txt', data: utf8('a') }]));
    zip.writeUInt16LE(5, zip.length - 2);
    expect(read(Buffer.concat([zip, Buffer.from('hello')])).map((entry) => entry.name)).toEqual(['a.txt']);
  });

  it('says a zip is damaged when its directory is missing, cut or points outside the file', () => {
    const zip = makeZip([{ name: 'a.txt', data: utf8('a') }]);
    expect(() => read(zip.subarray(0, zip.length - 30))).toThrow(ZipFormatError);
    expect(() => read(utf8('PK\u0003\u0004 not much else'))).toThrow(ZipFormatError);
    const wrongOffset = Buffer.from(zip);
    wrongOffset.writeUInt32LE(0x7fffffff, wrongOffset.length - 6);
    expect(() => read(wrongOffset)).toThrow(ZipFormatError);
  });

  it('refuses more entries than allowed before reading any', () => {
    const zip = makeZip(Array.from({ length: 5 }, (_, n) => ({ name: `${n}.txt`, data: utf8('x') })));
    expect(() => readZipDirectory(zip, { maxEntries: 4 })).toThrow(ZipTooManyEntriesError);
  });
});
