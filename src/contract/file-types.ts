/**
 * What the API reads, as plain data (no zod here: the SPA may import these values without pulling
 * a schema library into its first load).
 */

/** The kinds of file the API reads: `FileContext.fileType`. */
export const FILE_TYPES = ['text', 'markdown', 'json', 'code', 'csv', 'pdf', 'docx'] as const;
export type FileType = (typeof FILE_TYPES)[number];

/**
 * The extensions (lower case, no dot) the server reads as each kind. The name decides first; a
 * file whose extension is not here is still read as text when its declared type is `text/*` or a
 * JSON, XML, YAML or script type. The server checks the bytes either way (a PDF named `.txt` is refused).
 */
export const EXTENSIONS_BY_FILE_TYPE = {
  pdf: ['pdf'],
  docx: ['docx'],
  text: ['txt', 'text', 'log'],
  markdown: ['md', 'markdown'],
  json: ['json'],
  csv: ['csv', 'tsv'],
  code: [
    'ts', 'tsx', 'js', 'jsx', 'mjs', 'cjs', 'vue', 'svelte', 'py', 'rb', 'php', 'java', 'kt', 'kts', 'scala',
    'go', 'rs', 'c', 'h', 'cc', 'cpp', 'hpp', 'cs', 'swift', 'm', 'sh', 'bash', 'zsh', 'ps1', 'sql', 'r',
    'lua', 'pl', 'dart', 'ex', 'exs', 'erl', 'hs', 'clj', 'fs', 'tf', 'html', 'htm', 'css', 'scss', 'less',
    'xml', 'yaml', 'yml', 'toml', 'ini', 'cfg', 'conf', 'env', 'properties', 'gradle', 'proto', 'graphql',
    'dockerfile', 'makefile',
  ],
} as const satisfies Record<FileType, readonly string[]>;

/**
 * The largest file `POST /files` takes inline (base64 in JSON) when `MAX_INLINE_FILE_BYTES` is not
 * set: its base64 (a third larger) still fits the 6 MB a Lambda takes in one request. Larger files
 * go through `POST /files/uploads`.
 */
export const DEFAULT_MAX_INLINE_FILE_BYTES = 4 * 1024 * 1024;
