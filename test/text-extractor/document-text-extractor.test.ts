import { describe, expect, it } from 'vitest';
import { DocumentTextExtractor } from '../../src/adapters/text-extractor/document-text-extractor.js';
import { expectDomainError } from '../support/domain-error.js';
import { makeDocx, makePdf, utf8 } from './documents.js';

const limits = { maxPdfPages: 5, maxCsvRows: 10, maxArchiveExpandedBytes: 1024 * 1024, timeoutMs: 20_000 };
const extractor = new DocumentTextExtractor(limits);
const extract = (fileName: string, bytes: Uint8Array, contentType = 'application/octet-stream') => extractor.extract({ fileName, contentType, bytes });

describe('DocumentTextExtractor', () => {
  it('accepts by name and declared type, before any byte is seen', () => {
    for (const [name, type] of [['a.pdf', ''], ['a.docx', ''], ['a.csv', ''], ['a.md', ''], ['main.go', ''], ['upload', 'application/pdf']]) {
      expect(extractor.accepts(name!, type!), name).toBe(true);
    }
    for (const [name, type] of [['a.doc', 'application/msword'], ['a.xls', ''], ['a.png', 'image/png'], ['a.exe', ''], ['upload', 'application/octet-stream']]) {
      expect(extractor.accepts(name!, type!), name).toBe(false);
    }
  });

  it('reads a PDF and a DOCX in a worker thread, and CSV and text here', async () => {
    expect(await extract('a.pdf', await makePdf(['Page one.', 'Page two.']))).toMatchObject({ fileType: 'pdf', pages: 2 });
    expect(await extract('a.docx', await makeDocx({ paragraphs: ['Bonjour'] }))).toEqual({ fileType: 'docx', text: 'Bonjour' });
    expect(await extract('a.csv', utf8('x,y\n1,2\n'))).toMatchObject({ fileType: 'csv', rows: 1 });
    expect(await extract('a.json', utf8('{"a":1}'))).toEqual({ fileType: 'json', text: '{\n  "a": 1\n}' });
  });

  it('applies its limits: pages, rows, expanded size', async () => {
    await expectDomainError(extract('long.pdf', await makePdf(['1', '2', '3', '4', '5', '6'])), { kind: 'too_large', code: 'PDF_TOO_MANY_PAGES' });
    await expectDomainError(extract('rows.csv', utf8(['a', ...Array.from({ length: 11 }, (_, n) => String(n))].join('\n'))), { kind: 'too_large', code: 'CSV_TOO_MANY_ROWS' });
    const big = await makeDocx({ paragraphs: Array.from({ length: 2000 }, () => 'x'.repeat(600)) });
    await expectDomainError(extract('big.docx', big), { kind: 'too_large', code: 'ARCHIVE_TOO_LARGE' });
  });

  it('maps the worker\'s answers to the same errors as in process', async () => {
    const pdf = await makePdf(['Cut short.']);
    await expectDomainError(extract('cut.pdf', pdf.subarray(0, pdf.length >> 1)), { kind: 'unreadable', code: 'PDF_UNREADABLE' });
  });

  it('stops a reader that spins at the time limit, by terminating its thread', async () => {
    const stuck = new DocumentTextExtractor({ ...limits, timeoutMs: 300, workerUrl: new URL('./spinning-worker.mjs', import.meta.url) });
    const started = performance.now();
    const error = await expectDomainError(stuck.extract({ fileName: 'hostile.pdf', contentType: 'application/pdf', bytes: await makePdf(['Hi']) }), {
      kind: 'unreadable',
      code: 'EXTRACTION_TIMEOUT',
    });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(error.message).toBe(
      'Reading this file took longer than 0.3 s, so it was stopped. It may be damaged or unusually complex: save it again (or print it to PDF), or split it, and upload it again.',
    );
    // The next file is read normally: nothing is left behind.
    expect((await extract('after.pdf', await makePdf(['After.']))).text).toBe('After.');
  });

  it('times out even before the worker has started', async () => {
    const hurried = new DocumentTextExtractor({ ...limits, timeoutMs: 1 });
    await expectDomainError(hurried.extract({ fileName: 'a.docx', contentType: '', bytes: await makeDocx({ paragraphs: ['Hi'] }) }), {
      kind: 'unreadable',
      code: 'EXTRACTION_TIMEOUT',
    });
  });

  it('refuses an empty file, and detects a disguised one before reading it', async () => {
    await expectDomainError(extract('empty.pdf', new Uint8Array()), { kind: 'unreadable', code: 'FILE_EMPTY' });
    await expectDomainError(extract('report.docx', await makePdf(['Hi'])), { kind: 'unsupported', code: 'NOT_A_WORD_DOCUMENT' });
    await expectDomainError(extract('notes.txt', await makePdf(['Hi']), 'text/plain'), { kind: 'unsupported', code: 'FILE_TYPE_MISMATCH' });
  });
});
