import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { StreamHead, StreamedEvent } from '../../src/domain/ports/answer-streams.js';
import { followStream } from '../../src/entrypoints/chat/stream-follower.js';

const head = (lastId: number, updatedAt: number, status: StreamHead['status'] = 'streaming'): StreamHead => ({ status, lastId, stopRequested: false, updatedAt });
const delta = (id: number, text: string): StreamedEvent => ({ id, event: 'delta', data: { text } });

/** Follows a stream read from `reads` (one per poll, the last repeated) and returns what the client got. */
async function follow(reads: Array<{ head: StreamHead; events: StreamedEvent[] }>, after = 0): Promise<string> {
  const out = new PassThrough();
  const chunks: string[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  let call = 0;
  const read = async () => reads[Math.min(++call, reads.length - 1)]!;
  await followStream(out, read, reads[0]!, after, { pollMs: 5, keepAliveMs: 60_000, abandonedMs: 60, endBy: Date.now() + 60_000, gone: new AbortController().signal, clientStallMs: 60_000 });
  return chunks.join('');
}

describe('followStream', () => {
  it('ends a stream whose writer stopped writing with STREAM_ABANDONED, one id after the last stored', async () => {
    // The head never changes again: its writer died after event 3.
    const body = await follow([{ head: head(3, 1_000), events: [delta(2, 'Half'), delta(3, ' an answer')] }]);
    expect(body).toContain('id: 3\nevent: delta\ndata: {"text":"Half an answer"}');
    expect(body.trim().split('\n\n').at(-1)).toBe('id: 4\nevent: error\ndata: {"code":"STREAM_ABANDONED","message":"The answer stopped being written. Reload the conversation to see what was kept."}');
  });

  it('keeps following a writer that is alive though silent (its head still written), to the end', async () => {
    const silent = Array.from({ length: 30 }, (_, n) => ({ head: head(2, 1_000 + n), events: [] as StreamedEvent[] }));
    const body = await follow([{ head: head(2, 1_000), events: [delta(2, 'Thinking')] }, ...silent, { head: head(4, 2_000, 'done'), events: [delta(3, ' done.'), { id: 4, event: 'done', data: { messageId: 'a1' } }] }]);
    expect(body).not.toContain('STREAM_ABANDONED');
    expect(body.trim().split('\n\n').at(-1)).toMatch(/^id: 4\nevent: done/);
  });
});
