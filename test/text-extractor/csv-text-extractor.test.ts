import { describe, expect, it } from 'vitest';
import { sniffDelimiter } from '../../src/adapters/text-extractor/csv-format.js';
import { CsvTextExtractor } from '../../src/adapters/text-extractor/csv-text-extractor.js';
import { expectDomainError } from '../support/domain-error.js';
import { utf8 } from './documents.js';

const extractor = new CsvTextExtractor({ maxRows: 1000 });
const extract = (csv: string | Uint8Array, fileName = 'data.csv') =>
  extractor.extract({ fileName, contentType: 'text/csv', bytes: typeof csv === 'string' ? utf8(csv) : csv });

describe('CsvTextExtractor', () => {
  it('writes a summary, the header and one line per row, cells separated by " | "', async () => {
    const result = await extract('name,city\nAlice,Paris\nBob,Lyon\n');
    expect(result).toEqual({
      fileType: 'csv',
      rows: 2,
      text: 'CSV with 2 rows and 2 columns: name, city\n\nname | city\nAlice | Paris\nBob | Lyon',
    });
  });

  it('keeps quoted commas, doubled quotes and line breaks inside a cell, escaping | and line breaks', async () => {
    const csv = 'id,address,quote\r\n1,"12 rue de la Paix, Paris","She said ""oui"" | twice"\r\n2,"line one\r\nline two",x\r\n';
    const { text, rows } = await extract(csv);
    expect(rows).toBe(2);
    expect(text.split('\n').slice(2)).toEqual([
      'id | address | quote',
      '1 | 12 rue de la Paix, Paris | She said "oui" \\| twice',
      '2 | line one\\nline two | x',
    ]);
  });

  it('drops a BOM and keeps non-ASCII text (French, Arabic, emoji)', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('prénom,mot\nZoé,مرحبا 👋\n')]);
    const { text } = await extract(bytes);
    expect(text).toContain('CSV with 1 row and 2 columns: prénom, mot');
    expect(text).toContain('Zoé | مرحبا 👋');
    expect(text).not.toContain('\ufeff');
  });

  it('reads ; and tab delimited files (European spreadsheets, TSV)', async () => {
    expect((await extract('nom;prix\nCafé;2,50\nThé;3,00\n')).text).toContain('Café | 2,50');
    expect((await extract('a\tb\n1\t2\n', 'data.tsv')).text).toContain('1 | 2');
  });

  it('reads a Windows-1252 export from Excel with its accents', async () => {
    const bytes = Buffer.from('nom;ville\nRené;Orléans\n', 'latin1');
    expect((await extract(bytes)).text).toContain('René | Orléans');
  });

  it('takes rows of uneven length and a stray quote inside a field', async () => {
    const { text, rows } = await extract('a,b,c\n1,2\n3,4,5,6\n7,37°36\'37.8"N,9\n');
    expect(rows).toBe(3);
    expect(text).toContain('CSV with 3 rows and 4 columns');
    expect(text).toContain('7 | 37°36\'37.8"N | 9');
  });

  it('refuses more rows than the limit, without reading them all', async () => {
    const csv = ['a,b', ...Array.from({ length: 1001 }, (_, n) => `${n},x`)].join('\n');
    const error = await expectDomainError(extract(csv), { kind: 'too_large', code: 'CSV_TOO_MANY_ROWS' });
    expect(error.message).toContain('1,000 rows');
    expect((await extract(['a,b', ...Array.from({ length: 1000 }, (_, n) => `${n},x`)].join('\n'))).rows).toBe(1000);
  });

  it('leaves out blank records, which neither count as rows nor hide rows over the limit', async () => {
    expect((await extract('a,b\n1,2\n,\n\n3,4\n,,\n')).rows).toBe(2);
    const csv = ['a,b', ...Array.from({ length: 1001 }, (_, n) => `${n},x\n,`)].join('\n');
    await expectDomainError(extract(csv), { kind: 'too_large', code: 'CSV_TOO_MANY_ROWS' });
  });

  it('refuses an unclosed quote as unreadable, saying where', async () => {
    const error = await expectDomainError(extract('a,b\n"1,2\n3,4\n'), { kind: 'unreadable', code: 'CSV_UNREADABLE' });
    expect(error.message).toMatch(/never closed.*line/);
  });

  it('refuses a CSV with no rows at all', async () => {
    await expectDomainError(extract('\n\n\r\n'), { kind: 'unreadable', code: 'NO_TEXT' });
  });

  it('counts a header-only CSV as zero rows', async () => {
    expect(await extract('a,b,c\n')).toMatchObject({ rows: 0, text: 'CSV with 0 rows and 3 columns: a, b, c\n\na | b | c' });
  });
});

describe('sniffDelimiter', () => {
  it('prefers the candidate that is consistent line after line, outside quotes', () => {
    expect(sniffDelimiter('a,b,c\n1,2,3\n')).toBe(',');
    expect(sniffDelimiter('a;b\n"1,5";"2,5"\n')).toBe(';');
    expect(sniffDelimiter('a|b\n1|2\n')).toBe('|');
    expect(sniffDelimiter('just one column of words\nand another line\n')).toBe(',');
  });
});
