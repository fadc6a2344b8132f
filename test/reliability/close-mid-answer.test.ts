import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ScriptedModel } from '../support/fakes.js';
import { startTestServer, type Json } from '../support/http-client.js';
import { allFrames, gatedScript, readFrames, textOf, type SseFrame } from '../support/sse-frames.js';

/**
 * `npm start` stopped (Ctrl-C) while an answer streams, then started again on the same data
 * directory: the part written is kept and marked, its stream says it ended (a resume replays it and
 * ends at once, instead of waiting for a writer that is gone), and the conversation reads as usual.
 */
describe('local server closed mid-answer, then started again', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-close-mid-answer-'));
  const env = { STORE: 'embedded', DATA_DIR: dataDir };
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps the part as aborted, ends its stream, and serves both after the restart', async () => {
    // The model streams two pieces and then waits for a release that never comes: only the
    // server's close can end it.
    const gated = gatedScript(['Half ', 'an '], ['answer that never comes.']);
    const first = await startTestServer({ env, overrides: { model: new ScriptedModel(gated.script) } });
    let token = await first.signIn('closing-carol');
    const response = await fetch(`${first.url}/chat`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream', 'Content-Type': 'application/json' },
      body: JSON.stringify({ message: 'Tell me everything' }),
    });
    const live = readFrames(response.body!);
    const seen: SseFrame[] = [];
    while (textOf(seen) !== 'Half an ') seen.push((await live.next()).value as SseFrame);
    const { answerMessageId, conversationId } = seen[0]!.data as { answerMessageId: string; conversationId: string };

    await first.server.close();
    // What the live client was sent before the connection went: the answer's ending, when it got there.
    const rest: SseFrame[] = [];
    try {
      for await (const frame of live) rest.push(frame);
    } catch {
      // The connection was cut by the close: the client resumes, below.
    }
    expect(gated.seen.aborted).toBe(true);
    expect(rest.filter((frame) => frame.event === 'delta' || frame.event === 'done')).toEqual([]);
    if (rest.length > 0) expect(rest.at(-1)).toMatchObject({ event: 'error', data: { code: 'ANSWER_STOPPED' } });

    const second = await startTestServer({ env, overrides: { model: new ScriptedModel() } });
    try {
      token = await second.signIn('closing-carol');
      const conversation = await second.api(`/conversations/${conversationId}`, { token });
      expect(conversation.status).toBe(200);
      const answer = (conversation.json.messages as Json[]).find((message) => message.role === 'assistant');
      expect(answer).toMatchObject({ id: answerMessageId, content: 'Half an ', stopReason: 'aborted' });

      // The stream ended in the store: a resume replays it and ends with its ending, not with
      // STREAM_ABANDONED after waiting for a writer that will never write again.
      const stopped = { code: 'ANSWER_STOPPED', messageId: answerMessageId };
      const resumed = await allFrames(
        await fetch(`${second.url}/chat/streams/${answerMessageId}`, {
          headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream', 'Last-Event-ID': '1' },
        }),
      );
      expect(textOf(resumed)).toBe('Half an ');
      expect(resumed.at(-1)).toMatchObject({ event: 'error', data: stopped });
      const stop = await second.api(`/chat/streams/${answerMessageId}/stop`, { method: 'POST', token });
      expect(stop).toMatchObject({ status: 200, json: { status: 'stopped' } });

      // And the conversation goes on.
      const next = await second.api('/chat', { method: 'POST', token, body: { conversationId, message: 'Go on' } });
      expect(next.status).toBe(200);
      expect(next.json.message.stopReason).toBe('end_turn');
    } finally {
      await second.close();
    }
  });
});
