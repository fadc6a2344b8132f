import type { DocumentReaders } from './document-readers.js';

/** In this thread, with no time limit: for tests, scripts, and callers that set their own. */
export const inProcessReaders: DocumentReaders = {
  // Imported on first use, so that loading the extractors does not load pdf.js or mammoth.
  readPdf: async (bytes, options) => (await import('./readers/read-pdf.mjs')).readPdf(bytes, options),
  readDocx: async (bytes) => (await import('./readers/read-docx.mjs')).readDocx(bytes),
};
