/**
 * A worker thread that reads the documents it is sent, one at a time: the main thread terminates it when reading
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

// One job at a time: the main thread sends the next only after this one's answer.
parentPort.on('message', async (job) => {
  const read = READERS[job.kind];
  if (!read) throw new Error(`No reader for "${job.kind}".`);
  parentPort.postMessage(await read(job));
});
