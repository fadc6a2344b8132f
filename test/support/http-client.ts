import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Overrides } from '../../src/entrypoints/container.js';
import { startLocalServer, type LocalServer } from '../../src/entrypoints/local/server.js';
import { readFrames } from './sse-frames.js';

/** JSON as the tests read it: they reach into responses freely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface ApiResponse {
  status: number;
  headers: Headers;
  /** The parsed body, or undefined when the body is empty or is not JSON. */
  json: Json;
  /** The raw body. */
  text: string;
}

export interface ApiOptions {
  method?: string;
  token?: string;
  /** An object or array is sent as JSON; a string, Buffer or Uint8Array as is. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface SseEvent {
  event: string;
  data: Json;
}

export interface ChatStreamResult {
  status: number;
  headers: Headers;
  events: SseEvent[];
  /** The JSON body when the server answered with an error instead of a stream. */
  json: Json;
}

export interface TestServer {
  url: string;
  server: LocalServer;
  close(): Promise<void>;
  signIn(username: string): Promise<string>;
  /** `path` is relative to the server, or an absolute URL (an upload URL). */
  api(path: string, options?: ApiOptions): Promise<ApiResponse>;
  chatStream(token: string, body: unknown, init?: { signal?: AbortSignal; headers?: Record<string, string> }): Promise<ChatStreamResult>;
  /** Opens a streamed chat and yields its events as they arrive (for tests that stop reading). */
  openChatStream(token: string, body: unknown, signal?: AbortSignal, headers?: Record<string, string>): Promise<{ response: Response; events: AsyncGenerator<SseEvent> }>;
}

/** Starts the local server on a random port with in-memory stores, silent logs and an instant offline model. */
export async function startTestServer(options: { env?: Record<string, string>; overrides?: Overrides; webDist?: string } = {}): Promise<TestServer> {
  // `HTTP_TEST_STORE=embedded npx vitest run test/http` runs the same tests against dynalite and s3rver.
  const embedded = process.env.HTTP_TEST_STORE === 'embedded' && options.env?.STORE === undefined;
  const dataDir = embedded ? mkdtempSync(join(tmpdir(), 'http-test-')) : undefined;
  const server = await startLocalServer({
    port: 0,
    env: {
      LOG_LEVEL: 'SILENT',
      OFFLINE_MODEL_WORD_DELAY_MS: '0',
      ...(dataDir && { STORE: 'embedded', DATA_DIR: dataDir }),
      ...options.env,
    },
    ...(options.overrides && { overrides: options.overrides }),
    ...(options.webDist && { webDist: options.webDist }),
  });
  const { url } = server;
  const close = async () => {
    await server.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };

  async function api(path: string, opts: ApiOptions = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token !== undefined) headers.Authorization = `Bearer ${opts.token}`;
    let body: string | Uint8Array | undefined;
    if (typeof opts.body === 'string' || opts.body instanceof Uint8Array) {
      body = opts.body;
    } else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['Content-Type'] ??= 'application/json';
    }
    const target = /^https?:\/\//.test(path) ? path : `${url}${path}`;
    const response = await fetch(target, { method: opts.method ?? 'GET', headers, ...(body !== undefined && { body }) });
    const text = await response.text();
    let json: Json;
    if (text !== '') {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    return { status: response.status, headers: response.headers, json, text };
  }

  async function signIn(username: string): Promise<string> {
    const response = await api('/local-auth/token', { method: 'POST', body: { username } });
    if (response.status !== 200 || typeof response.json?.idToken !== 'string') {
      throw new Error(`sign-in of ${username} failed: ${response.status} ${response.text}`);
    }
    return response.json.idToken as string;
  }

  async function openChatStream(token: string, body: unknown, signal?: AbortSignal, extraHeaders: Record<string, string> = {}) {
    const response = await fetch(`${url}/chat`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream', 'Content-Type': 'application/json', ...extraHeaders },
      body: JSON.stringify(body),
      ...(signal && { signal }),
    });
    if (!response.body) throw new Error('the chat response has no body');
    return { response, events: readSse(response.body) };
  }

  async function chatStream(
    token: string,
    body: unknown,
    init: { signal?: AbortSignal; headers?: Record<string, string> } = {},
  ): Promise<ChatStreamResult> {
    const { response, events } = await openChatStream(token, body, init.signal, init.headers);
    if (!(response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
      const text = await response.text();
      let json: Json;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: response.status, headers: response.headers, events: [], json };
    }
    const collected: SseEvent[] = [];
    for await (const event of events) collected.push(event);
    return { status: response.status, headers: response.headers, events: collected, json: undefined };
  }

  return {
    url,
    server,
    close,
    signIn,
    api,
    chatStream,
    openChatStream: (token, body, signal, headers) => openChatStream(token, body, signal, headers),
  };
}

/** Server-Sent Events as most tests read them: each frame's event and data (sse-frames.ts parses them, ids too). */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  for await (const { event, data } of readFrames(body)) yield { event, data };
}

/**
 * Every error answer is JSON `{error: {code, message, requestId}}` with a request id that matches
 * the `X-Request-Id` header. Checks the status (and the code, when given) too.
 */
export function expectError(response: { status: number; headers: Headers; json: Json; text?: string }, status: number, code?: string): void {
  expect(response.status, `status of ${response.text ?? JSON.stringify(response.json)}`).toBe(status);
  expectErrorShape(response);
  if (code !== undefined) expect(response.json.error.code).toBe(code);
}

/** The error body's shape alone, whatever the status. */
export function expectErrorShape(response: { status: number; headers: Headers; json: Json; text?: string }): void {
  const context = `${response.status} ${response.text ?? JSON.stringify(response.json)}`;
  expect(response.headers.get('content-type') ?? '', context).toMatch(/^application\/json/);
  expect(response.json, context).toEqual({
    error: { code: expect.any(String), message: expect.any(String), requestId: expect.any(String) },
  });
  const { code, message, requestId } = response.json.error as { code: string; message: string; requestId: string };
  expect(code, context).toMatch(/^[A-Z][A-Z0-9_]+$/);
  expect(message.length, context).toBeGreaterThan(0);
  expect(requestId.length, context).toBeGreaterThan(0);
  expect(response.headers.get('x-request-id'), context).toBe(requestId);
}

/** Polls until `check` returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 2000, what = 'the condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** One field of every item of a list, e.g. the ids. */
export const pluck = (items: Json, key: string): unknown[] => (items as Record<string, unknown>[]).map((item) => item[key]);

export const base64 = (text: string | Uint8Array): string => Buffer.from(text).toString('base64');
