import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { paced, sseFrame, startFakeStreamingServer, statusReply, streamReply, type FakeStreamingServer } from '../support/fake-streaming-server.js';

// The fake server teams test their adapters against: what it sends, and what it records of the client.

let server: FakeStreamingServer;
beforeAll(async () => {
  server = await startFakeStreamingServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => server.reset());

const SSE = { 'content-type': 'text/event-stream' };
const post = (path: string, body: unknown, init: RequestInit = {}) =>
  fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' }, body: JSON.stringify(body), ...init });

/** Reads a body until `until` says stop, then cancels it (which closes the connection). */
async function readUntil(response: Response, until: (text: string) => boolean): Promise<string> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  while (!until(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  await reader.cancel();
  return text;
}

describe('the fake streaming server', () => {
  it('answers the scripted replies in order, the last one again and again, and records each request', async () => {
    server.reply(statusReply(429, '{"error":{"message":"slow down"}}', { retryAfterSeconds: 2 }), statusReply(200, 'fine'));
    const first = await post('/v1/chat/completions?x=1', { hello: 'there' });
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('2');
    expect(await first.json()).toEqual({ error: { message: 'slow down' } });
    expect(await (await post('/anything', {})).text()).toBe('fine');
    expect(await (await post('/anything', {})).text()).toBe('fine');
    expect(server.requests).toHaveLength(3);
    expect(server.requests[0]).toMatchObject({ method: 'POST', path: '/v1/chat/completions?x=1', body: '{"hello":"there"}', status: 429 });
    expect(server.requests[0]?.headers.authorization).toBe('Bearer sk-test');
  });

  it('streams the steps, pauses included, and records a response it finished itself', async () => {
    server.reply(streamReply(SSE, paced([sseFrame({ text: 'Hel' }), sseFrame({ text: 'lo' }, 'delta'), sseFrame('[DONE]')], 2)));
    const response = await post('/', {});
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(await response.text()).toBe('data: {"text":"Hel"}\n\nevent: delta\ndata: {"text":"lo"}\n\ndata: [DONE]\n\n');
    expect(server.requests[0]).toMatchObject({ finishedByServer: true, closedByClient: false });
    await expect(server.waitForClientClose(0)).rejects.toThrow(/finished POST \/ itself/);
  });

  it('breaks a stream after its steps: the client gets what was sent, then a network error', async () => {
    server.reply(streamReply(SSE, ['one ', 'two '], 'break'));
    const response = await post('/', {});
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    const failure = await (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return undefined;
        text += value;
      }
    })().catch((error: unknown) => error);
    expect(text).toBe('one two ');
    expect(failure).toBeInstanceOf(Error);
    expect(server.requests[0]).toMatchObject({ finishedByServer: true, closedByClient: false });
  });

  it('holds a stream open until the client aborts, and records that the client closed it', async () => {
    server.reply(streamReply(SSE, ['first '], 'hold'));
    const controller = new AbortController();
    const response = await post('/', {}, { signal: controller.signal });
    await readUntil(response, (text) => text.includes('first'));
    const recorded = await server.waitForClientClose(0);
    expect(recorded.closedByClient).toBe(true);
    expect(recorded.closedAfterMs).toBeGreaterThanOrEqual(0);
    expect(recorded.finishedByServer).toBe(false);
  });

  it('repeats steps until the client goes, and reports a call still open when asked to wait for its close', async () => {
    server.reply(streamReply(SSE, [], { repeat: [{ delayMs: 1 }, 'more '] }));
    const open = await post('/', {});
    await expect(server.waitForClientClose(0, { withinMs: 50 })).rejects.toThrow(/did not close the connection of POST \/ within 50 ms/);
    expect(await readUntil(open, (text) => text.split('more').length > 3)).toMatch(/^(more )+/);
    expect((await server.waitForClientClose(0)).closedByClient).toBe(true);
  });

  it('cuts the responses still open on reset, and forgets the requests', async () => {
    server.reply(streamReply(SSE, ['first '], 'hold'));
    const response = await post('/', {});
    const reading = response.text().catch((error: unknown) => error);
    expect(server.requests).toHaveLength(1);
    server.reset();
    expect(await reading).toBeInstanceOf(Error);
    expect(server.requests).toHaveLength(0);
    expect((await post('/', {})).status).toBe(500); // nothing scripted
  });
});
