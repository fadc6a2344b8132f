import { passwordProtectedPdf } from '../support/pdf-fixtures.js';
import { describe, expect, it } from 'vitest';
import { inProcessReaders } from '../support/in-process-readers.js';
import { PdfTextExtractor } from '../../src/adapters/text-extractor/pdf-text-extractor.js';
import { expectDomainError } from '../support/domain-error.js';
import { makeBlankPdf, makePdf, squash } from './documents.js';

const extractor = new PdfTextExtractor({ maxPages: 10, readers: inProcessReaders });
const extract = (bytes: Uint8Array, fileName = 'doc.pdf') => extractor.extract({ fileName, contentType: 'application/pdf', bytes });

describe('PdfTextExtractor', () => {
  it('reads every page in order, counts them and marks where each begins', async () => {
    const pdf = await makePdf(['First page: the introduction.', 'Second page: the method.', 'Third page: the results.']);
    const result = await extract(pdf);
    expect(result.pages).toBe(3);
    expect(result.fileType).toBe('pdf');
    const text = squash(result.text);
    expect(text).toContain('--- Page 1 of 3 --- First page: the introduction.');
    expect(text).toContain('--- Page 2 of 3 --- Second page: the method.');
    expect(text.indexOf('the method')).toBeLessThan(text.indexOf('the results'));
  });

  it('keeps French accents, ligatures and the euro sign', async () => {
    const result = await extract(await makePdf(['Été à Orléans : un cœur déçu, 12 € la nuitée.\nÇa ira, Noël approche.']));
    expect(result.pages).toBe(1);
    expect(squash(result.text)).toContain('Été à Orléans : un cœur déçu, 12 € la nuitée.');
    expect(result.text).toContain('Ça ira, Noël approche.');
  });

  it('does not mark pages in a one-page document', async () => {
    expect((await extract(await makePdf(['Only page.']))).text).toBe('Only page.');
  });

  it('refuses a document over the page limit, saying how many pages it has', async () => {
    const pdf = await makePdf(Array.from({ length: 12 }, (_, n) => `Page ${n + 1}`));
    const error = await expectDomainError(extract(pdf, 'long.pdf'), { kind: 'too_large', code: 'PDF_TOO_MANY_PAGES' });
    expect(error.message).toBe('"long.pdf" has 12 pages; the limit is 10. Split it and upload the parts you need.');
  });

  it('refuses a password-protected PDF with a message that says what to do', async () => {
    const locked = passwordProtectedPdf();
    const error = await expectDomainError(extract(locked), { kind: 'unreadable', code: 'PDF_ENCRYPTED' });
    expect(error.message).toBe('This PDF is password-protected: remove the password and upload it again.');
  });

  it('refuses a truncated or corrupt PDF as unreadable', async () => {
    const pdf = await makePdf(['Some text that will be cut off.', 'More.']);
    await expectDomainError(extract(pdf.subarray(0, Math.floor(pdf.length / 2))), { kind: 'unreadable', code: 'PDF_UNREADABLE' });
    await expectDomainError(extract(new TextEncoder().encode('%PDF-1.7\n')), { kind: 'unreadable', code: 'PDF_UNREADABLE' });
  });

  it('says so when a PDF has no text layer (a scan)', async () => {
    const error = await expectDomainError(extract(await makeBlankPdf(2), 'scan.pdf'), { kind: 'unreadable', code: 'PDF_NO_TEXT' });
    expect(error.message).toContain('scanned');
  });

  it('leaves the caller\'s bytes intact (pdf.js may detach what it is given)', async () => {
    const pdf = await makePdf(['Keep me.']);
    const copy = pdf.slice();
    await extract(pdf);
    expect(pdf).toEqual(copy);
  });
});
