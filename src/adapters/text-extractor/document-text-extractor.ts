import { DomainError } from '../../domain/errors.js';
import type { ExtractedText, ExtractionInput, TextExtractor } from '../../domain/ports/text-extractor.js';
import { CsvTextExtractor } from './csv-text-extractor.js';
import { declaredFileType, detectFileType } from './detect-file-type.js';
import { DocxTextExtractor } from './docx-text-extractor.js';
import { PdfTextExtractor } from './pdf-text-extractor.js';
import { PlainTextExtractor } from './plain-text-extractor.js';
import { WorkerReaders } from './worker-readers.js';

export interface DocumentExtractionOptions {
  maxPdfPages: number;
  maxCsvRows: number;
  /** What a DOCX (a zip) may add up to once decompressed. */
  maxArchiveExpandedBytes: number;
  /** How long reading one PDF or DOCX may take. */
  timeoutMs: number;
  /** Heap of the worker that reads a PDF or DOCX (default 512 MB). */
  maxWorkerHeapMb?: number;
  /** Where the worker script is, for a bundle that moves it (see worker-readers.ts). */
  workerUrl?: URL;
}

/**
 * The product's TextExtractor: detects what a file is from its name, declared type and bytes
 * (detect-file-type.ts), then hands it to the extractor for that type. PDF and DOCX, the formats
 * whose parsers can be made to spin or balloon, are read in a worker thread that is terminated at
 * the time limit. CSV and text are parsed here, in time linear in their size (itself limited), so
 * they need no such limit.
 */
export class DocumentTextExtractor implements TextExtractor {
  private readonly pdf: PdfTextExtractor;
  private readonly docx: DocxTextExtractor;
  private readonly csv: CsvTextExtractor;
  private readonly text = new PlainTextExtractor();

  constructor(options: DocumentExtractionOptions) {
    const readers = new WorkerReaders({
      timeoutMs: options.timeoutMs,
      maxHeapMb: options.maxWorkerHeapMb ?? 512,
      ...(options.workerUrl && { workerUrl: options.workerUrl }),
    });
    this.pdf = new PdfTextExtractor({ maxPages: options.maxPdfPages, readers });
    this.docx = new DocxTextExtractor({ archive: { maxExpandedBytes: options.maxArchiveExpandedBytes }, readers });
    this.csv = new CsvTextExtractor({ maxRows: options.maxCsvRows });
  }

  accepts(fileName: string, contentType: string): boolean {
    return declaredFileType(fileName, contentType) !== undefined;
  }

  async extract(input: ExtractionInput): Promise<ExtractedText> {
    if (input.bytes.length === 0) throw new DomainError('unreadable', 'FILE_EMPTY', 'The file is empty.');
    switch (await detectFileType(input)) {
      case 'pdf':
        return this.pdf.extract(input);
      case 'docx':
        return this.docx.extract(input);
      case 'csv':
        return this.csv.extract(input);
      default:
        return this.text.extract(input);
    }
  }
}
