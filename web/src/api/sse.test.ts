import { describe, expect, it } from 'vitest';
import { readEvents } from './sse';

/** A body delivered in the given pieces, as a network would. */
function bodyOf(...pieces: Array<string | Uint8Array>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const piece of pieces) controller.enqueue(typeof piece === 'string' ? encoder.encode(piece) : piece);
      controller.close();
    },
  });
}

async function collect(body: ReadableStream<Uint8Array>) {
  const events = [];
  for await (const event of readEvents(body)) events.push(event);
  return events;
}

describe('readEvents', () => {
  it('turns frames into typed events, in order', async () => {
    const events = await collect(
      bodyOf(
        'event: meta\ndata: {"conversationId":"c1","userMessageId":"u1","title":"Hi"}\n\n',
        'event: delta\ndata: {"text":"Hel"}\n\nevent: delta\ndata: {"text":"lo"}\n\n',
        'event: done\ndata: {"messageId":"a1","stopReason":"end_turn","usage":{"inputTokens":3,"outputTokens":2}}\n\n',
      ),
    );
    expect(events).toEqual([
      { type: 'meta', conversationId: 'c1', userMessageId: 'u1', title: 'Hi' },
      { type: 'delta', text: 'Hel' },
      { type: 'delta', text: 'lo' },
      { type: 'done', messageId: 'a1', stopReason: 'end_turn', usage: { inputTokens: 3, outputTokens: 2 } },
    ]);
  });

  it('reassembles frames and lines split anywhere, even inside a UTF-8 character', async () => {
    const bytes = new TextEncoder().encode('event: delta\ndata: {"text":"café 🚀"}\n\n');
    const cuts = [5, 13, 30, bytes.length - 9, bytes.length - 1];
    const pieces = cuts.map((cut, index) => bytes.slice(index === 0 ? 0 : cuts[index - 1], cut));
    pieces.push(bytes.slice(cuts.at(-1)));
    expect(await collect(bodyOf(...pieces))).toEqual([{ type: 'delta', text: 'café 🚀' }]);
  });

  it('skips keep-alive comments, unknown events and broken JSON, and reads a last frame without its blank line', async () => {
    const events = await collect(
      bodyOf(': keep-alive\n\n', 'event: ping\ndata: {}\n\n', 'event: delta\ndata: {not json\n\n', 'event: error\r\ndata: {"code":"MODEL_THROTTLED","message":"Busy"}'),
    );
    expect(events).toEqual([{ type: 'error', code: 'MODEL_THROTTLED', message: 'Busy' }]);
  });
});
