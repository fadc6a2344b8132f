// A reader stuck in a synchronous loop, as pdf.js can be on a hostile PDF: only terminating its thread stops it.
import { parentPort } from 'node:worker_threads';

parentPort.once('message', () => {
  for (;;) {
    // spin
  }
});
