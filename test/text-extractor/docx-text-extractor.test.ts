import { describe, expect, it } from 'vitest';
import { inProcessReaders } from '../support/in-process-readers.js';
import { DocxTextExtractor } from '../../src/adapters/text-extractor/docx-text-extractor.js';
import { expectDomainError } from '../support/domain-error.js';
import { makeDocx, makeZip, utf8, WORD_XML } from './documents.js';

const extractor = new DocxTextExtractor({ readers: inProcessReaders });
const extract = (bytes: Uint8Array, fileName = 'doc.docx') => extractor.extract({ fileName, contentType: 'application/octet-stream', bytes });

describe('DocxTextExtractor', () => {
  it('keeps headings, paragraphs, list items and table cells apart, as Markdown', async () => {
    const bytes = await makeDocx({
      heading: 'Quarterly report',
      paragraphs: ['Sales went up.'],
      bullets: ['North region', 'South region'],
      table: [
        ['Region', 'Revenue'],
        ['North', '1,200'],
        ['South', '950 | est.'],
      ],
    });
    const { text, fileType } = await extract(bytes);
    expect(fileType).toBe('docx');
    expect(text).toBe(
      [
        '# Quarterly report',
        'Sales went up.',
        '- North region\n- South region',
        '| Region | Revenue |\n| --- | --- |\n| North | 1,200 |\n| South | 950 \\| est. |',
      ].join('\n\n'),
    );
  });

  it('keeps French, Arabic and emoji text', async () => {
    const { text } = await extract(await makeDocx({ paragraphs: ['Déjà l’été à Noël ?', 'مرحبا بالعالم', 'Fête 🎉🚀'] }));
    expect(text).toBe('Déjà l’été à Noël ?\n\nمرحبا بالعالم\n\nFête 🎉🚀');
  });

  it('reads a minimal Word zip made by hand', async () => {
    const bytes = makeZip([{ name: 'word/document.xml', data: utf8(WORD_XML) }]);
    expect((await extract(bytes)).text).toBe('Hello from a hand-made zip');
  });

  it('refuses a zip without a Word document inside (a renamed .xlsx, any zip)', async () => {
    const xlsx = makeZip([
      { name: '[Content_Types].xml', data: utf8('<Types/>') },
      { name: 'xl/workbook.xml', data: utf8('<workbook/>') },
    ]);
    const error = await expectDomainError(extract(xlsx, 'sheet.docx'), { kind: 'unsupported', code: 'NOT_A_WORD_DOCUMENT' });
    expect(error.message).toContain('"sheet.docx" is a zip archive but not a Word document');
    await expectDomainError(extract(makeZip([{ name: 'readme.txt', data: utf8('hello') }])), { kind: 'unsupported', code: 'NOT_A_WORD_DOCUMENT' });
  });

  it('refuses a damaged or truncated DOCX as unreadable', async () => {
    const good = await makeDocx({ paragraphs: ['Soon cut off.'] });
    await expectDomainError(extract(good.subarray(0, Math.floor(good.length / 2))), { kind: 'unreadable', code: 'DOCX_UNREADABLE' });
    await expectDomainError(extract(good.subarray(0, 60)), { kind: 'unreadable', code: 'DOCX_UNREADABLE' });
    const brokenXml = makeZip([
      { name: '[Content_Types].xml', data: utf8('<Types') },
      { name: 'word/document.xml', data: utf8('<w:document><w:body') },
    ]);
    await expectDomainError(extract(brokenXml), { kind: 'unreadable', code: 'DOCX_UNREADABLE' });
  });

  it('gives an empty document no text (the file service answers NO_TEXT)', async () => {
    expect((await extract(await makeDocx({}))).text).toBe('');
  });
});
