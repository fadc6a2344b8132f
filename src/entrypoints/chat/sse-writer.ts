import type { Writable } from 'node:stream';

/**
 * The longest one frame waits for a client that takes nothing while keeping its connection open (a
 * phone asleep, a stalled proxy). Past it the client is taken for gone, as if it had closed: the
 * answer must not wait on it, or the model's stream would no longer be read, the answer not stored
 * whole, and the function would run (and bill) until its timeout. Generous for a slow network: a
 * client that reads at all empties the buffers (16 KB) well within it; one cut off resumes by its
 * last id.
 */
export const CLIENT_STALL_MS = 10_000;

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
 * Writes a frame, waiting when the client reads slowly, `stallMs` at most. A closed stream takes
 * nothing more, and writing to it is no error: the answer goes on without its reader (it is
 * recorded for a resume). A client that has not taken what waits for it within `stallMs` is
 * dropped: its stream is destroyed, which closes the connection and frees what its socket held,
 * and nothing more is written to it. Resolves true when this write dropped it.
 */
export async function write(out: Writable, chunk: string, stallMs = CLIENT_STALL_MS): Promise<boolean> {
  if (out.destroyed || out.writableEnded) return false;
  if (out.write(chunk)) return false;
  const drained = await new Promise<boolean>((resolve) => {
    const done = (result: boolean) => {
      clearTimeout(timer);
      out.off('drain', onDrain);
      out.off('close', onDrain);
      resolve(result);
    };
    const onDrain = () => done(true);
    const timer = setTimeout(() => done(false), stallMs);
    out.once('drain', onDrain);
    out.once('close', onDrain);
  });
  if (drained || out.destroyed) return false;
  out.destroy();
  return true;
}
