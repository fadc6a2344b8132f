/**
 * A scripted HTTP server on 127.0.0.1 for testing a model adapter's failure paths, whatever its
 * wire protocol: it sends the bytes a test gives (SSE lines, event-stream frames, NDJSON...) and
 * records what the client did, above all whether it closed the connection before the answer was
 * finished, which is how an abort reaches a real model server.
 *
 *   const server = await startFakeStreamingServer();      // server.url: http://127.0.0.1:<port>
 *   server.reply(
 *     statusReply(429, '{"error":{"message":"slow down"}}', { retryAfterSeconds: 1 }),
 *     streamReply({ 'content-type': 'text/event-stream' }, [sseFrame({ text: 'Hi' }), { delayMs: 5 }, sseFrame('[DONE]')]),
 *   );
 *   ... call your adapter with server.url ...
 *   server.requests[1]?.closedByClient;                   // method, path, headers and body too
 *   await server.waitForClientClose(0);                   // resolves when the client closed request 0
 *   await server.close();
 *
 * Replies are served in order, the last repeated for every later request. A streamed reply ends
 * as told by `then`: `end` (a complete response), `break` (the socket destroyed after the steps: a
 * stream broken mid-answer), `hold` (open, silent, until the client closes) or `{ repeat }` (the
 * steps sent again and again until the client closes: a model that never stops talking).
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export type Chunk = string | Uint8Array;
/** Bytes to write, or a pause before the next ones (a model writes its answer piece by piece). */
export type StreamStep = Chunk | { delayMs: number };

export type ScriptedReply =
  | { kind: 'status'; status: number; headers: Record<string, string>; body: Chunk }
  | { kind: 'stream'; status: number; headers: Record<string, string>; steps: StreamStep[]; then: StreamEnding };

export type StreamEnding = 'end' | 'break' | 'hold' | { repeat: StreamStep[] };

export interface RecordedRequest {
  method: string;
  /** The path with its query string, as the client sent it. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The request body as text. */
  body: string;
  /** The status the server answered. */
  status: number;
  /** The client closed the connection before the response was finished (an abort, a `break` out of the stream). */
  closedByClient: boolean;
  /** Milliseconds from the request's arrival to the client closing it, when it did. */
  closedAfterMs?: number;
  /** The server finished the response (`end`), or cut it on purpose (`break`). */
  finishedByServer: boolean;
}

export interface FakeStreamingServer {
  /** `http://127.0.0.1:<port>`, no trailing slash: every path answers with the next scripted reply. */
  url: string;
  requests: RecordedRequest[];
  /** Replies to the next requests, in order; the last one is repeated for every later request. */
  reply(...replies: ScriptedReply[]): void;
  /**
   * Resolves when the client has closed request `index` (default: the latest) before its response
   * was finished. Rejects when the response was finished by the server instead, or when nothing
   * closed it within `withinMs`: a deadline for a failing test to end, not a measure of speed.
   */
  waitForClientClose(index?: number, options?: { withinMs?: number }): Promise<RecordedRequest>;
  /** Forgets the requests and cuts the responses still open, so that the next test starts clean. */
  reset(...replies: ScriptedReply[]): void;
  close(): Promise<void>;
}

/** A response with a status and a whole body: `401`, `429` (with `Retry-After`), `503`... */
export function statusReply(
  status: number,
  body: Chunk = '',
  options: { headers?: Record<string, string>; retryAfterSeconds?: number } = {},
): ScriptedReply {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (options.retryAfterSeconds !== undefined) headers['retry-after'] = String(options.retryAfterSeconds);
  return { kind: 'status', status, headers, body };
}

/** A `200` response streamed step by step, ended as `then` says (default `end`). */
export function streamReply(headers: Record<string, string>, steps: StreamStep[], then: StreamEnding = 'end'): ScriptedReply {
  return { kind: 'stream', status: 200, headers, steps, then };
}

/**
 * How a protocol streams an answer, for servers that speak it: the bytes before the text, one
 * piece of text, and what completes the answer. See `openAiFraming` (test/support/fake-openai.ts)
 * and `bedrockFraming` (test/support/fake-bedrock.ts).
 */
export interface AnswerFraming {
  /** The headers of a streamed answer, the content type at least: `{ 'content-type': 'text/event-stream' }`. */
  headers: Record<string, string>;
  /** What comes before the first piece of text (a role chunk, `messageStart`...). */
  start?: Chunk[];
  /** One piece of the answer's text, framed: `sseFrame({ choices: [{ delta: { content: piece } }] })`. */
  text(piece: string): Chunk;
  /** What completes an answer: the stop reason, the usage, a closing `[DONE]`. */
  end: Chunk[];
  /** An error response as the protocol words it; by default `{"error":{"message":...}}` as JSON. */
  error?(status: number, message: string): { headers?: Record<string, string>; body: Chunk };
}

/** An answer of these pieces in a protocol's frames; completed only when `then` is `end` (the default). */
export const framedAnswer = (framing: AnswerFraming, pieces: string[], then: StreamEnding = 'end'): ScriptedReply =>
  streamReply(framing.headers, [...(framing.start ?? []), ...pieces.map((piece) => framing.text(piece)), ...(then === 'end' ? framing.end : [])], then);

