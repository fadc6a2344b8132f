/** What the product knows about an uploaded file once its text is extracted. */

export type FileType = 'text' | 'markdown' | 'json' | 'code' | 'csv' | 'pdf' | 'docx';

export type FileStatus = 'uploading' | 'ready' | 'failed';

export interface FileContext {
  fileId: string;
  fileName: string;
  fileType: FileType;
  /** Bytes of the original file. */
  size: number;
  /** Characters of extracted text (0 until extracted). */
  charCount: number;
  status: FileStatus;
  uploadedAt: string;
  pages?: number;
  rows?: number;
  /** The extracted text was longer than the limit and was cut. */
  truncated?: boolean;
  error?: { code: string; message: string };
}

/** A FileContext as stored: where its bytes and text live, and a preview of the text. */
export interface FileRecord extends FileContext {
  userId: string;
  contentType: string;
  blobKey: string;
  textKey?: string;
  /** The first characters of the extracted text (a short preview kept in the item, so a list of files never reads S3). */
  preview?: string;
}

export const PREVIEW_LENGTH = 2000;

export function toFileContext(record: FileRecord): FileContext {
  const context: FileContext = {
    fileId: record.fileId,
    fileName: record.fileName,
    fileType: record.fileType,
    size: record.size,
    charCount: record.charCount,
    status: record.status,
    uploadedAt: record.uploadedAt,
  };
  if (record.pages !== undefined) context.pages = record.pages;
  if (record.rows !== undefined) context.rows = record.rows;
  if (record.truncated) context.truncated = true;
  if (record.error) context.error = record.error;
  return context;
}

/** The extracted text's name in a file's folder. */
const TEXT_NAME = 'text.txt';

/** The longest file name kept, in UTF-16 code units (what `String#length` counts). */
export const MAX_FILE_NAME_LENGTH = 255;

/**
 * The most UTF-8 bytes of a file name that go into its storage key. S3 takes 1024 bytes for a whole
 * key, but the embedded S3 (s3rver) writes each key's last part as a file name with a suffix of up to
 * 22 bytes (`._S3rver_metadata.json`), and file systems stop at 255 bytes: 200 fits every store.
 */
export const MAX_KEY_NAME_BYTES = 200;

/**
 * Storage keys: everything a user owns lives under their id, so one prefix deletes it all. An upload
 * that is itself named `text.txt` keeps its bytes under another name, so that its extracted
 * text does not overwrite them. A long name is cut shorter in the key than in the catalog.
 */
export const fileKeys = (userId: string, fileId: string, fileName: string) => {
  const keyName = cutText(fileName, MAX_KEY_NAME_BYTES, utf8Length);
  return {
    prefix: `${userId}/${fileId}/`,
    blob: `${userId}/${fileId}/${keyName === TEXT_NAME ? `original-${keyName}` : keyName}`,
    text: `${userId}/${fileId}/${TEXT_NAME}`,
  };
};

/** Half a surrogate pair: not text, and the S3 client throws URIError on it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A file name safe as an S3 key segment and in a prompt: no path, no control characters, no lone
 * surrogate (each becomes U+FFFD), and at most 255 UTF-16 units, cut between whole characters.
 */
export function sanitizeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[\u0000-\u001f\u007f]/g, '').replace(LONE_SURROGATE, '\uFFFD').trim();
  return cutText(cleaned, MAX_FILE_NAME_LENGTH);
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const utf8 = new TextEncoder();
const utf8Length = (text: string): number => utf8.encode(text).length;

/**
 * The longest start of `text` no larger than `max` (by `size`, UTF-16 units unless told), cut between
 * grapheme clusters so that no emoji, flag or accented letter is split. A single cluster larger than
 * `max` (a letter under hundreds of combining marks) is cut between code points instead.
 */
export function cutText(text: string, max: number, size: (part: string) => number = (part) => part.length): string {
  if (size(text) <= max) return text;
  let kept = '';
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const length = size(segment);
    if (used + length <= max) {
      kept += segment;
      used += length;
      continue;
    }
    if (kept === '') {
      for (const point of segment) {
        if (used + size(point) > max) break;
        kept += point;
        used += size(point);
      }
    }
    break;
  }
  return kept;
}
