import { DomainError } from '../../domain/errors.js';
import type { FileType } from '../../domain/file-context.js';
import type { ExtractionInput } from '../../domain/ports/text-extractor.js';
import { sniffBytes } from './sniff-bytes.js';
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
 * What the bytes are comes from sniff-bytes.ts (the file-type library). A zip it cannot place is
 * given to the DOCX extractor, which reads the zip's directory once, for what it holds and for its
 * size limits; a zip it knows to be a workbook or a presentation is refused here, by name.
 */
export async function detectFileType(input: ExtractionInput): Promise<FileType> {
  const { bytes, fileName } = input;
  const sniffed = await sniffBytes(bytes);
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
    if (sniffed?.kind === 'word' || sniffed?.kind === 'zip') return 'docx';
    const hint = sniffed?.kind === 'legacy-office' ? 'Open it in Word and save it as .docx.' : SUPPORTED_TYPES_HINT;
    throw refuse('NOT_A_WORD_DOCUMENT', `"${fileName}" is named as a Word document, but it is ${sniffed?.what ?? 'not one'}. ${hint}`);
  }
  // Text of some kind from here on. Only a header at the very start counts: a text file may well
  // mention "%PDF-" in its first lines.
  if (sniffed?.kind === 'pdf' && !sniffed.pdfAfterJunk) {
    throw refuse('FILE_TYPE_MISMATCH', `"${fileName}" is a PDF document under a text file's name: rename it to .pdf and upload it again.`);
  }
  // The bytes decide, not the library's guess: text can begin the way an image or a video does.
  if (looksBinary(bytes)) throw notText(fileName, sniffed?.what);
  return declared;
}

export const notText = (fileName: string, what?: string): DomainError =>
  refuse('NOT_TEXT', `"${fileName}" is ${what ?? 'not a text file'}, whatever its name says. ${SUPPORTED_TYPES_HINT}`);
