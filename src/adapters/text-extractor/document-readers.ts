import type { DocxReadResult } from './readers/read-docx.mjs';
import type { PdfReadResult } from './readers/read-pdf.mjs';

export type { DocxReadResult, PdfReadResult };

/**
 * The library calls behind the PDF and DOCX extractors (readers/*.mjs), run either in process or in
 * a worker thread with a time limit (WorkerReaders). The extractors around them own everything else:
 * limits, error messages, the layout of the text. The extractors are handed their readers rather
 * than importing one: a bundle of the worker path then holds neither pdf.js nor mammoth, which
 * only the worker's own bundle needs.
 */
export interface DocumentReaders {
  readPdf(bytes: Uint8Array, options: { maxPages: number }): Promise<PdfReadResult>;
  readDocx(bytes: Uint8Array): Promise<DocxReadResult>;
}
