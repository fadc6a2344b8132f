import { DomainError } from '../../domain/errors.js';
import type { ExtractedText, ExtractionInput, TextExtractor } from '../../domain/ports/text-extractor.js';
import { declaredFileType } from './detect-file-type.js';
import type { DocumentReaders } from './document-readers.js';

export interface PdfOptions {
  maxPages: number;
  /** Where pdf.js runs: worker threads (DocumentTextExtractor) or in process (the readers' tests: test/support/in-process-readers.ts). */
  readers: DocumentReaders;
}

/**
 * A PDF's text layer, page by page (pdf-parse, on pdf.js). A document over the page limit is refused
 * once its pages are counted, before any is read. The parser is always destroyed (readers/read-pdf.mjs).
 */
export class PdfTextExtractor implements TextExtractor {
  constructor(private readonly options: PdfOptions) {}

  accepts(fileName: string, contentType: string): boolean {
    return declaredFileType(fileName, contentType) === 'pdf';
  }

  async extract(input: ExtractionInput): Promise<ExtractedText> {
    const { fileName } = input;
    const result = await this.options.readers.readPdf(input.bytes, { maxPages: this.options.maxPages });
    switch (result.outcome) {
      case 'too_many_pages':
        throw new DomainError(
          'too_large',
          'PDF_TOO_MANY_PAGES',
          `"${fileName}" has ${result.pageCount.toLocaleString('en')} pages; the limit is ${this.options.maxPages.toLocaleString('en')}. Split it and upload the parts you need.`,
        );
      case 'failed':
        if (result.reason === 'encrypted') {
          throw new DomainError('unreadable', 'PDF_ENCRYPTED', 'This PDF is password-protected: remove the password and upload it again.');
        }
        throw new DomainError(
          'unreadable',
          'PDF_UNREADABLE',
          `"${fileName}" could not be read as a PDF: it is damaged or incomplete. Open it and save (or print) it as a PDF again, then upload that.`,
        );
      case 'ok':
        return { text: joinPages(fileName, result.pageTexts), fileType: 'pdf', pages: result.pageTexts.length };
    }
  }
}

/**
 * Pages in order, each introduced by its number when there are several, so that a model can say
 * where it read something.
 */
function joinPages(fileName: string, pageTexts: string[]): string {
  const pages = pageTexts.map((text) => text.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim());
  if (pages.every((page) => page === '')) {
    throw new DomainError(
      'unreadable',
      'PDF_NO_TEXT',
      `"${fileName}" has no text to read: it looks like a scanned document or images only. Upload a PDF with selectable text (run it through OCR first).`,
    );
  }
  if (pages.length === 1) return pages[0]!;
  return pages.map((page, index) => `--- Page ${index + 1} of ${pages.length} ---\n${page}`).join('\n\n');
}
