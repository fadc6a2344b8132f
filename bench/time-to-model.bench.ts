import { randomUUID } from 'node:crypto';
import { EMBEDDED_CREDENTIALS } from '../src/entrypoints/embedded-credentials.js';
import { startLocalServer, type LocalServer } from '../src/entrypoints/local/server.js';
import { startAwsSide, type AwsSide } from './support/aws-side-process.js';
import type { ProxiedCall } from './support/delaying-proxy.js';
import type { BenchResult } from './support/report.js';
import { roundTrips } from './support/round-trips.js';
import { serverReceipts, timedPoster } from './support/timed-post.js';

/** What each call costs on AWS, roughly, added by proxies in front of the embedded stores. */
const DYNAMODB_MS = 10;
const S3_MS = 30;
const WARM_UP = 5;
const RUNS = 30;
const FOLLOW_UPS_A_CONVERSATION = 6;
/** Production stacks set both; limits high enough never to refuse a message here. */
const LIMITS = { RATE_LIMIT_MESSAGES_PER_MINUTE: '1000000', USAGE_LIMIT_USD_PER_MONTH: '1000' };
/** Set on this process for the server's SDK clients (the stores take only the embedded keys), and put back after. */
const PROCESS_ENV = {
  POWERTOOLS_METRICS_DISABLED: 'true',
  AWS_ACCESS_KEY_ID: EMBEDDED_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: EMBEDDED_CREDENTIALS.secretAccessKey,
};

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))]!;

interface Timing {
  /** From just before the client wrote the request to the model's endpoint receiving its call. */
  ms: number;
  /** From the server's receipt of the request (its head parsed) to the same. */
  fromReceiptMs: number;
  /** The server's own time from its receipt of the request to its first store call. */
  beforeStoresMs: number;
  /** From the last store answer it waited for to the model's call (none waited for: from the receipt). */
  afterStoresMs: number;
  dynamoDb: number;
  s3: number;
  rounds: number;
  conversationId: string;
}

/**
 * How long a user's message waits before the model is asked: from the moment `POST /chat` is
 * sent to the moment the model's endpoint receives its request, with every DynamoDB call made
 * 10 ms slower and every S3 call 30 ms slower than on this machine. Only the server under test
 * runs in this process: dynalite, s3rver, the delaying proxies in front of them and the fake
 * Bedrock run in another (bench/support/aws-side.ts), as AWS's services run on other machines, so
 * that their work does not hold up the server's event loop. Warm: the server has answered
 * before, its connections are open. The store calls each message makes are noted at the proxies.
 */
