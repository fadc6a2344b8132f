import type { ChatEvent } from './types';

/**
 * Server-Sent Events from a byte stream: frames end at a blank line, `event:` names a frame and
 * `data:` lines carry its JSON. Comment lines (`: keep-alive`) and unknown events are skipped.
 * Chunks may split a frame, a line or a UTF-8 character anywhere.
 */
export async function* readEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ChatEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      // `stream: true` holds back the bytes of a character split across chunks.
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const event = parseFrame(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (event) yield event;
      }
    }
    const last = parseFrame(buffer);
    if (last) yield last;
  } finally {
    reader.releaseLock();
  }
}

const EVENT_TYPES = new Set(['meta', 'delta', 'done', 'error', 'title']);

export function parseFrame(frame: string): ChatEvent | undefined {
  let name = 'message';
  const data: string[] = [];
  for (const line of frame.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') name = value;
    else if (field === 'data') data.push(value);
  }
  if (!EVENT_TYPES.has(name) || data.length === 0) return undefined;
  try {
    return { type: name, ...(JSON.parse(data.join('\n')) as object) } as ChatEvent;
  } catch {
    return undefined;
  }
}
