/**
 * What kind of file a chip shows an icon for, from the server's type once it has read the file,
 * else from the name's extension (a file still uploading, or refused).
 */
export type FileKind = 'pdf' | 'word' | 'sheet' | 'code' | 'text' | 'json' | 'image' | 'other';

const CODE_EXTENSIONS = ['js', 'mjs', 'cjs', 'ts', 'tsx', 'jsx', 'py', 'java', 'go', 'rs', 'rb', 'php', 'c', 'h', 'cpp', 'hpp', 'cs', 'swift', 'kt', 'scala', 'sh', 'sql', 'yaml', 'yml', 'toml', 'xml', 'html', 'css', 'vue'];

const BY_EXTENSION: Record<string, FileKind> = {
  pdf: 'pdf',
  docx: 'word',
  doc: 'word',
  odt: 'word',
  rtf: 'word',
  csv: 'sheet',
  tsv: 'sheet',
  xlsx: 'sheet',
  xls: 'sheet',
  ods: 'sheet',
  txt: 'text',
  md: 'text',
  markdown: 'text',
  log: 'text',
  json: 'json',
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
  ...Object.fromEntries(CODE_EXTENSIONS.map((extension) => [extension, 'code' as const])),
};

/** The server's `fileType` (text, markdown, json, code, csv, pdf, docx) as a kind. */
const BY_FILE_TYPE: Record<string, FileKind> = { pdf: 'pdf', docx: 'word', csv: 'sheet', code: 'code', text: 'text', markdown: 'text', json: 'json' };

export function fileKind(fileName: string, fileType?: string): FileKind {
  const known = fileType ? BY_FILE_TYPE[fileType] : undefined;
  if (known) return known;
  const extension = /\.([^./\\]+)$/.exec(fileName)?.[1]?.toLowerCase();
  return (extension && BY_EXTENSION[extension]) || 'other';
}

/** What the file picker offers: the types the server reads (it checks again, by content). */
export const ACCEPTED_FILES = `.pdf,.docx,.csv,.txt,.md,.markdown,.json,${CODE_EXTENSIONS.map((extension) => `.${extension}`).join(',')},.log,text/*`;

/** What the picker offers for a suggestion about one kind of file. */
export const ACCEPTED_BY_PURPOSE = {
  document: '.pdf,.docx,.txt,.md,.markdown',
  code: CODE_EXTENSIONS.map((extension) => `.${extension}`).join(','),
  spreadsheet: '.csv',
} as const;
