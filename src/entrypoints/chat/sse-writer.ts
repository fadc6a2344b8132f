import type { Writable } from 'node:stream';

/**
 * The longest one frame waits for a client that takes nothing while keeping its connection open (a
 * phone asleep, a stalled proxy). Past it the client is taken for gone: the answer must not wait on
 * it, or the model's stream would no longer be read, the answer not stored whole, and the function
 * would run (and bill) until its timeout. The wait ends when the buffer (16 KB) has emptied, so a
 * client reading slower than about 1.6 KB/s is taken for gone too; it resumes by its last id.
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
 * recorded for a resume). Resolves true when the client took nothing within `stallMs`: the caller
 * writes nothing more to it (what it holds already it may still read; then it resumes by its last
 * id). The stream is not destroyed: on Lambda it is the runtime's own request, and destroying it
 * fails the invocation (its runtime exits the process while the answer is still being written).
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
  return !drained && !out.destroyed;
}
