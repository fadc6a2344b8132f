import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { Agent, request, type IncomingMessage } from 'node:http';

const wallClockMs = () => performance.timeOrigin + performance.now();

export interface TimedAnswer {
  /** Wall-clock ms just before the request was handed to the socket. */
  sentAt: number;
  status: number;
  text: string;
}

/**
 * A POST with node:http rather than fetch: undici's client does more work per request (its own
 * parsing, streams and promises), on the very event loop that runs the server under test, and
 * the clock starts before that work. A keep-alive agent keeps one warm connection, as a browser
 * does for the SPA.
 */
export function timedPoster() {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const post = (url: string, headers: Record<string, string>, body: string) =>
    new Promise<TimedAnswer>((resolve, reject) => {
      const bytes = Buffer.from(body);
      const req = request(url, { method: 'POST', agent, headers: { ...headers, 'Content-Length': String(bytes.length) } }, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ sentAt, status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      const sentAt = wallClockMs();
      req.end(bytes);
    });
  return { post, close: () => agent.destroy() };
}

/**
 * When each request carrying the header `header` reached a node:http server of this process
 * (its head parsed, before any handler ran), by the header's value, in wall-clock ms. Node's own
 * diagnostics channel: nothing in the server under test has to change for it.
 */
export function serverReceipts(header: string) {
  const receivedAt = new Map<string, number>();
  const onStart = (message: unknown) => {
    const at = wallClockMs();
    const value = (message as { request: IncomingMessage }).request.headers[header.toLowerCase()];
    if (typeof value === 'string') receivedAt.set(value, at);
  };
  subscribe('http.server.request.start', onStart);
  return { receivedAt, close: () => unsubscribe('http.server.request.start', onStart) };
}
