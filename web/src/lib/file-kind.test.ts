import { describe, expect, it } from 'vitest';
import { ACCEPTED_FILES, fileKind } from './file-kind';

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

  it('offers in the picker every type the server reads', () => {
    for (const extension of ['.pdf', '.docx', '.csv', '.txt', '.md', '.json', '.py', '.ts', '.vue', '.log']) {
      expect(ACCEPTED_FILES.split(',')).toContain(extension);
    }
  });
});
