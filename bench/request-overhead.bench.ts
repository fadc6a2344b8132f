import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ChatModel, ModelEvent, ModelLimits } from '../src/domain/ports/chat-model.js';
import { startLocalServer } from '../src/entrypoints/local/server.js';
import type { BenchResult } from './support/report.js';

const run = promisify(execFile);
const GENERATOR = fileURLToPath(new URL('./support/load-generator.mjs', import.meta.url));
const CONNECTIONS = 16;
const WARM_UP_MS = 2_000;
const DURATION_MS = 5_000;

/** A model that answers at once: what is measured is everything around it. */
class InstantModel implements ChatModel {
  readonly modelId = 'instant';
  readonly limits: ModelLimits = { contextWindowTokens: 200_000, maxOutputTokens: 4_000 };
  async *stream(): AsyncGenerator<ModelEvent> {
    yield { type: 'text', text: 'The answer is 42.' };
    yield { type: 'end', stopReason: 'end_turn', usage: { inputTokens: 12, outputTokens: 6 } };
  }
}

interface Load {
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p99: number;
}

async function load(url: string, headers: Record<string, string>, body: string): Promise<Load> {
  const spec = { url, method: 'POST', headers, body, connections: CONNECTIONS, warmUpMs: WARM_UP_MS, durationMs: DURATION_MS };
  const { stdout } = await run(process.execPath, [GENERATOR, JSON.stringify(spec)], { maxBuffer: 1024 * 1024 });
  return JSON.parse(stdout) as Load;
}

/**
 * The chat path's overhead (`POST /chat`, JSON answer): the local server with the real handler
 * stack (token verification, validation, chat service, in-memory stores, prompt building,
 * metrics off) and a model that answers at once, against a bare Node `http` server that returns
 * the very same bytes. Both are loaded by the same generator in a separate process.
 */
export async function requestOverheadBench(): Promise<BenchResult> {
  // Powertools reads process.env: without this each answer would print an EMF line.
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const server = await startLocalServer({
    port: 0,
    env: { STORE: 'memory', LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' },
    overrides: { model: new InstantModel() },
  });
  let bare: Server | undefined;
  try {
    const signIn = await fetch(`${server.url}/local-auth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'bench' }),
    });
    const { idToken } = (await signIn.json()) as { idToken: string };
    const headers = { Authorization: `Bearer ${idToken}`, 'Content-Type': 'application/json', Accept: 'application/json' };
    const body = JSON.stringify({ message: 'What is the answer to life, the universe and everything?' });

    const sample = await fetch(`${server.url}/chat`, { method: 'POST', headers, body });
    const sampleBytes = Buffer.from(await sample.arrayBuffer());
    const sampleType = sample.headers.get('content-type') ?? 'application/json';
    bare = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'Content-Type': sampleType, 'Content-Length': sampleBytes.length });
        res.end(sampleBytes);
      });
    });
    await new Promise<void>((resolve) => bare!.listen(0, '127.0.0.1', resolve));
    const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/chat`;

    const baseline = await load(bareUrl, headers, body);
    const ours = await load(`${server.url}/chat`, headers, body);
    const row = (name: string, figures: Load) => ({
      server: name,
      'requests/s': figures.rps,
      'rps ratio': figures.rps / baseline.rps,
      'p50 (ms)': figures.p50,
      'p99 (ms)': figures.p99,
      requests: figures.requests,
      errors: figures.errors,
    });
    return {
      name: 'request overhead (POST /chat, JSON)',
      description: `${CONNECTIONS} keep-alive connections for ${DURATION_MS / 1000} s after ${WARM_UP_MS / 1000} s of warm-up; our stack with a model that answers at once against a bare node:http server sending the same ${sampleBytes.length} bytes (goal: rps ratio >= 0.5)`,
      rows: [row('bare node:http (baseline)', baseline), row('local server, memory stores', ours)],
    };
  } finally {
    await new Promise<void>((resolve) => (bare ? bare.close(() => resolve()) : resolve()));
    await server.close();
  }
}
