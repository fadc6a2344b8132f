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

/**
 * Storage keys: everything a user owns lives under their id, so one prefix deletes it all. An upload
 * that is itself named `text.txt` keeps its bytes under another name, so that its extracted
 * text does not overwrite them.
 */
export const fileKeys = (userId: string, fileId: string, fileName: string) => ({
  prefix: `${userId}/${fileId}/`,
  blob: `${userId}/${fileId}/${fileName === TEXT_NAME ? `original-${fileName}` : fileName}`,
  text: `${userId}/${fileId}/${TEXT_NAME}`,
});

/** A file name safe as an S3 key segment and in a prompt: no path, no control characters. */
export function sanitizeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return cleaned.slice(0, 255);
}
