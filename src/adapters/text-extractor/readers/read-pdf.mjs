/**
 * The one place that calls pdf-parse (pdf.js). Plain JavaScript so that it runs unchanged in the
 * extraction worker, where Node.js loads it without a TypeScript loader (see extraction-worker.mjs),
 * and in process. It answers with plain data, never throws for a bad PDF: an answer crosses the
 * worker boundary intact, where pdf.js's exception classes would not.
 */
import { installDomMatrixStandIn } from './dom-matrix-stand-in.mjs';

/**
 * As it loads, pdf.js looks for the native @napi-rs/canvas package and prints three "Warning:"
 * lines (console.warn) when it is absent, as in a Lambda bundle, which does not ship it. Text extraction
 * never renders, so those lines are noise in every cold start's log; only they are dropped, and
 * only while pdf.js loads (its verbosity cannot be set before its module runs).
 */
async function withoutCanvasWarnings(load) {
  const warn = console.warn;
  console.warn = (...args) => {
    if (typeof args[0] === 'string' && /^Warning: Cannot (load "@napi-rs\/canvas"|polyfill `(ImageData|Path2D|DOMMatrix)`)/.test(args[0])) return;
    warn(...args);
  };
  try {
    return await load();
  } finally {
    console.warn = warn;
  }
}

/** @returns {Promise<import('./read-pdf.d.mts').PdfReadResult>} */
export async function readPdf(bytes, { maxPages }) {
  installDomMatrixStandIn();
  // Loaded on first use: pdf.js is megabytes of code that only PDFs need.
  const { PDFParse, VerbosityLevel } = await withoutCanvasWarnings(() => import('pdf-parse'));
  const parser = new PDFParse({
    // A copy: pdf.js may transfer (detach) the buffer it is given, and the caller still needs its bytes.
    data: new Uint8Array(bytes),
    verbosity: VerbosityLevel.ERRORS,
    // pdf.js can compile font programs with eval; a hostile font then runs code (CVE-2024-4367).
    isEvalSupported: false,
  });
  try {
    // Page 0 does not exist: this loads the document and counts its pages without reading any,
    // so a document over the limit is refused before its pages are parsed.
    const { total } = await parser.getText({ partial: [0] });
    if (total > maxPages) return { outcome: 'too_many_pages', pageCount: total };
    const result = await parser.getText();
    return { outcome: 'ok', pageTexts: result.pages.map((page) => page.text) };
  } catch (error) {
    const reason = error?.name === 'PasswordException' ? 'encrypted' : 'unreadable';
    return { outcome: 'failed', reason, message: String(error?.message ?? error) };
  } finally {
    await parser.destroy();
  }
}