/** An error status worded as the protocol words it. */
export function framedError(framing: AnswerFraming, status: number, message: string): ScriptedReply {
  const error = framing.error?.(status, message) ?? { body: JSON.stringify({ error: { message } }) };
  return statusReply(status, error.body, error.headers ? { headers: error.headers } : {});
}

/** One Server-Sent Event: `data:` lines (an object is sent as JSON), and an `event:` name when given. */
export function sseFrame(data: unknown, event?: string): string {
  const payload = typeof data === 'string' ? data : JSON.stringify(data);
  const lines = payload.split('\n').map((line) => `data: ${line}`);
  return `${event === undefined ? '' : `event: ${event}\n`}${lines.join('\n')}\n\n`;
}

/** Steps with a pause before each chunk: an answer that arrives as a model writes it. */
export const paced = (chunks: Chunk[], delayMs: number): StreamStep[] => chunks.flatMap((chunk) => [{ delayMs }, chunk]);

const DEFAULT_REPLY = statusReply(500, JSON.stringify({ error: { message: 'Nothing scripted for this request.' } }));
const DEFAULT_CLOSE_DEADLINE_MS = 3_000;

interface OpenExchange {
  recorded: RecordedRequest;
  response: ServerResponse;
  /** Settles once the response is over, whoever ended it. */
  over: Promise<void>;
}

export async function startFakeStreamingServer(): Promise<FakeStreamingServer> {
  const requests: RecordedRequest[] = [];
  const exchanges = new Map<RecordedRequest, OpenExchange>();
  let replies: ScriptedReply[] = [DEFAULT_REPLY];

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const body: Buffer[] = [];
    for await (const chunk of req) body.push(chunk as Buffer);
    const reply = replies.length > 1 ? replies.shift()! : replies[0]!;
    const recorded: RecordedRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      body: Buffer.concat(body).toString('utf8'),
      status: reply.status,
      closedByClient: false,
      finishedByServer: false,
    };
    requests.push(recorded);
    let settle = () => {};
    const over = new Promise<void>((resolve) => (settle = resolve));
    exchanges.set(recorded, { recorded, response: res, over });
    // 'close' comes when the response is over: finished by us, or the connection gone under it.
    res.on('close', () => {
      if (!recorded.finishedByServer) {
        recorded.closedByClient = true;
        recorded.closedAfterMs = Date.now() - started;
      }
      settle();
    });

    res.writeHead(reply.status, reply.headers);
    if (reply.kind === 'status') {
      recorded.finishedByServer = true;
      res.end(reply.body);
      return;
    }
    if (!(await writeSteps(res, reply.steps))) return;
    const then = reply.then;
    if (then === 'end') {
      recorded.finishedByServer = true;
      res.end();
    } else if (then === 'break') {
      recorded.finishedByServer = true;
      res.socket?.destroy();
    } else if (then !== 'hold') {
      while (await writeSteps(res, then.repeat.length > 0 ? then.repeat : [{ delayMs: 10 }]));
    }
    // `hold`: nothing more; the response stays open until the client closes it (or reset/close).
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reply: (...next) => {
      if (next.length === 0) throw new Error('reply() needs at least one reply');
      replies = next;
    },
    async waitForClientClose(index = requests.length - 1, options = {}) {
      const recorded = requests[index];
      if (!recorded) throw new Error(`The server has no request #${index}: it received ${requests.length}.`);
      const withinMs = options.withinMs ?? DEFAULT_CLOSE_DEADLINE_MS;
      const exchange = exchanges.get(recorded)!;
      const deadline = new AbortController();
      const timedOut = sleep(withinMs, 'timeout' as const, { signal: deadline.signal }).catch(() => 'cancelled' as const);
      const outcome = await Promise.race([exchange.over.then(() => 'over' as const), timedOut]);
      deadline.abort();
      if (outcome === 'timeout') {
        throw new Error(`The client did not close the connection of ${recorded.method} ${recorded.path} within ${withinMs} ms: the HTTP call is still open.`);
      }
      if (!recorded.closedByClient) {
        throw new Error(`The server finished ${recorded.method} ${recorded.path} itself: the client never closed the connection early.`);
      }
      return recorded;
    },
    reset: (...next) => {
      for (const { recorded, response } of exchanges.values()) {
        if (response.writableEnded || response.destroyed) continue;
        recorded.finishedByServer = true;
        response.destroy();
      }
      exchanges.clear();
      requests.length = 0;
      replies = next.length > 0 ? next : [DEFAULT_REPLY];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Writes the steps; false once the connection is gone (nothing more to send). */
async function writeSteps(res: ServerResponse, steps: StreamStep[]): Promise<boolean> {
  for (const step of steps) {
    if (res.destroyed) return false;
    if (typeof step === 'object' && 'delayMs' in step) await sleep(step.delayMs);
    else await new Promise<void>((resolve) => res.write(step, () => resolve())); // flushed: a `break` after it loses nothing
  }
  return !res.destroyed;
}
