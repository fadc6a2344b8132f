import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalResponseStream, localHttpResponseStream } from '../../src/entrypoints/local/response-stream.js';

type Handler = (stream: LocalResponseStream) => void | Promise<void>;

/** A server whose every request is answered by `handler` through a LocalResponseStream. */
async function serve(handler: Handler): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => void handler(new LocalResponseStream(res)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

/** The response's head, and each chunk of its body with the time it arrived. */
function get(url: string): Promise<{ res: IncomingMessage; chunks: Array<{ text: string; at: number }> }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      const chunks: Array<{ text: string; at: number }> = [];
      res.on('data', (chunk: Buffer) => chunks.push({ text: chunk.toString('utf8'), at: performance.now() }));
      res.on('end', () => resolve({ res, chunks }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

describe('LocalResponseStream (the local stand-in for a Lambda response stream)', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('sends a body written whole at once as one response with its length', async () => {
    const body = JSON.stringify({ answer: 42, text: 'é'.repeat(10) });
    ({ server } = await serve((stream) => {
      localHttpResponseStream.from(stream, { statusCode: 201, headers: { 'Content-Type': 'application/json' } }).end(body);
    }));
    const { res, chunks } = await get(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    expect(res.statusCode).toBe(201);
    expect(res.headers['transfer-encoding']).toBeUndefined();
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(body));
    expect(chunks.map((chunk) => chunk.text).join('')).toBe(body);
  });

  it('streams frames written later as they come, the first one with the headers', async () => {
    let url: string;
    ({ server, url } = await serve(async (stream) => {
      const out = localHttpResponseStream.from(stream, { statusCode: 200, headers: { 'Content-Type': 'text/event-stream' } });
      out.write('event: meta\ndata: {}\n\n');
      for (let n = 0; n < 3; n++) {
        await new Promise((resolve) => setTimeout(resolve, 60));
        out.write(`event: delta\ndata: {"n":${n}}\n\n`);
      }
      out.end();
    }));
    const started = performance.now();
    const { res, chunks } = await get(url);
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(chunks.map((chunk) => chunk.text).join('')).toBe(
      'event: meta\ndata: {}\n\n' + [0, 1, 2].map((n) => `event: delta\ndata: {"n":${n}}\n\n`).join(''),
    );
    // The first frame did not wait for the rest of the stream.
    expect(chunks[0]!.text).toContain('event: meta');
    expect(chunks[0]!.at - started).toBeLessThan(chunks.at(-1)!.at - started);
    expect(chunks.length).toBeGreaterThanOrEqual(3);
  });

  it('drops the connection, and keeps serving, when Node refuses the headers', async () => {
    let calls = 0;
    let url: string;
    ({ server, url } = await serve((stream) => {
      calls++;
      const headers: Record<string, string> = calls === 1 ? { 'X-Broken': 'line\nbreak' } : { 'Content-Type': 'text/plain' };
      localHttpResponseStream.from(stream, { statusCode: 200, headers }).end('fine');
    }));
    await expect(get(url)).rejects.toThrow();
    const { res, chunks } = await get(url);
    expect(res.statusCode).toBe(200);
    expect(chunks.map((chunk) => chunk.text).join('')).toBe('fine');
  });
});
