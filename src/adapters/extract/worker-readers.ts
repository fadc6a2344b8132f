import { Worker } from 'node:worker_threads';
import { DomainError } from '../../domain/errors.js';
import type { DocumentReaders, DocxReadResult, PdfReadResult } from './document-readers.js';

export interface WorkerReaderOptions {
  /** A document still being read after this long is abandoned and its worker terminated. */
  timeoutMs: number;
  /** The worker's own heap limit: a document that needs more fails alone, not the server. */
  maxHeapMb: number;
  /**
   * The worker script. By default the one beside this module; a bundle that places it elsewhere
   * (its own entry point, bundled with pdf.js) passes its URL.
   */
  workerUrl?: URL;
}

const DEFAULT_WORKER_URL = new URL('./readers/extraction-worker.mjs', import.meta.url);

type Job = { kind: 'pdf'; bytes: Uint8Array; options: { maxPages: number } } | { kind: 'docx'; bytes: Uint8Array };

/**
 * Runs each read in a fresh worker thread: the only limit that holds when pdf.js spins inside a
 * synchronous loop is terminating the thread it spins in. A new worker per document costs tens of
 * milliseconds, small next to reading a document, and nothing from one document survives into the
 * next. The bytes are copied to the worker, not transferred: the caller still stores them.
 */
export class WorkerReaders implements DocumentReaders {
  constructor(private readonly options: WorkerReaderOptions) {}

  readPdf(bytes: Uint8Array, options: { maxPages: number }): Promise<PdfReadResult> {
    return this.run<PdfReadResult>({ kind: 'pdf', bytes, options });
  }

  readDocx(bytes: Uint8Array): Promise<DocxReadResult> {
    return this.run<DocxReadResult>({ kind: 'docx', bytes });
  }

  private run<T>(job: Job): Promise<T> {
    const { timeoutMs, maxHeapMb, workerUrl = DEFAULT_WORKER_URL } = this.options;
    return new Promise<T>((resolve, reject) => {
      const worker = new Worker(workerUrl, { resourceLimits: { maxOldGenerationSizeMb: maxHeapMb } });
      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        void worker.terminate();
        outcome();
      };
      const timer = setTimeout(() => settle(() => reject(timedOut(timeoutMs))), timeoutMs);
      worker.once('message', (result: T) => settle(() => resolve(result)));
      worker.once('error', (error) => settle(() => reject(workerFailed(error, maxHeapMb))));
      worker.once('exit', (code) => settle(() => reject(new Error(`The extraction worker exited (code ${code}) without an answer.`))));
      worker.postMessage(job);
    });
  }
}

const timedOut = (timeoutMs: number) =>
  new DomainError(
    'unreadable',
    'EXTRACTION_TIMEOUT',
    `Reading this file took longer than ${Math.round(timeoutMs / 100) / 10} s, so it was stopped. It may be damaged or unusually complex: save it again (or print it to PDF), or split it, and upload it again.`,
  );

/** Running out of the worker's heap is the document's doing; anything else is ours (a 500). */
function workerFailed(error: Error, maxHeapMb: number): Error {
  if ((error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return new DomainError(
      'too_large',
      'DOCUMENT_TOO_COMPLEX',
      `Reading this file needs more than ${maxHeapMb} MB of memory, the limit. Split it, or remove large images, and upload it again.`,
      { cause: error },
    );
  }
  return error;
}
