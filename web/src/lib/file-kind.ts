import { EXTENSIONS_BY_FILE_TYPE, FILE_TYPES } from '../../../src/contract/file-types';
import type { FileRules, FileType } from '../api/types';

/**
 * What kind of file a chip shows an icon for, from the server's type once it has read the file,
 * else from the name's extension (a file still uploading, or refused).
 */
export type FileKind = 'pdf' | 'word' | 'sheet' | 'code' | 'text' | 'json' | 'image' | 'other';

/** The server's `fileType` as a kind; a new file type fails to compile here until it has one. */
const BY_FILE_TYPE: Record<FileType, FileKind> = { pdf: 'pdf', docx: 'word', csv: 'sheet', code: 'code', text: 'text', markdown: 'text', json: 'json' };

/**
 * Names the server does not read, so that a refused file still shows what it is: the older
 * office formats, spreadsheets and images.
 */
const REFUSED_BY_EXTENSION: Record<string, FileKind> = {
  doc: 'word',
  odt: 'word',
  rtf: 'word',
  xlsx: 'sheet',
  xls: 'sheet',
  ods: 'sheet',
  png: 'image',
  jpg: 'image',
  jpeg: 'image',
  gif: 'image',
  webp: 'image',
  svg: 'image',
  bmp: 'image',
  tif: 'image',
  tiff: 'image',
  heic: 'image',
};

/** Every extension the server reads (the contract's own list), as the kind it reads it as, and the refused ones above. */
const BY_EXTENSION: Record<string, FileKind> = {
  ...REFUSED_BY_EXTENSION,
  ...Object.fromEntries(
    FILE_TYPES.flatMap((type) => EXTENSIONS_BY_FILE_TYPE[type].map((extension) => [extension, BY_FILE_TYPE[type]] as const)),
  ),
};

const isFileType = (value: string): value is FileType => (FILE_TYPES as readonly string[]).includes(value);

export function fileKind(fileName: string, fileType?: string): FileKind {
  if (fileType && isFileType(fileType)) return BY_FILE_TYPE[fileType];
  const extension = /\.([^./\\]+)$/.exec(fileName)?.[1]?.toLowerCase();
  return (extension && BY_EXTENSION[extension]) || 'other';
}

/**
 * What the file picker offers: the extensions the server reads (config.json's `files`, the server's
 * own list) and any `text/*` file, which it reads as text too. It checks again, by content. A
 * stack that does not say (older than the field) gets a picker that offers any file.
 */
export function acceptedFiles(rules: FileRules | undefined): string {
  if (!rules) return '';
  return [...Object.values(rules.extensions).flat().map((extension) => `.${extension}`), 'text/*'].join(',');
}

/** The files a suggestion asks for ("summarise a document"). */
export type FilePurpose = 'document' | 'code' | 'spreadsheet';

const TYPES_BY_PURPOSE: Record<FilePurpose, readonly FileType[]> = {
  document: ['pdf', 'docx', 'text', 'markdown'],
  code: ['code'],
  spreadsheet: ['csv'],
};

/** What the picker offers for a suggestion about one kind of file. */
export function acceptedFor(purpose: FilePurpose, rules: FileRules | undefined): string {
  if (!rules) return '';
  return TYPES_BY_PURPOSE[purpose].flatMap((type) => rules.extensions[type] ?? []).map((extension) => `.${extension}`).join(',');
}
