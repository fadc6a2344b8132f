import type { Writable } from 'node:stream';

/**
 * Sends an SSE comment when nothing else was sent for `everyMs`: CloudFront and API Gateway close
 * an origin connection that stays silent (CloudFront after 60 s by default), and a long prompt can
 * keep the model quiet before its first token. SSE clients ignore comment lines, and they carry no
 * id: a resume counts events only.
 */
export function keepAlive(out: Writable, everyMs: number): { sent(): void; stop(): void } {
  let last = performance.now();
  const timer = setInterval(() => {
    if (performance.now() - last < everyMs) return;
    last = performance.now();
    if (!out.destroyed && !out.writableEnded) out.write(': keep-alive\n\n');
  }, everyMs / 3);
  return { sent: () => (last = performance.now()), stop: () => clearInterval(timer) };
}

/**
 * Writes a frame, waiting when the client reads slowly. A closed stream takes nothing more, and
 * writing to it is no error: the answer goes on without its reader (it is recorded for a resume).
 */
export async function write(out: Writable, chunk: string): Promise<void> {
  if (out.destroyed || out.writableEnded) return;
  if (!out.write(chunk)) {
    await new Promise<void>((resolve) => {
      const done = () => {
        out.off('drain', done);
        out.off('close', done);
        resolve();
      };
      out.once('drain', done);
      out.once('close', done);
    });
  }
}
