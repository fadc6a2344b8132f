import type { ExtractedText, ExtractionInput, TextExtractor } from '../../domain/ports/text-extractor.js';
import { declaredFileType } from '../text-extractor/detect-file-type.js';

/**
 * The document readers (PDF, DOCX, CSV) loaded on the first extraction: only the file processor
 * extracts, so the other functions never load them. Whether a name and type are accepted is
 * decided without them.
 */
export class LazyTextExtractor implements TextExtractor {
  private extractor: Promise<TextExtractor> | undefined;

  constructor(private readonly load: () => Promise<TextExtractor>) {}

  accepts(fileName: string, contentType: string): boolean {
    return declaredFileType(fileName, contentType) !== undefined;
  }

  async extract(input: ExtractionInput): Promise<ExtractedText> {
    this.extractor ??= this.load().catch((error: unknown) => {
      this.extractor = undefined;
      throw error;
    });
    return (await this.extractor).extract(input);
  }
}
