import type { ChatEvent } from './types';

/**
 * An event with the `id:` its frame carried: its place in the answer's stream (1, 2, 3, ...), which
 * a reader that lost the connection asks to resume after. A coalesced `delta` carries the last id
 * it covers. Absent when the frame had none.
 */
export type StreamEvent = ChatEvent & { eventId?: number };

/**
 * Server-Sent Events from a byte stream: frames end at a blank line, `event:` names a frame,
 * `id:` numbers it and `data:` lines carry its JSON. Comment lines (`: keep-alive`) and unknown
 * events are skipped. Chunks may split a frame, a line or a UTF-8 character anywhere.
 */
export async function* readEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<StreamEvent> {
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

export function parseFrame(frame: string): StreamEvent | undefined {
  let name = 'message';
  let id: number | undefined;
  const data: string[] = [];
  for (const line of frame.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') name = value;
    else if (field === 'data') data.push(value);
    // Not a count (an id of another kind): the event is read, but cannot be resumed after.
    else if (field === 'id') id = /^\d+$/.test(value) ? Number(value) : undefined;
  }
  if (!EVENT_TYPES.has(name) || data.length === 0) return undefined;
  try {
    return { type: name, ...(JSON.parse(data.join('\n')) as object), ...(id !== undefined && { eventId: id }) } as StreamEvent;
  } catch {
    return undefined;
  }
}
