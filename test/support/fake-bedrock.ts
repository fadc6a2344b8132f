import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventStreamCodec } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/core/serde';
import type { AnswerFraming } from './fake-streaming-server.js';

/** One step of a scripted ConverseStream answer. */
export type BedrockStep =
  | { text: string }
  | { delayMs: number }
  /** A mid-stream exception frame, e.g. `modelStreamErrorException` or `throttlingException`; the stream ends after it. */
  | { exception: string; message: string }
  /** The connection is cut, no more frames. */
  | { hangUp: true };

export interface BedrockUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
}

export type BedrockReply =
  | { kind: 'stream'; steps: BedrockStep[]; stopReason?: string; usage?: BedrockUsage }
  | { kind: 'error'; status: number; type: string; message: string };

export interface RecordedBedrockRequest {
  modelId: string;
  /** The parsed JSON body. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  headers: IncomingMessage['headers'];
  /** The client closed the connection before the answer was finished. */
  clientClosed: boolean;
}

export interface FakeBedrock {
  /** The endpoint, for `AWS_ENDPOINT_URL_BEDROCK_RUNTIME`. */
  url: string;
  requests: RecordedBedrockRequest[];
  /** Replies to the next calls, in order; the last one is repeated for every later call. */
  reply(...replies: BedrockReply[]): void;
  close(): Promise<void>;
}

export const DEFAULT_USAGE: BedrockUsage = { inputTokens: 21, outputTokens: 3 };

/** A streamed answer: the pieces, a pause before each (when given), then messageStop and metadata. */
export function answer(
  pieces: string[],
  options: { stopReason?: string; usage?: BedrockUsage; delayMs?: number; then?: BedrockStep[] } = {},
): BedrockReply {
  const steps: BedrockStep[] = pieces.flatMap((text) => (options.delayMs ? [{ delayMs: options.delayMs }, { text }] : [{ text }]));
  return {
    kind: 'stream',
    steps: [...steps, ...(options.then ?? [])],
    stopReason: options.stopReason ?? 'end_turn',
    usage: options.usage ?? DEFAULT_USAGE,
  };
}

/** Text, then a mid-stream exception instead of messageStop. */
export const breakOff = (pieces: string[], exception = 'modelStreamErrorException', message = 'The model stream failed.'): BedrockReply => ({
  kind: 'stream',
  steps: [...pieces.map((text) => ({ text })), { exception, message }],
});

/** HTTP errors as Bedrock sends them: JSON body, the type in `x-amzn-errortype`. */
export const bedrockError = {
  throttled: (): BedrockReply => ({ kind: 'error', status: 429, type: 'ThrottlingException', message: 'Too many requests, please wait before trying again.' }),
  unavailable: (): BedrockReply => ({ kind: 'error', status: 503, type: 'ServiceUnavailableException', message: 'The service is unavailable.' }),
  validation: (message = 'The model returned the following errors: messages: roles must alternate.'): BedrockReply => ({
    kind: 'error',
    status: 400,
    type: 'ValidationException',
    message,
  }),
  accessDenied: (): BedrockReply => ({
    kind: 'error',
    status: 403,
    type: 'AccessDeniedException',
    message: "You don't have access to the model with the specified model ID.",
  }),
  notFound: (): BedrockReply => ({ kind: 'error', status: 404, type: 'ResourceNotFoundException', message: 'Model not found.' }),
};

const codec = new EventStreamCodec(toUtf8, fromUtf8);

