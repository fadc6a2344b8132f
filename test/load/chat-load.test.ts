import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelEvent, ModelRequest } from '../../src/domain/ports/chat-model.js';
import { readSse, startTestServer, type TestServer } from '../support/http-client.js';
import { ScriptedModel } from '../support/fakes.js';

const USERS = Number(process.env.LOAD_USERS ?? 100);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const TOKENS = 20;
const TOKEN_INTERVAL_MS = 10;

/** A model that streams like a real one: TOKENS pieces, TOKEN_INTERVAL_MS apart. */
async function* pacedAnswer(_request: ModelRequest, signal: AbortSignal): AsyncGenerator<ModelEvent> {
  for (let n = 0; n < TOKENS; n++) {
    await sleep(TOKEN_INTERVAL_MS, undefined, { signal });
    yield { type: 'text', text: `token${n} ` };
  }
  yield { type: 'end', stopReason: 'end_turn', usage: { inputTokens: 50, outputTokens: TOKENS } };
}

/** A full collection before each memory sample, so that the samples show live memory, not garbage. */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/**
 * `npm run test:load`: USERS concurrent users chat for SECONDS through the local server on the
 * embedded DynamoDB and S3. Every stream must complete, nothing may fail, every message must be in
 * the store afterwards, and memory must stay flat after the first seconds.
 */
describe(`load: ${USERS} concurrent users for ${SECONDS} s`, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-load-'));
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { STORE: 'embedded', DATA_DIR: dataDir }, overrides: { model: new ScriptedModel(pacedAnswer) } });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('completes every stream, loses no message, and keeps memory flat', async () => {
    const ttfb: number[] = [];
    const errors: string[] = [];
    const sent = new Map<string, Map<string, number>>(); // user -> conversation -> chats
    const heap: number[] = [];
    const sampler = setInterval(() => {
      collectGarbage();
      heap.push(process.memoryUsage().heapUsed);
    }, 2000);
    const deadline = Date.now() + SECONDS * 1000;

    async function user(index: number): Promise<void> {
      const username = `load-user-${index}`;
      const token = await server.signIn(username);
      const mine = new Map<string, number>();
      sent.set(token, mine);
      let conversationId: string | undefined;
      for (let turn = 0; Date.now() < deadline; turn++) {
        if (turn % 5 === 0) conversationId = undefined; // a new conversation now and then
        const started = performance.now();
        const response = await fetch(`${server.url}/chat`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream', 'Content-Type': 'application/json' },
          body: JSON.stringify({ message: `message ${turn} from ${username}`, ...(conversationId && { conversationId }) }),
        });
        if (response.status !== 200 || !response.body) {
          errors.push(`${username}: HTTP ${response.status} ${await response.text()}`);
          continue;
        }
        const events = [];
        for await (const event of readSse(response.body)) {
          if (events.length === 0) ttfb.push(performance.now() - started);
          events.push(event);
        }
        const last = events[events.length - 1];
        const deltas = events.filter((event) => event.event === 'delta').length;
        if (events[0]?.event !== 'meta' || last?.event !== 'done' || deltas !== TOKENS) {
          errors.push(`${username}: incomplete stream (${events.map((event) => event.event).join(',')})`);
          continue;
        }
        conversationId = events[0].data.conversationId as string;
        mine.set(conversationId, (mine.get(conversationId) ?? 0) + 1);
      }
    }

    const began = performance.now();
    await Promise.all(Array.from({ length: USERS }, (_, index) => user(index)));
    const elapsed = (performance.now() - began) / 1000;
    clearInterval(sampler);

    // Count what the store holds: two messages per completed chat, nothing missing.
    let expected = 0;
    let stored = 0;
    for (const [token, conversations] of sent) {
      for (const [conversationId, chats] of conversations) {
        expected += chats * 2;
        const conversation = await server.api(`/conversations/${conversationId}`, { token });
        stored += (conversation.json.messages as unknown[]).length;
      }
    }

    const chats = ttfb.length;
    const sorted = [...ttfb].sort((a, b) => a - b);
    const settled = heap.slice(Math.min(5, Math.floor(heap.length / 3)));
    const heapMb = (bytes: number | undefined) => Math.round((bytes ?? 0) / 1024 / 1024);
    console.log(
      [
        `load: ${USERS} users, ${elapsed.toFixed(1)} s, ${chats} streamed chats, ${(chats / elapsed).toFixed(1)} chats/s`,
        `time to first byte: p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms`,
        `messages: ${expected} sent and acknowledged, ${stored} stored, ${expected - stored} lost; errors: ${errors.length}`,
        `heap after warm-up: ${heapMb(settled[0])} MB -> ${heapMb(settled[settled.length - 1])} MB (max ${heapMb(Math.max(...settled))} MB)`,
      ].join('\n'),
    );

    expect(errors.slice(0, 5)).toEqual([]);
    expect(chats).toBeGreaterThan(USERS);
    expect(stored).toBe(expected);
    // Flat: the heap at the end is within a generous margin of the heap once warmed up.
    expect(Math.max(...settled)).toBeLessThan((settled[0] ?? 0) * 2 + 100 * 1024 * 1024);
  }, (SECONDS + 120) * 1000);
});
