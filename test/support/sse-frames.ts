import type { Script } from './fakes.js';

/** One SSE frame as a resuming client reads it: its id too. */
export interface SseFrame {
  id: number | undefined;
  event: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data: any;
}

/** The frames of a Server-Sent Events body as they arrive, comments skipped, with their ids. */
export async function* readFrames(body: ReadableStream<Uint8Array>): AsyncGenerator<SseFrame> {
  const decoder = new TextDecoder();
  let buffer = '';
  const reader = body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      buffer = buffer.replace(/\r\n?/g, '\n');
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = parseFrame(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (frame) yield frame;
      }
      if (done) break;
    }
  } finally {
    reader.releaseLock();
  }
  if (buffer.trim() !== '') throw new Error(`the stream ended inside a frame: ${JSON.stringify(buffer)}`);
}

function parseFrame(text: string): SseFrame | undefined {
  let id: number | undefined;
  let event = 'message';
  const data: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') id = Number(value);
    else if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0) return undefined;
  return { id, event, data: JSON.parse(data.join('\n')) };
}

/** Everything a stream sends until it ends. */
export async function allFrames(response: Response): Promise<SseFrame[]> {
  const frames: SseFrame[] = [];
  for await (const frame of readFrames(response.body!)) frames.push(frame);
  return frames;
}

/** The text of the deltas among frames, in order. */
export const textOf = (frames: SseFrame[]): string =>
  frames
    .filter((frame) => frame.event === 'delta')
    .map((frame) => frame.data.text as string)
    .join('');

/**
 * A model's answer that waits half way: it streams `before`, then waits until the test calls
 * `release()` (or until its call is aborted), then streams `after` and ends. `seen` says whether
 * the model's call was aborted, as a real model sees its connection closed.
 */
export function gatedScript(before: string[], after: string[]): { script: Script; release(): void; seen: { aborted: boolean; waiting: boolean } } {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const seen = { aborted: false, waiting: false };
  const script: Script = async function* (_request, signal) {
    for (const text of before) yield { type: 'text', text };
    seen.waiting = true;
    await new Promise<void>((resolve) => {
      void gate.then(resolve);
      if (signal.aborted) resolve();
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
    if (signal.aborted) {
      seen.aborted = true;
      return;
    }
    for (const text of after) yield { type: 'text', text };
    yield { type: 'end', stopReason: 'end_turn', usage: { inputTokens: 10, outputTokens: before.length + after.length } };
  };
  return { script, release: () => release(), seen };
}