function frame(messageType: 'event' | 'exception', type: string, payload: unknown): Uint8Array {
  const typeHeader = messageType === 'event' ? ':event-type' : ':exception-type';
  return codec.encode({
    headers: {
      [typeHeader]: { type: 'string', value: type },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: messageType },
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

/**
 * A stand-in for Bedrock Runtime's ConverseStream on 127.0.0.1 (HTTP/1.1, random port): answers
 * `POST /model/{modelId}/converse-stream` with `application/vnd.amazon.eventstream` frames as
 * Bedrock does, from a script. It checks nothing of the signature; it records each request.
 */
export async function startFakeBedrock(): Promise<FakeBedrock> {
  const requests: RecordedBedrockRequest[] = [];
  let replies: BedrockReply[] = [answer(['Hello', ' from', ' the fake.'])];

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const match = /^\/model\/([^/]+)\/converse-stream$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) {
      res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'UnknownOperationException' });
      res.end(JSON.stringify({ message: `no route ${req.method} ${req.url}` }));
      return;
    }
    const recorded: RecordedBedrockRequest = {
      modelId: decodeURIComponent(match[1]!),
      body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
      headers: req.headers,
      clientClosed: false,
    };
    requests.push(recorded);
    const reply = replies.length > 1 ? replies.shift()! : replies[0]!;
    const requestId = randomUUID();

    if (reply.kind === 'error') {
      res.writeHead(reply.status, {
        'content-type': 'application/json',
        'x-amzn-errortype': `${reply.type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
        'x-amzn-requestid': requestId,
      });
      res.end(JSON.stringify({ message: reply.message }));
      return;
    }

    let finished = false;
    res.on('close', () => {
      if (!finished) recorded.clientClosed = true;
    });
    res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': requestId });
    const send = (bytes: Uint8Array) => {
      if (!res.destroyed) res.write(bytes);
    };
    send(frame('event', 'messageStart', { role: 'assistant' }));
    let index = 0;
    for (const step of reply.steps) {
      if (res.destroyed) return;
      if ('delayMs' in step) {
        await sleep(step.delayMs);
      } else if ('text' in step) {
        send(frame('event', 'contentBlockDelta', { contentBlockIndex: 0, delta: { text: step.text } }));
        index++;
      } else if ('exception' in step) {
        send(frame('exception', step.exception, { message: step.message, originalStatusCode: 500 }));
        finished = true;
        res.end();
        return;
      } else {
        res.socket?.destroy();
        return;
      }
    }
    if (res.destroyed) return;
    if (index > 0) send(frame('event', 'contentBlockStop', { contentBlockIndex: 0 }));
    if (reply.stopReason) send(frame('event', 'messageStop', { stopReason: reply.stopReason }));
    if (reply.usage) {
      const usage = { ...reply.usage, totalTokens: reply.usage.inputTokens + reply.usage.outputTokens };
      send(frame('event', 'metadata', { usage, metrics: { latencyMs: 42 } }));
    }
    finished = true;
    res.end();
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
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * The server settings that send MODEL_PROVIDER=bedrock to this stand-in, with keys given to the
 * server's configuration (not process.env): the container passes them on to the SDK.
 */
export function bedrockEnv(fake: FakeBedrock, extra: Record<string, string> = {}): Record<string, string> {
  return {
    MODEL_PROVIDER: 'bedrock',
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME: fake.url,
    BEDROCK_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIDFAKEBEDROCK',
    AWS_SECRET_ACCESS_KEY: 'fake-bedrock-secret',
    ...extra,
  };
}

/** The `x-amzn-errortype` Bedrock sends with each status (401: a key it does not recognise). */
const BEDROCK_ERROR_TYPES: Record<number, string> = {
  400: 'ValidationException',
  401: 'UnrecognizedClientException',
  403: 'AccessDeniedException',
  404: 'ResourceNotFoundException',
  408: 'ModelTimeoutException',
  424: 'ModelErrorException',
  429: 'ThrottlingException',
  500: 'InternalServerException',
  503: 'ServiceUnavailableException',
};

/** ConverseStream in event-stream frames, for the fake streaming server (test/support/fake-streaming-server.ts). */
export const bedrockFraming: AnswerFraming = {
  headers: { 'content-type': 'application/vnd.amazon.eventstream' },
  start: [frame('event', 'messageStart', { role: 'assistant' })],
  text: (piece) => frame('event', 'contentBlockDelta', { contentBlockIndex: 0, delta: { text: piece } }),
  end: [
    frame('event', 'contentBlockStop', { contentBlockIndex: 0 }),
    frame('event', 'messageStop', { stopReason: 'end_turn' }),
    frame('event', 'metadata', { usage: { ...DEFAULT_USAGE, totalTokens: DEFAULT_USAGE.inputTokens + DEFAULT_USAGE.outputTokens }, metrics: { latencyMs: 42 } }),
  ],
  error: (status, message) => ({
    headers: { 'x-amzn-errortype': `${BEDROCK_ERROR_TYPES[status] ?? 'InternalServerException'}:http://internal.amazon.com/coral/com.amazon.bedrock/` },
    body: JSON.stringify({ message }),
  }),
};
