import type { ChatModel, ModelEvent, ModelLimits, ModelRequest } from '../src/domain/ports/chat-model.js';
import { startLocalServer } from '../src/entrypoints/local/server.js';
import type { BenchResult, Row } from './support/report.js';

/** Tokens a second the scripted model emits, and how many tokens each run streams (about 2 s at 50/s, 1 s at 500/s). */
const PACES = [
  { tokensPerSecond: 50, tokens: 100 },
  { tokensPerSecond: 500, tokens: 500 },
];
const RUNS = 3;

/**
 * A model that emits tokens on a fixed schedule (absolute times, so that timer lateness does not
 * accumulate) and notes when it handed each one over: `performance.now()` is the same clock for
 * the model and the client, both in this process.
 */
class PacedModel implements ChatModel {
  readonly modelId = 'paced';
  readonly limits: ModelLimits = { contextWindowTokens: 200_000, maxOutputTokens: 4_000 };
  tokensPerSecond = 50;
  tokens = 100;
  yieldedAt: number[] = [];

  async *stream(_request: ModelRequest, signal: AbortSignal): AsyncGenerator<ModelEvent> {
    this.yieldedAt = [];
    const interval = 1000 / this.tokensPerSecond;
    const start = performance.now();
    for (let i = 0; i < this.tokens; i++) {
      const wait = start + (i + 1) * interval - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (signal.aborted) return;
      this.yieldedAt.push(performance.now());
      yield { type: 'text', text: `t${i} ` };
    }
    yield { type: 'end', stopReason: 'end_turn', usage: { inputTokens: 10, outputTokens: this.tokens } };
  }
}

/** Arrival time of each `delta` event at the client, read from the raw SSE bytes as they come. */
async function deltaArrivals(response: Response): Promise<number[]> {
  const arrivals: number[] = [];
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    const now = performance.now();
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      if (/^(id: \d+\n)?event: delta/.test(buffer)) arrivals.push(now);
      buffer = buffer.slice(end + 2);
    }
  }
  return arrivals;
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ?? 0;
const gaps = (times: number[]) => times.slice(1).map((time, i) => time - times[i]!);

/**
 * Streaming through the whole local stack (HTTP server, streaming handler, chat service, memory
 * store, SSE framing) with a model that emits tokens at 50/s and 500/s: the time from the model
 * handing over its first token to the first `delta` byte at the client, the delay of every token,
 * and the interval between deltas at the client against the model's own pace (the baseline).
 */
export async function streamingBench(): Promise<BenchResult> {
  // The chat handler's metrics would print an EMF line per chat (Powertools reads process.env).
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  const model = new PacedModel();
  const server = await startLocalServer({
    port: 0,
    env: { STORE: 'memory', LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' },
    overrides: { model },
  });
  try {
    const signIn = await fetch(`${server.url}/local-auth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'bench' }),
    });
    const { idToken } = (await signIn.json()) as { idToken: string };
    const chat = async () => {
      const response = await fetch(`${server.url}/chat`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${idToken}`, Accept: 'text/event-stream', 'Content-Type': 'application/json' },
        body: JSON.stringify({ message: 'Stream please.' }),
      });
      const arrivals = await deltaArrivals(response);
      if (arrivals.length !== model.tokens) throw new Error(`expected ${model.tokens} deltas, got ${arrivals.length}`);
      return { arrivals, yielded: [...model.yieldedAt] };
    };

    // Warm-up: JIT, the first connection, the first conversation.
    Object.assign(model, { tokensPerSecond: 500, tokens: 200 });
    await chat();

    const rows: Row[] = [];
    for (const pace of PACES) {
      Object.assign(model, pace);
      const runs = [];
      for (let run = 0; run < RUNS; run++) runs.push(await chat());
      const firstToken = runs.map(({ arrivals, yielded }) => arrivals[0]! - yielded[0]!);
      const latencies = runs.flatMap(({ arrivals, yielded }) => arrivals.map((arrival, i) => arrival - yielded[i]!));
      const modelInterval = mean(runs.flatMap(({ yielded }) => gaps(yielded)));
      const clientInterval = mean(runs.flatMap(({ arrivals }) => gaps(arrivals)));
      rows.push({
        'tokens/s': pace.tokensPerSecond,
        'tokens x runs': `${pace.tokens} x ${RUNS}`,
        'first token -> first delta (ms)': median(firstToken),
        'token latency p50 (ms)': percentile(latencies, 0.5),
        'token latency p95 (ms)': percentile(latencies, 0.95),
        'model interval (ms, baseline)': modelInterval,
        'client interval (ms)': clientInterval,
        'overhead/token (ms)': clientInterval - modelInterval,
        'interval ratio': clientInterval / modelInterval,
      });
    }
    return {
      name: 'streaming (local server, memory store, paced model)',
      description:
        'time from the model yielding a token to its SSE delta at the client; client inter-delta interval against the model\'s own pace (ratio 1 = no overhead)',
      rows,
    };
  } finally {
    await server.close();
  }
}
