import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { declaredFileType, detectFileType } from '../../src/adapters/text-extractor/detect-file-type.js';
import { DomainError } from '../../src/domain/errors.js';
import { makeDocx, makePdf, makeZip, utf8, WORD_XML } from './documents.js';

const ELF = Buffer.concat([Buffer.from('\x7fELF\x02\x01\x01\x00', 'latin1'), randomBytes(256)]);
const PE = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(56), randomBytes(256)]);
const MACH_O = Buffer.concat([Buffer.from([0xcf, 0xfa, 0xed, 0xfe]), randomBytes(256)]);
/** A PNG's signature, header chunk (IHDR, 1x1 pixel) and the start of its image data: what file-type reads. */
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from([0, 0, 0, 13]), Buffer.from('IHDR'), Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]), randomBytes(4),
  Buffer.from([0, 0, 1, 0]), Buffer.from('IDAT'), randomBytes(256),
]);
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);

/** An Excel workbook as file-type knows one: its [Content_Types].xml names the workbook's main part. */
const XLSX = makeZip([
  { name: '[Content_Types].xml', data: utf8('<Types><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>') },
  { name: 'xl/workbook.xml', data: utf8('<workbook/>') },
]);

const detect = (fileName: string, contentType: string, bytes: Uint8Array) => detectFileType({ fileName, contentType, bytes });

