import { describe, expect, it } from 'vitest';
import { readZipDirectory, ZipFormatError, ZipTooManyEntriesError } from '../../src/adapters/text-extractor/zip-directory.js';
import { makeDocx, makeZip, utf8, WORD_XML, zip64Entry } from './documents.js';

const read = (bytes: Uint8Array) => readZipDirectory(bytes, { maxEntries: 100 });
const names = async (bytes: Uint8Array) => (await read(bytes)).entries.map((entry) => entry.fileName);

describe('readZipDirectory', () => {
  it('lists the entries of a real DOCX with their declared sizes', async () => {
    const { entries } = await read(await makeDocx({ paragraphs: ['Hi'] }));
    const document = entries.find((entry) => entry.fileName === 'word/document.xml');
    expect(document).toMatchObject({ compressionMethod: 8, uncompressedSize: expect.any(Number), compressedSize: expect.any(Number) });
    expect(document!.uncompressedSize).toBeGreaterThan(document!.compressedSize);
  });

  it('reads 64-bit sizes from a ZIP64 extra field', async () => {
    expect((await read(zip64Entry())).entries[0]).toMatchObject({ fileName: 'word/document.xml', uncompressedSize: 5 * 1024 ** 4 });
  });

  it('finds the directory behind an archive comment', async () => {
    const zip = Buffer.from(makeZip([{ name: 'a.txt', data: utf8('a') }]));
    zip.writeUInt16LE(5, zip.length - 2);
    expect(await names(Buffer.concat([zip, Buffer.from('hello')]))).toEqual(['a.txt']);
  });

  it('says a zip is damaged when its directory is missing, cut or points outside the file', async () => {
    const zip = makeZip([{ name: 'a.txt', data: utf8('a') }]);
    await expect(read(zip.subarray(0, zip.length - 30))).rejects.toThrow(ZipFormatError);
    await expect(read(utf8('PK\u0003\u0004 not much else'))).rejects.toThrow(ZipFormatError);
    const wrongOffset = Buffer.from(zip);
    wrongOffset.writeUInt32LE(0x7fffffff, wrongOffset.length - 6);
    await expect(read(wrongOffset)).rejects.toThrow(ZipFormatError);
  });

  it('refuses more entries than allowed before reading any', async () => {
    const zip = makeZip(Array.from({ length: 5 }, (_, n) => ({ name: `${n}.txt`, data: utf8('x') })));
    await expect(readZipDirectory(zip, { maxEntries: 4 })).rejects.toThrow(ZipTooManyEntriesError);
  });
});

describe('expandsPastDeclaredSize', () => {
  it('is false for an honest entry, deflated or stored', async () => {
    const zip = makeZip([{ name: 'word/document.xml', data: utf8(WORD_XML) }, { name: 'stored.xml', data: utf8('<x/>'), stored: true }]);
    const directory = await read(zip);
    for (const entry of directory.entries) expect(await directory.expandsPastDeclaredSize(entry), entry.fileName).toBe(false);
  });

  it('is true for an entry that inflates past the size its directory declares, deflated or stored', async () => {
    const directory = await read(
      makeZip([
        { name: 'word/document.xml', data: utf8(WORD_XML + ' '.repeat(1 << 20)), declaredSize: 1024 },
        { name: 'word/styles.xml', data: utf8('<styles>'.repeat(1000)), declaredSize: 16, stored: true },
      ]),
    );
    for (const entry of directory.entries) expect(await directory.expandsPastDeclaredSize(entry), entry.fileName).toBe(true);
  });

  it('leaves damaged deflate data to the reader: it is damage, not a lie about sizes', async () => {
    const zip = Buffer.from(makeZip([{ name: 'word/document.xml', data: utf8(WORD_XML) }]));
    zip.fill(0xff, 30 + 'word/document.xml'.length, 30 + 'word/document.xml'.length + 8);
    const directory = await read(zip);
    expect(await directory.expandsPastDeclaredSize(directory.entries[0]!)).toBe(false);
  });
});
