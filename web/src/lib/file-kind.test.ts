import { describe, expect, it } from 'vitest';
import { EXTENSIONS_BY_FILE_TYPE } from '../../../src/contract/file-types';
import type { FileRules } from '../api/types';
import { acceptedFiles, acceptedFor, fileKind } from './file-kind';

/** config.json's `files` as the server writes it: its own list of what it reads. */
const rules: FileRules = { maxInlineBytes: 4 * 1024 * 1024, extensions: EXTENSIONS_BY_FILE_TYPE };

describe('fileKind', () => {
  it('takes the server’s type once the file is read', () => {
    expect(fileKind('notes', 'markdown')).toBe('text');
    expect(fileKind('report.bin', 'pdf')).toBe('pdf');
    expect(fileKind('data.txt', 'csv')).toBe('sheet');
  });

  it('goes by the extension, whatever its case, before that (uploading, or refused)', () => {
    expect(fileKind('Contract.DOCX')).toBe('word');
    expect(fileKind('budget.xlsx')).toBe('sheet');
    expect(fileKind('main.rs')).toBe('code');
    expect(fileKind('config.json')).toBe('json');
    expect(fileKind('holiday.JPG')).toBe('image');
    expect(fileKind('README')).toBe('other');
    expect(fileKind('archive.tar.gz')).toBe('other');
  });

  it('shows every extension the server reads as the kind it reads it as', () => {
    for (const [type, extensions] of Object.entries(EXTENSIONS_BY_FILE_TYPE)) {
      for (const extension of extensions) expect(fileKind(`file.${extension}`), extension).toBe(fileKind('', type));
    }
    expect(fileKind('lib.dart')).toBe('code');
    expect(fileKind('export.TSV')).toBe('sheet');
  });

  it('offers in the picker every type the server reads, and text/* files', () => {
    const offered = acceptedFiles(rules).split(',');
    for (const extension of ['.pdf', '.docx', '.csv', '.tsv', '.txt', '.md', '.json', '.py', '.ts', '.vue', '.log', 'text/*']) {
      expect(offered).toContain(extension);
    }
    expect(offered).not.toContain('.xlsx');
  });

  it('offers the files a suggestion asks for', () => {
    expect(acceptedFor('spreadsheet', rules)).toBe('.csv,.tsv');
    expect(acceptedFor('document', rules).split(',')).toEqual(expect.arrayContaining(['.pdf', '.docx', '.txt', '.md']));
    expect(acceptedFor('code', rules).split(',')).toContain('.rs');
  });

  it('offers any file when the server does not say what it reads (a stack older than config.json `files`)', () => {
    expect(acceptedFiles(undefined)).toBe('');
    expect(acceptedFor('document', undefined)).toBe('');
  });
});
