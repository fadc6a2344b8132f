import type { ExtractedText, TextExtractor } from '../../domain/ports/text-extractor.js';
import { declaredFileType } from './detect-file-type.js';

/**
 * The TextExtractor of a function that takes files but reads none (the files function signs upload
 * URLs; the chat function reads texts already extracted). It accepts exactly what the document
 * readers accept, by name and declared type, and never loads them: reading is the file
 * processor's. A call to `extract` here is a wiring mistake, said as such.
 */
export class UploadTypeCheck implements TextExtractor {
  accepts(fileName: string, contentType: string): boolean {
    return declaredFileType(fileName, contentType) !== undefined;
  }

  extract(): Promise<ExtractedText> {
    return Promise.reject(
      new Error('This function was composed without the document readers: only the file processor and the local server read files.'),
    );
  }
}