export async function timeToModelBench(): Promise<BenchResult> {
  const savedEnv = Object.fromEntries(Object.keys(PROCESS_ENV).map((name) => [name, process.env[name]]));
  Object.assign(process.env, PROCESS_ENV);
  const side = await startAwsSide();
  const client = timedPoster();
  const receipts = serverReceipts('Idempotency-Key');
  const servers: LocalServer[] = [];
  try {
    const start = async (limits: Record<string, string>) => {
      const server = await startLocalServer({ port: 0, env: serverEnv(side, limits) });
      servers.push(server);
      return server;
    };
    const limited = await start(LIMITS);
    const unlimited = await start({});

    /** Signs in, then sends messages as the SPA does (streamed, with an idempotency key), timed. */
    const userOf = async (server: LocalServer) => {
      const json = { 'Content-Type': 'application/json' };
      const signIn = await client.post(`${server.url}/local-auth/token`, json, JSON.stringify({ username: 'bench' }));
      const headers = { ...json, Authorization: `Bearer ${(JSON.parse(signIn.text) as { idToken: string }).idToken}` };
      const timeOne = async (body: object): Promise<Timing> => {
        const key = randomUUID();
        const sent = await client.post(`${server.url}/chat`, { ...headers, Accept: 'text/event-stream', 'Idempotency-Key': key }, JSON.stringify(body));
        if (sent.status !== 200 || !sent.text.includes('event: done')) throw new Error(`chat failed: ${sent.status} ${sent.text.slice(0, 300)}`);
        const receivedAt = receipts.receivedAt.get(key)!;
        receipts.receivedAt.delete(key);
        const calls = await side.callsSince(sent.sentAt);
        const askedAt = calls.model[0]?.arrivedAt;
        if (askedAt === undefined) throw new Error('the model was not asked');
        const before = (list: ProxiedCall[]) => list.filter((call) => call.arrivedAt < askedAt);
        const storeCalls = [...before(calls.dynamoDb), ...before(calls.s3)];
        // Writes sent beside the model's call arrive before it but are answered after: not waited for.
        const answers = storeCalls.map((call) => call.answeredAt ?? Infinity).filter((at) => at < askedAt);
        const meta = /event: meta\ndata: (.*)\n/.exec(sent.text);
        return {
          ms: askedAt - sent.sentAt,
          fromReceiptMs: askedAt - receivedAt,
          beforeStoresMs: Math.min(askedAt, ...storeCalls.map((call) => call.arrivedAt)) - receivedAt,
          afterStoresMs: askedAt - Math.max(receivedAt, ...answers),
          dynamoDb: before(calls.dynamoDb).length,
          s3: before(calls.s3).length,
          rounds: roundTrips(storeCalls),
          conversationId: meta ? (JSON.parse(meta[1]!) as { conversationId: string }).conversationId : '',
        };
      };
      /** A conversation that has one file attached, for follow-ups. */
      const conversationWithFile = async () => {
        const file = { fileName: 'minutes.txt', contentType: 'text/plain', data: Buffer.from('The board met on Monday. '.repeat(200)).toString('base64') };
        const upload = await client.post(`${server.url}/files`, headers, JSON.stringify(file));
        const { fileId } = JSON.parse(upload.text) as { fileId: string };
        return (await timeOne({ message: 'What did the board decide?', fileIds: [fileId] })).conversationId;
      };
      return { timeOne, conversationWithFile };
    };

    /**
     * The same message sent under three conditions taken in turn, so that the machine's drift over
     * the run weighs on each alike: the stores as fast as this machine has them, each call made
     * 10 ms (S3: 30 ms) slower than that, and each call taking 10 ms (30 ms) in all.
     */
    const measureAll = async (send: () => Promise<Timing>) => {
      const conditions = [
        { name: 'local', set: () => side.setDelays(0, 0) },
        { name: 'added', set: () => side.setDelays(DYNAMODB_MS, S3_MS, 'added') },
        { name: 'total', set: () => side.setDelays(DYNAMODB_MS, S3_MS, 'total') },
      ] as const;
      const runs = { local: [] as Timing[], added: [] as Timing[], total: [] as Timing[] };
      for (let i = 0; i < WARM_UP + RUNS; i++) {
        for (const condition of conditions) {
          await condition.set();
          const timing = await send();
          if (i >= WARM_UP) runs[condition.name].push(timing);
        }
      }
      const median = (list: Timing[], pick: (run: Timing) => number) => percentile(list.map(pick), 50);
      const slowed = runs.added;
      return {
        'p50 (ms)': median(slowed, (run) => run.ms),
        'p90 (ms)': percentile(slowed.map((run) => run.ms), 90),
        'p50 from the server receiving it (ms)': median(slowed, (run) => run.fromReceiptMs),
        'server, receipt -> first store call (ms)': median(slowed, (run) => run.beforeStoresMs),
        'server, last store answer -> model (ms)': median(slowed, (run) => run.afterStoresMs),
        'p50, stores not slowed (ms)': median(runs.local, (run) => run.ms),
        'waiting on the stores (ms)': median(slowed, (run) => run.ms) - median(runs.local, (run) => run.ms),
        'p50, each call 10 ms in all (ms)': median(runs.total, (run) => run.ms),
        'DynamoDB calls before the model': median(slowed, (run) => run.dynamoDb),
        'S3 calls before the model': median(slowed, (run) => run.s3),
        'store round trips before the model': median(slowed, (run) => run.rounds),
      };
    };

    /**
     * Follow-ups in conversations of usual length: a new conversation with the file (not timed)
     * every FOLLOW_UPS_A_CONVERSATION messages, so each is timed after 2 to 14 earlier messages.
     * Long histories are the `history-append` and `prompt-building` benchmarks' business.
     */
    const followUps = (user: Awaited<ReturnType<typeof userOf>>) => {
      let conversationId = '';
      let sent = FOLLOW_UPS_A_CONVERSATION;
      return async () => {
        if (sent === FOLLOW_UPS_A_CONVERSATION) [conversationId, sent] = [await user.conversationWithFile(), 0];
        sent++;
        return user.timeOne({ message: 'And what about the budget?', conversationId });
      };
    };
    const user = await userOf(limited);
    const newConversation = await measureAll(() => user.timeOne({ message: 'Plan a weekend in Lyon.' }));
    const followUp = await measureAll(followUps(user));
    const freeFollowUp = await measureAll(followUps(await userOf(unlimited)));
    return {
      name: 'time to model (POST /chat, warm, stores made slower)',
      description:
        `from the request to the model's endpoint receiving its call, ${RUNS} messages after ${WARM_UP} of warm-up, with ${DYNAMODB_MS} ms added to every DynamoDB call ` +
        `and ${S3_MS} ms to every S3 call, and the same without (dynalite's own time and the server's); their difference is the wait on store round trips. ` +
        `Also with each call taking ${DYNAMODB_MS} ms (S3 ${S3_MS} ms) in all, its answer held until then: dynalite answers the calls of one round one after another, ` +
        `DynamoDB side by side. The three conditions are taken in turn, message by message. Follow-ups are sent in conversations of 2 to 14 earlier messages ` +
        `(goal: a follow-up within 25 ms). The stores, proxies and model run in a process of their own. The server has a rate limit and a monthly ` +
        `spending limit set, as production stacks do; the last row is a second server without them. Round trips: the longest chain of store calls ` +
        `each made after the one before it was answered; the server's own time is shown before its first store call and after the last answer it waited for`,
      rows: [
        { message: 'new conversation', ...newConversation },
        { message: 'follow-up, one file attached', ...followUp },
        { message: 'follow-up, one file, no rate or spending limit', ...freeFollowUp },
      ],
    };
  } finally {
    receipts.close();
    client.close();
    for (const server of servers) await server.close();
    await side.close();
    for (const [name, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** The local server on the AWS side's proxies: `STORE=aws` with overridden endpoints creates its tables and bucket itself. */
function serverEnv(side: AwsSide, limits: Record<string, string>): Record<string, string> {
  return {
    MODEL_PROVIDER: 'bedrock',
    MODEL_ID: 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0',
    TITLE_MODEL_ID: 'none',
    BEDROCK_REGION: 'eu-west-1',
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME: side.modelUrl,
    // The fake Bedrock checks no signature; these keys go to the model's client only (the stores' come from the process).
    AWS_ACCESS_KEY_ID: 'AKIDFAKEBEDROCK',
    AWS_SECRET_ACCESS_KEY: 'fake-bedrock-secret',
    STORE: 'aws',
    AWS_REGION: 'eu-west-1',
    AWS_ENDPOINT_URL_DYNAMODB: side.dynamoDbUrl,
    AWS_ENDPOINT_URL_S3: side.s3Url,
    LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    ...limits,
  };
}