async function refusal(fileName: string, bytes: Uint8Array, contentType = 'application/octet-stream'): Promise<DomainError> {
  try {
    await detectFileType({ fileName, contentType, bytes });
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error(`${fileName} was not refused`);
}

describe('detectFileType', () => {
  it('reads a PDF, a Word zip and text by their bytes and names', async () => {
    expect(await detectFileType({ fileName: 'a.pdf', contentType: 'application/pdf', bytes: await makePdf(['Hi']) })).toBe('pdf');
    expect(await detectFileType({ fileName: 'a.docx', contentType: '', bytes: makeZip([{ name: 'word/document.xml', data: utf8(WORD_XML) }]) })).toBe('docx');
    expect(await detectFileType({ fileName: 'notes.md', contentType: 'text/markdown', bytes: utf8('# Notes\n\nÉté à Paris') })).toBe('markdown');
    expect(await detectFileType({ fileName: 'data.csv', contentType: 'text/csv', bytes: utf8('a,b\n1,2\n') })).toBe('csv');
    expect(await detectFileType({ fileName: 'run.sh', contentType: 'text/x-sh', bytes: utf8('#!/bin/sh\necho hi\n') })).toBe('code');
  });

  it('accepts a PDF header after some junk, within the first kilobyte', async () => {
    const pdf = Buffer.concat([Buffer.from('garbage from a mail gateway\r\n'), await makePdf(['Hi'])]);
    expect(await detectFileType({ fileName: 'a.pdf', contentType: 'application/pdf', bytes: pdf })).toBe('pdf');
  });

  it('refuses a program whatever it is named', async () => {
    for (const [name, bytes] of [['tool.pdf', ELF], ['setup.txt', PE], ['setup.docx', PE], ['app.csv', MACH_O]] as const) {
      expect(await refusal(name, bytes)).toMatchObject({ kind: 'unsupported', code: 'EXECUTABLE_FILE' });
    }
    expect((await refusal('setup.txt', PE)).message).toContain('Windows program');
  });

  it('lets a text file begin with "MZ" or a shebang', async () => {
    expect(await detectFileType({ fileName: 'memo.txt', contentType: 'text/plain', bytes: utf8('MZ Corp, annual report') })).toBe('text');
    expect(await detectFileType({ fileName: 'tool.py', contentType: '', bytes: utf8('#!/usr/bin/env python3\nprint(1)\n') })).toBe('code');
  });

  it('refuses a .pdf whose bytes are something else', async () => {
    expect(await refusal('noise.pdf', randomBytes(4096))).toMatchObject({ kind: 'unsupported', code: 'NOT_A_PDF' });
    expect((await refusal('photo.pdf', PNG)).message).toContain('PNG image');
    expect((await refusal('letter.pdf', makeZip([{ name: 'word/document.xml', data: utf8(WORD_XML) }]))).code).toBe('NOT_A_PDF');
  });

  it('refuses a .docx that is not a zip: a PDF, a legacy .doc, random bytes', async () => {
    expect(await refusal('report.docx', await makePdf(['Hi']))).toMatchObject({ kind: 'unsupported', code: 'NOT_A_WORD_DOCUMENT' });
    expect((await refusal('old.docx', OLE)).message).toContain('save it as .docx');
    expect((await refusal('noise.docx', randomBytes(512))).code).toBe('NOT_A_WORD_DOCUMENT');
  });

  it('reads a real Word file as DOCX, and refuses a workbook renamed .docx by what it is', async () => {
    expect(await detect('report.docx', '', await makeDocx({ paragraphs: ['Hi'] }))).toBe('docx');
    const error = await refusal('budget.docx', XLSX);
    expect(error).toMatchObject({ kind: 'unsupported', code: 'NOT_A_WORD_DOCUMENT' });
    expect(error.message).toContain('is an Excel workbook');
  });

  it('refuses binary bytes named as text, and says what they are when it knows', async () => {
    expect(await refusal('noise.txt', randomBytes(4096), 'text/plain')).toMatchObject({ kind: 'unsupported', code: 'NOT_TEXT' });
    expect((await refusal('image.txt', PNG, 'text/plain')).message).toContain('a PNG image');
    expect((await refusal('data.json', makeZip([{ name: 'a.txt', data: utf8('x') }]))).message).toContain('a zip archive');
    expect((await refusal('nul.md', utf8('hello\u0000world'))).code).toBe('NOT_TEXT');
  });

  it('reads text that begins the way a binary format does: the bytes decide, not the library\'s guess', async () => {
    // file-type calls these a bitmap, an MP3, an MPEG transport stream and MPEG audio (the UTF-16 BOM).
    expect(await detect('cars.txt', 'text/plain', utf8('BMW and Audi sales, by quarter.\n'))).toBe('text');
    expect(await detect('tags.md', '', utf8('ID3 tags hold an MP3\'s title.\n'))).toBe('markdown');
    expect(await detect('genes.csv', 'text/csv', utf8(`G${'x'.repeat(187)}G,more\n`))).toBe('csv');
    expect(await detect('notepad.txt', 'text/plain', Buffer.from('\ufeffUnicode from Notepad', 'utf16le'))).toBe('text');
  });

  it('refuses a PDF under a text name, and says to rename it (bytes and name disagree)', async () => {
    const error = await refusal('notes.txt', await makePdf(['Hi']), 'text/plain');
    expect(error).toMatchObject({ kind: 'unsupported', code: 'FILE_TYPE_MISMATCH' });
    expect(error.message).toContain('rename it to .pdf');
    // A text that merely mentions the header further down is text.
    expect(await detectFileType({ fileName: 'spec.md', contentType: '', bytes: utf8('A PDF starts with %PDF-1.7.') })).toBe('markdown');
  });

  it('refuses legacy Office files and images by name with UNSUPPORTED_FILE_TYPE', async () => {
    for (const name of ['old.doc', 'sheet.xls', 'deck.pptx', 'photo.png', 'scan.jpeg', 'book.xlsx']) {
      expect(await refusal(name, OLE, 'text/plain')).toMatchObject({ kind: 'unsupported', code: 'UNSUPPORTED_FILE_TYPE' });
    }
    expect((await refusal('old.doc', OLE)).message).toMatch(/PDF.*Word document \(\.docx\).*CSV/);
  });
});

describe('declaredFileType (what accepts() goes by, before any byte is seen)', () => {
  it('goes by the name first, then by the declared type', () => {
    expect(declaredFileType('report.PDF', '')).toBe('pdf');
    expect(declaredFileType('letter.docx', 'application/octet-stream')).toBe('docx');
    expect(declaredFileType('upload', 'application/pdf')).toBe('pdf');
    expect(declaredFileType('upload', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')).toBe('docx');
    expect(declaredFileType('table.tsv', '')).toBe('csv');
    expect(declaredFileType('export', 'text/csv; charset=utf-8')).toBe('csv');
    expect(declaredFileType('book.xlsx', 'text/plain')).toBeUndefined();
    expect(declaredFileType('setup.exe', 'application/octet-stream')).toBeUndefined();
    expect(declaredFileType('blob', 'application/octet-stream')).toBeUndefined();
  });

  it('finds no inherited member for a name like __proto__ or x.constructor: the declared type decides', async () => {
    for (const fileName of ['__proto__', 'x.constructor', 'a.toString', 'b.hasOwnProperty', 'c.valueOf', 'd.__proto__']) {
      expect(declaredFileType(fileName, 'application/octet-stream'), fileName).toBeUndefined();
      expect(declaredFileType(fileName, 'text/plain'), fileName).toBe('text');
      expect(await refusal(fileName, utf8('Some plain text.\n'))).toMatchObject({ kind: 'unsupported', code: 'UNSUPPORTED_FILE_TYPE' });
      expect(await detectFileType({ fileName, contentType: 'text/plain', bytes: utf8('Some plain text.\n') }), fileName).toBe('text');
    }
  });
});
