/**
 * A worker thread that reads one document and exits: the main thread terminates it when reading
 * takes too long (pdf.js can spin on a hostile PDF) and its heap has a limit of its own. Plain
 * JavaScript because worker threads run plain Node.js: under vitest or tsx a TypeScript worker
 * would need a loader of its own. A bundle ships this file (and what it imports) next to the
 * handler; see worker-readers.ts.
 */
import { parentPort } from 'node:worker_threads';
import { readDocx } from './read-docx.mjs';
import { readPdf } from './read-pdf.mjs';

const READERS = {
  pdf: (job) => readPdf(job.bytes, job.options),
  docx: (job) => readDocx(job.bytes),
};

parentPort.once('message', async (job) => {
  const read = READERS[job.kind];
  if (!read) throw new Error(`No reader for "${job.kind}".`);
  parentPort.postMessage(await read(job));
});
