import { request, type IncomingMessage } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ModelEvent } from '../../src/domain/ports/chat-model.js';
import { startLocalServer, type LocalServer } from '../../src/entrypoints/local/server.js';
import { ScriptedModel } from '../support/fakes.js';
import { eventually, type Json } from '../support/http-client.js';
import { allFrames, textOf, type SseFrame } from '../support/sse-frames.js';

/** Shortened from CLIENT_STALL_MS's 10 s, so that the test waits a fraction of a second for it. */
const STALL_MS = 200;
/** A piece of the answer: big, so that a few hundred of them fill any socket's buffers. */
const PIECE_CHARS = 16 * 1024;
/** More than any loopback connection buffers (about 4 MB on Linux): past it, the bound did not work. */
const MAX_STREAMED_CHARS = 64 * 1024 * 1024;

/**
 * A client that stops reading but keeps its connection open (a phone asleep, a stalled proxy) must
 * not hold the answer up: once its socket's buffers are full, the server waits `clientStallMs` for
 * it, then writes it nothing more, as if it had gone, and the model's answer goes on and is stored whole. The
 * client resumes the rest by its last event's id.
 */
describe('a client that stops reading without closing', () => {
  let server: LocalServer;
  let token: string;
  const model = new ScriptedModel();

  beforeAll(async () => {
    server = await startLocalServer({
      port: 0,
      env: { STORE: 'memory', LOG_LEVEL: 'SILENT' },
      overrides: { model },
      chat: { clientStallMs: STALL_MS },
    });
    const signIn = await fetch(`${server.url}/local-auth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'sleepy-sam' }),
    });
    token = ((await signIn.json()) as { idToken: string }).idToken;
  });
  afterAll(() => server.close());

  it('is written nothing more after the bound; the answer is stored whole and a resume from its last id gets the rest', async () => {
    const warn = vi.spyOn(server.services.logger, 'warn');
    const drops = () => warn.mock.calls.filter(([message]) => typeof message === 'string' && message.startsWith('client stopped reading'));
    const dropped = () => drops().length > 0;
    // The model streams big pieces for as long as the client has not been dropped (however much
    // the sockets hold), then the answer's end. Each piece waits a turn of the event loop, as a
    // real model's bytes do, so that the server's timers run.
    const pieces: string[] = [];
    model.play(async function* (): AsyncGenerator<ModelEvent> {
      let streamed = 0;
      while (!dropped()) {
        if (streamed > MAX_STREAMED_CHARS) throw new Error('the stalled client was never dropped');
        const piece = `[${pieces.length}]`.padEnd(PIECE_CHARS, '.');
        pieces.push(piece);
        streamed += piece.length;
        yield { type: 'text', text: piece };
        await nextTurn();
      }
      for (const piece of [' and', ' the', ' end.']) {
        pieces.push(piece);
        yield { type: 'text', text: piece };
      }
      yield { type: 'end', stopReason: 'end_turn', usage: { inputTokens: 10, outputTokens: pieces.length } };
    });

    const { response, frames } = await readAFewFramesThenStall(server.url, token, 3);
    try {
      expect(response.statusCode).toBe(200);
      expect(frames[0]!.event).toBe('meta');
      const { answerMessageId, conversationId } = frames[0]!.data as { answerMessageId: string; conversationId: string };

      // Stored whole, while the client still holds its connection open and reads nothing.
      const answer = await eventually(
        async () => {
          const conversation = await fetch(`${server.url}/conversations/${conversationId}`, { headers: { Authorization: `Bearer ${token}` } });
          const stored = ((await conversation.json()) as Json).messages.find((message: Json) => message.role === 'assistant');
          return stored?.stopReason ? stored : undefined;
        },
        15_000,
        'the answer to be stored',
      );
      expect(answer.stopReason).toBe('end_turn');
      expect(answer.content).toBe(pieces.join(''));
      expect(answer.content.endsWith(' and the end.')).toBe(true);
      // Told once, with the request's id.
      expect(drops()).toHaveLength(1);
      expect(drops()[0]![1]).toMatchObject({ requestId: expect.any(String) });

      // The rest, from the last event the client read whole.
      const rest = await allFrames(
        await fetch(`${server.url}/chat/streams/${answerMessageId}`, {
          headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream', 'Last-Event-ID': String(frames.at(-1)!.id) },
        }),
      );
      // Joined into fewer frames, each under the id of its last event (a resume's deltas are coalesced).
      expect(rest.every((frame) => frame.id! > frames.at(-1)!.id!)).toBe(true);
      expect(rest.at(-1)).toMatchObject({ event: 'done', data: { messageId: answerMessageId, stopReason: 'end_turn' } });
      expect(textOf(frames) + textOf(rest)).toBe(answer.content);
    } finally {
      response.destroy();
    }
  });
});

/**
 * POST /chat as an event stream, read until `deltas` deltas have arrived whole, then paused and
 * left open: nothing more is read from the socket, so the kernel's buffers fill up, and then the
 * server's. The frames read whole are returned (a frame cut by the pause is not one of them).
 */
async function readAFewFramesThenStall(url: string, token: string, deltas: number): Promise<{ response: IncomingMessage; frames: SseFrame[] }> {
  const body = JSON.stringify({ message: 'Tell me a very long story' });
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = request(
      `${url}/chat`,
      {
        method: 'POST',
        agent: false,
        headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream', 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      },
      resolve,
    );
    req.once('error', reject);
    req.end(body);
  });
  response.setEncoding('utf8');
  let text = '';
  const whole = () => text.slice(0, text.lastIndexOf('\n\n') + 2);
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: string) => {
      text += chunk;
      if ((whole().match(/^event: delta$/gm) ?? []).length < deltas) return;
      response.off('data', onData);
      response.pause();
      resolve();
    };
    response.on('data', onData);
    response.once('end', () => reject(new Error('the stream ended before the client stopped reading')));
  });
  return { response, frames: await allFrames(new Response(whole())) };
}
