import type { DocumentReaders } from '../../src/adapters/text-extractor/document-readers.js';

/**
 * The document readers in the test's own thread, with no time limit: the readers' tests call them
 * directly, without the worker thread production reads in (worker-readers.ts).
 */
export const inProcessReaders: DocumentReaders = {
  // Imported on first use, so that a test that never reads a PDF does not load pdf.js.
  readPdf: async (bytes, options) => (await import('../../src/adapters/text-extractor/readers/read-pdf.mjs')).readPdf(bytes, options),
  readDocx: async (bytes) => (await import('../../src/adapters/text-extractor/readers/read-docx.mjs')).readDocx(bytes),
};
