import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { sseFrame, type AnswerFraming } from './fake-streaming-server.js';

/** One step of a scripted chat completions stream. */
export type OpenAiStep =
  | { text: string }
  | { delayMs: number }
  /** Written as is: e.g. `data: {not json\n\n`. */
  | { raw: string }
  /** The connection is cut, no more data. */
  | { hangUp: true };

export interface OpenAiUsage {
  prompt_tokens: number;
  completion_tokens: number;
  prompt_tokens_details?: { cached_tokens: number };
}

export type OpenAiReply =
  | {
      kind: 'stream';
      steps: OpenAiStep[];
      /** Omitted: no chunk carries a finish reason. */
      finishReason?: string;
      /** Sent when the request asked for it (`stream_options.include_usage`); null: never sent. */
      usage?: OpenAiUsage | null;
      /** End with `data: [DONE]` (default true). */
      done?: boolean;
    }
  | { kind: 'error'; status: number; body: unknown };

export interface RecordedOpenAiRequest {
  path: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  authorization: string | undefined;
  /** The client closed the connection before the answer was finished. */
  clientClosed: boolean;
}

export interface FakeOpenAi {
  /** The API root with `/v1`, for `OPENAI_BASE_URL`. */
  url: string;
  requests: RecordedOpenAiRequest[];
  /** Replies to the next calls, in order; the last one is repeated for every later call. */
  reply(...replies: OpenAiReply[]): void;
  close(): Promise<void>;
}

export const DEFAULT_OPENAI_USAGE: OpenAiUsage = { prompt_tokens: 17, completion_tokens: 3 };

export function completion(
  pieces: string[],
  options: { finishReason?: string; usage?: OpenAiUsage | null; delayMs?: number; then?: OpenAiStep[] } = {},
): Extract<OpenAiReply, { kind: 'stream' }> {
  const steps: OpenAiStep[] = pieces.flatMap((text) => (options.delayMs ? [{ delayMs: options.delayMs }, { text }] : [{ text }]));
  return {
    kind: 'stream',
    steps: [...steps, ...(options.then ?? [])],
    finishReason: options.finishReason ?? 'stop',
    usage: options.usage === undefined ? DEFAULT_OPENAI_USAGE : options.usage,
  };
}

export const openAiError = (status: number, message: string): OpenAiReply => ({
  kind: 'error',
  status,
  body: { error: { message, type: status === 429 ? 'rate_limit_exceeded' : 'invalid_request_error', code: null } },
});

/**
 * A stand-in for an OpenAI-compatible server on 127.0.0.1 (random port): `POST /v1/chat/completions`
 * with `stream: true` answers `text/event-stream` chunks as OpenAI, vLLM and Ollama do, from a script.
 */
export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const requests: RecordedOpenAiRequest[] = [];
  let replies: OpenAiReply[] = [completion(['Hello', ' from', ' the fake.'])];

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const recorded: RecordedOpenAiRequest = { path: req.url, body, authorization: req.headers.authorization, clientClosed: false };
    requests.push(recorded);
    const reply = replies.length > 1 ? replies.shift()! : replies[0]!;
    if (reply.kind === 'error') {
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply.body));
      return;
    }

    let finished = false;
    res.on('close', () => {
      if (!finished) recorded.clientClosed = true;
    });
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const base = { id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 1767225600, model: body.model };
    const send = (data: unknown) => {
      if (!res.destroyed) res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
    };
    send({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] });
    for (const step of reply.steps) {
      if (res.destroyed) return;
      if ('delayMs' in step) await sleep(step.delayMs);
      else if ('text' in step) send({ ...base, choices: [{ index: 0, delta: { content: step.text }, finish_reason: null }] });
      else if ('raw' in step) res.write(step.raw);
      else {
        res.socket?.destroy();
        return;
      }
    }
    if (res.destroyed) return;
    if (reply.finishReason) send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: reply.finishReason }] });
    if (reply.usage && body.stream_options?.include_usage) send({ ...base, choices: [], usage: reply.usage });
    if (reply.done ?? true) send('[DONE]');
    finished = true;
    res.end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    reply: (...next) => {
      if (next.length === 0) throw new Error('reply() needs at least one reply');
      replies = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const FRAME_BASE = { id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 1767225600, model: 'fake' };
const chunkFrame = (choice: Record<string, unknown>) => sseFrame({ ...FRAME_BASE, choices: [{ index: 0, finish_reason: null, ...choice }] });

/** The chat completions stream in frames, for the fake streaming server (test/support/fake-streaming-server.ts). */
export const openAiFraming: AnswerFraming = {
  headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
  start: [chunkFrame({ delta: { role: 'assistant', content: '' } })],
  text: (piece) => chunkFrame({ delta: { content: piece } }),
  end: [chunkFrame({ delta: {}, finish_reason: 'stop' }), sseFrame({ ...FRAME_BASE, choices: [], usage: DEFAULT_OPENAI_USAGE }), sseFrame('[DONE]')],
  error: (status, message) => {
    const reply = openAiError(status, message) as Extract<OpenAiReply, { kind: 'error' }>;
    return { body: JSON.stringify(reply.body) };
  },
};
