import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { ChatModel, ModelEvent, ModelLimits } from '../src/domain/ports/chat-model.js';
import { AnswerLimits } from '../src/entrypoints/chat/answer-limits.js';
import { AnswerOutcome } from '../src/entrypoints/chat/answer-outcome.js';
import { jsonAnswer } from '../src/entrypoints/chat/json-answer.js';
import { loadConfig } from '../src/entrypoints/config.js';
import { servicesFromAllFamilies } from '../src/entrypoints/modules/all-families.js';
import { startLocalServer } from '../src/entrypoints/local/server.js';
import type { BenchResult } from './support/report.js';

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
  /** CPU time this process (the server under test) spent per request, user and system, in µs. */
  cpuUs: number;
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p99: number;
}

async function load(url: string, headers: Record<string, string>, body: string): Promise<Load> {
  const spec = { url, method: 'POST', headers, body, connections: CONNECTIONS, warmUpMs: WARM_UP_MS, durationMs: DURATION_MS };
  const generator = spawn(process.execPath, [GENERATOR, JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'pipe'] });
  // The server's CPU (this process) from the moment the generator's measured phase begins.
  let cpu: NodeJS.CpuUsage | undefined;
  generator.stderr.setEncoding('utf8').on('data', (text: string) => {
    if (text.includes('measuring')) cpu ??= process.cpuUsage();
  });
  let stdout = '';
  generator.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  const [code] = (await once(generator, 'close')) as [number | null];
  const used = process.cpuUsage(cpu);
  if (code !== 0 || !cpu) throw new Error(`the load generator failed (exit ${code})`);
  const figures = JSON.parse(stdout) as Omit<Load, 'cpuUs'>;
  return { ...figures, cpuUs: (used.user + used.system) / figures.requests };
}

/** Headers Node writes itself, or that describe this one response only. */
const PER_RESPONSE = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

/** A plain node:http server whose every POST gets `answer(body)` with `headers`. */
async function plainServer(headers: Record<string, string>, answer: (body: string) => Promise<Buffer> | Buffer): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void Promise.resolve(answer(Buffer.concat(chunks).toString('utf8'))).then((bytes) => {
        res.writeHead(200, { ...headers, 'Content-Length': bytes.length });
        res.end(bytes);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/chat`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Keeps the CPU busy for `us` microseconds: a calibration of what pure work costs on this machine. */
function busy(us: number): void {
  const until = performance.now() + us / 1000;
  while (performance.now() < until);
}

/** CPU per request that a handler may add here before the ratio falls to the goal (see the calibration row). */
const CALIBRATION_US = 40;

/**
 * The chat path's overhead (`POST /chat`, JSON answer): the local server with the real handler
 * stack (token verification, validation, chat service, in-memory stores, prompt building,
 * metrics off) and a model that answers at once, against a bare Node `http` server that returns
 * the very same bytes and headers. Both are loaded by the same generator in a separate process.
 * Two more rows say where the time goes: the chat service alone behind a plain server (no token,
 * no validation, no Lambda event), and a plain server that only burns 40 µs of CPU per request,
 * which shows what that much work does to the ratio on the machine at hand.
 */
export async function requestOverheadBench(): Promise<BenchResult> {
  // Powertools reads process.env: without this each answer would print an EMF line.
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const env = { STORE: 'memory', LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' };
  const server = await startLocalServer({ port: 0, env, overrides: { model: new InstantModel() } });
  const plain: Array<{ close(): Promise<void> }> = [];
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
    const sampleHeaders = Object.fromEntries([...sample.headers].filter(([name]) => !PER_RESPONSE.has(name)));

    const bare = await plainServer(sampleHeaders, () => sampleBytes);
    const calibration = await plainServer(sampleHeaders, () => {
      busy(CALIBRATION_US);
      return sampleBytes;
    });
    // A service of its own, so that the full stack's store starts as empty as this one's.
    const services = servicesFromAllFamilies(loadConfig({ ...env, PUBLIC_URL: server.url }), { model: new InstantModel() });
    // The chat service and the JSON answer the handler makes of its events (chat/json-answer.ts),
    // without the token check, the validation, the Lambda event or the request's log line.
    const serviceOnly = await plainServer(sampleHeaders, async (text) => {
      const limits = new AnswerLimits(services.config.chat.modelIdleTimeoutMs);
      try {
        const events = services.chat.send('bench', JSON.parse(text) as { message: string }, limits.signal);
        const answer = await jsonAnswer(events, await events.next(), { limits, outcome: new AnswerOutcome(services, 'bench'), headers: {} });
        return Buffer.from(answer.body);
      } finally {
        limits.dispose();
      }
    });
    plain.push(bare, calibration, serviceOnly);

    const baseline = await load(bare.url, headers, body);
    const busyFigures = await load(calibration.url, headers, body);
    const serviceFigures = await load(serviceOnly.url, headers, body);
    const ours = await load(`${server.url}/chat`, headers, body);
    const row = (name: string, figures: Load) => ({
      server: name,
      'requests/s': figures.rps,
      'rps ratio': figures.rps / baseline.rps,
      'p50 (ms)': figures.p50,
      'p99 (ms)': figures.p99,
      'server CPU (µs/request)': figures.cpuUs,
      requests: figures.requests,
      errors: figures.errors,
    });
    return {
      name: 'request overhead (POST /chat, JSON)',
      description: `${CONNECTIONS} keep-alive connections for ${DURATION_MS / 1000} s after ${WARM_UP_MS / 1000} s of warm-up; our stack with a model that answers at once against a bare node:http server sending the same ${sampleBytes.length} bytes and headers (goal: rps ratio >= 0.5). The middle rows are for understanding only`,
      rows: [
        row('bare node:http (baseline)', baseline),
        row(`bare + ${CALIBRATION_US} µs of busy CPU (calibration)`, busyFigures),
        row('chat service and its JSON answer only (no token, no validation)', serviceFigures),
        row('local server, memory stores (full stack)', ours),
      ],
    };
  } finally {
    for (const closable of plain) await closable.close();
    await server.close();
  }
}
