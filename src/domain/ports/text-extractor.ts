import type { FileType } from '../file-context.js';

export interface ExtractionInput {
  bytes: Uint8Array;
  fileName: string;
  contentType: string;
}

export interface ExtractedText {
  text: string;
  fileType: FileType;
  pages?: number;
  rows?: number;
}

/**
 * Bytes to text, once per file. An unsupported type throws DomainError `unsupported`;
 * a file of a supported type that cannot be read throws DomainError `unreadable`.
 */
export interface TextExtractor {
  /** Whether a file of this name and declared type is worth uploading (checked before any bytes move). */
  accepts(fileName: string, contentType: string): boolean;
  extract(input: ExtractionInput): Promise<ExtractedText>;
}
