import { DomainError } from '../../domain/errors.js';
import type { FileType } from '../../domain/file-context.js';
import type { ExtractionInput } from '../../domain/ports/text-extractor.js';
import { looksBinary } from './text-decoding.js';
import { extensionOf, textFileType } from './text-file-types.js';

const DOCX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/**
 * Formats people often try that we do not read. Listed so that a declared `text/plain` cannot make
 * them look like text before any byte is seen (`POST /files/uploads` only has the name and type).
 */
const REFUSED_EXTENSIONS = new Set([
  'doc', 'dot', 'xls', 'xlsx', 'xlsm', 'ppt', 'pptx', 'odt', 'ods', 'odp', 'rtf', 'pages', 'numbers', 'key',
  'png', 'jpg', 'jpeg', 'gif', 'webp', 'bmp', 'tif', 'tiff', 'heic', 'heif', 'svg', 'ico',
  'exe', 'dll', 'msi', 'bin', 'so', 'dylib', 'app', 'apk', 'dmg', 'iso', 'jar', 'class',
  'zip', 'gz', 'tgz', 'bz2', 'xz', '7z', 'rar', 'tar',
  'mp3', 'mp4', 'wav', 'mov', 'avi', 'mkv', 'flac', 'ogg', 'webm',
]);

/** The type a file claims by its name (first) and declared content type: what `accepts` goes by. */
export function declaredFileType(fileName: string, contentType: string): FileType | undefined {
  const extension = extensionOf(fileName);
  if (extension === 'pdf') return 'pdf';
  if (extension === 'docx') return 'docx';
  if (REFUSED_EXTENSIONS.has(extension)) return undefined;
  const text = textFileType(fileName, contentType);
  if (text) return text;
  const type = contentType.toLowerCase().split(';')[0]!.trim();
  if (type === 'application/pdf') return 'pdf';
  if (type === DOCX_CONTENT_TYPE) return 'docx';
  return undefined;
}

interface Signature {
  kind: 'executable' | 'pdf' | 'zip' | 'legacy-office' | 'image';
  /** What the bytes are, in a person's words, for the refusal message. */
  what: string;
  matches: (bytes: Uint8Array) => boolean;
}

const at = (bytes: Uint8Array, offset: number, expected: readonly number[] | string): boolean => {
  const values = typeof expected === 'string' ? [...expected].map((char) => char.charCodeAt(0)) : expected;
  return values.every((value, index) => bytes[offset + index] === value);
};

/** Where the `%PDF-` header may sit: readers accept junk before it within the first kilobyte. */
const PDF_HEADER_WINDOW = 1024;

export function pdfHeaderOffset(bytes: Uint8Array): number {
  const limit = Math.min(bytes.length, PDF_HEADER_WINDOW) - 5;
  for (let offset = 0; offset <= limit; offset++) {
    if (at(bytes, offset, '%PDF-')) return offset;
  }
  return -1;
}

