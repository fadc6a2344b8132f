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
 * Runs each read in a worker thread: the only limit that holds when pdf.js spins inside a
 * synchronous loop is terminating the thread it spins in. A worker that answered in time is kept
 * for the next document for a while (`idleMs`): starting one and loading pdf.js into it costs
 * more than reading most documents (figures in bench/README.md, extraction). A worker that
 * timed out, failed or ran out of memory is terminated and never reused. The bytes are copied to
 * the worker, not transferred: the caller still stores them.
 */
export class WorkerReaders implements DocumentReaders {
  private idle: Worker | undefined;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: WorkerReaderOptions & { idleMs?: number }) {}

  readPdf(bytes: Uint8Array, options: { maxPages: number }): Promise<PdfReadResult> {
    return this.run<PdfReadResult>({ kind: 'pdf', bytes, options });
  }

  readDocx(bytes: Uint8Array): Promise<DocxReadResult> {
    return this.run<DocxReadResult>({ kind: 'docx', bytes });
  }

  /** Terminates the idle worker, if any (tests and shutdown). */
  async close(): Promise<void> {
    const worker = this.takeIdle();
    if (worker) await worker.terminate();
  }

  private takeIdle(): Worker | undefined {
    const worker = this.idle;
    this.idle = undefined;
    clearTimeout(this.idleTimer);
    return worker;
  }

  /** Keeps a worker that answered for the next job, or ends it when one is kept already. */
  private release(worker: Worker): void {
    if (this.idle) {
      void worker.terminate();
      return;
    }
    this.idle = worker;
    worker.unref(); // an idle worker never keeps the process alive
    this.idleTimer = setTimeout(() => void this.close(), this.options.idleMs ?? 30_000);
    this.idleTimer.unref();
  }

  private run<T>(job: Job): Promise<T> {
    const { timeoutMs, maxHeapMb, workerUrl = DEFAULT_WORKER_URL } = this.options;
    const worker = this.takeIdle() ?? new Worker(workerUrl, { resourceLimits: { maxOldGenerationSizeMb: maxHeapMb } });
    worker.ref();
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const detach = () => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        detach();
        void worker.terminate();
        reject(error);
      };
      const onMessage = (result: T) => {
        if (settled) return;
        settled = true;
        detach();
        this.release(worker);
        resolve(result);
      };
      const onError = (error: Error) => fail(workerFailed(error, maxHeapMb));
      const onExit = (code: number) => fail(new Error(`The extraction worker exited (code ${code}) without an answer.`));
      const timer = setTimeout(() => fail(timedOut(timeoutMs)), timeoutMs);
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.once('exit', onExit);
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