const SIGNATURES: Signature[] = [
  // "MZ" alone could begin a sentence; a DOS/PE header is followed by NUL bytes, which text never holds.
  { kind: 'executable', what: 'a Windows program', matches: (b) => at(b, 0, 'MZ') && (b.length <= 2 || b.subarray(2, 64).includes(0)) },
  { kind: 'executable', what: 'a Linux program', matches: (b) => at(b, 0, [0x7f, 0x45, 0x4c, 0x46]) },
  {
    kind: 'executable',
    what: 'a macOS program',
    matches: (b) => [[0xfe, 0xed, 0xfa, 0xce], [0xfe, 0xed, 0xfa, 0xcf], [0xce, 0xfa, 0xed, 0xfe], [0xcf, 0xfa, 0xed, 0xfe], [0xca, 0xfe, 0xba, 0xbe]].some((magic) => at(b, 0, magic)),
  },
  { kind: 'pdf', what: 'a PDF document', matches: (b) => pdfHeaderOffset(b) >= 0 },
  { kind: 'zip', what: 'a zip archive', matches: (b) => at(b, 0, [0x50, 0x4b, 0x03, 0x04]) },
  { kind: 'legacy-office', what: 'an older Office file (.doc, .xls or .ppt)', matches: (b) => at(b, 0, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) },
  { kind: 'image', what: 'a PNG image', matches: (b) => at(b, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { kind: 'image', what: 'a JPEG image', matches: (b) => at(b, 0, [0xff, 0xd8, 0xff]) },
  { kind: 'image', what: 'a GIF image', matches: (b) => at(b, 0, 'GIF87a') || at(b, 0, 'GIF89a') },
  { kind: 'image', what: 'a WebP image', matches: (b) => at(b, 0, 'RIFF') && at(b, 8, 'WEBP') },
  { kind: 'image', what: 'a TIFF image', matches: (b) => at(b, 0, [0x49, 0x49, 0x2a, 0x00]) || at(b, 0, [0x4d, 0x4d, 0x00, 0x2a]) },
];

/** What the first bytes say a file is, whatever its name says; undefined for anything else. */
export function sniffBytes(bytes: Uint8Array): Signature | undefined {
  return SIGNATURES.find((signature) => signature.matches(bytes));
}

const refuse = (code: string, message: string) => new DomainError('unsupported', code, message);

export const SUPPORTED_TYPES_HINT = 'Upload a PDF, a Word document (.docx), a CSV, text, Markdown, JSON or source code file.';

export const unsupportedFileType = (fileName: string): DomainError =>
  refuse('UNSUPPORTED_FILE_TYPE', `"${fileName}" is not a supported file type. ${SUPPORTED_TYPES_HINT}`);

/**
 * The type to read a file as, once the name, the declared type and the bytes agree; refused
 * (415) when they do not. A program is refused whatever it is called. Bytes of a PDF under a text
 * name are refused rather than read as a PDF: the name is what the person believes they sent, and
 * a disguised file is exactly what this check is for; the message says how to fix it.
 *
 * What a zip holds (a Word document or something else) is the DOCX extractor's business: it reads
 * the zip's directory once, for that and for its size limits.
 */
export function detectFileType(input: ExtractionInput): FileType {
  const { bytes, fileName } = input;
  const sniffed = sniffBytes(bytes);
  if (sniffed?.kind === 'executable') {
    throw refuse('EXECUTABLE_FILE', `"${fileName}" is ${sniffed.what}, not a document: programs cannot be uploaded.`);
  }
  const declared = declaredFileType(fileName, input.contentType);
  if (!declared) throw unsupportedFileType(fileName);

  if (declared === 'pdf') {
    if (sniffed?.kind === 'pdf') return 'pdf';
    throw refuse('NOT_A_PDF', `"${fileName}" is named as a PDF, but it is ${sniffed?.what ?? 'not one'}. ${SUPPORTED_TYPES_HINT}`);
  }
  if (declared === 'docx') {
    if (sniffed?.kind === 'zip') return 'docx';
    const hint = sniffed?.kind === 'legacy-office' ? 'Open it in Word and save it as .docx.' : SUPPORTED_TYPES_HINT;
    throw refuse('NOT_A_WORD_DOCUMENT', `"${fileName}" is named as a Word document, but it is ${sniffed?.what ?? 'not one'}. ${hint}`);
  }
  // Text of some kind from here on. Only a header at the very start counts: a text file may well
  // mention "%PDF-" in its first lines.
  if (sniffed?.kind === 'pdf' && pdfHeaderOffset(bytes) === 0) {
    throw refuse('FILE_TYPE_MISMATCH', `"${fileName}" is a PDF document under a text file's name: rename it to .pdf and upload it again.`);
  }
  if ((sniffed && sniffed.kind !== 'pdf') || looksBinary(bytes)) throw notText(fileName, sniffed?.what);
  return declared;
}

export const notText = (fileName: string, what?: string): DomainError =>
  refuse('NOT_TEXT', `"${fileName}" is ${what ?? 'not a text file'}, whatever its name says. ${SUPPORTED_TYPES_HINT}`);
