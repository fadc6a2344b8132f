import { randomUUID } from 'node:crypto';
import { EMBEDDED_CREDENTIALS } from '../src/entrypoints/embedded-credentials.js';
import { startEmbeddedStores } from '../src/entrypoints/local/embedded-stores.js';
import { startLocalServer } from '../src/entrypoints/local/server.js';
import { answer, bedrockEnv, startFakeBedrock } from '../test/support/fake-bedrock.js';
import { startDelayingProxy } from './support/delaying-proxy.js';
import type { BenchResult } from './support/report.js';

/** What each call costs on AWS, roughly, added by proxies in front of the embedded stores. */
const DYNAMODB_MS = 10;
const S3_MS = 30;
const WARM_UP = 5;
const RUNS = 30;

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))]!;

/**
 * How long a user's message waits before the model is asked: from the moment `POST /chat` is
 * sent to the moment the model's endpoint receives its request, with every DynamoDB call made
 * 10 ms slower and every S3 call 30 ms slower than on this machine (delaying proxies in front of
 * dynalite and s3rver, whose own time is small). The model is the fake Bedrock, over HTTP, as on
 * AWS. Warm: the server has answered before, its connections are open. The store calls each
 * message makes are counted at the proxies.
 */
export async function timeToModelBench(): Promise<BenchResult> {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  // The SDK's credential chain for the stores behind the proxies (s3rver accepts only its own keys).
  process.env.AWS_ACCESS_KEY_ID = EMBEDDED_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = EMBEDDED_CREDENTIALS.secretAccessKey;
  const stores = await startEmbeddedStores({ buckets: [] });
  const bedrock = await startFakeBedrock();
  bedrock.reply(answer(['The', ' answer', '.']));
  const dynamo = await startDelayingProxy(stores.dynamoDbEndpoint, DYNAMODB_MS);
  const s3 = await startDelayingProxy(stores.s3Endpoint, S3_MS);
  const model = await startDelayingProxy(bedrock.url, 0);
  const server = await startLocalServer({
    port: 0,
    env: {
      ...bedrockEnv({ ...bedrock, url: model.url }, { MODEL_ID: 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0', TITLE_MODEL_ID: 'none' }),
      STORE: 'aws',
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.url,
      AWS_ENDPOINT_URL_S3: s3.url,
      LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
    },
  });
  try {
    const signIn = await fetch(`${server.url}/local-auth/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'bench' }) });
    const { idToken } = (await signIn.json()) as { idToken: string };
    const authorization = `Bearer ${idToken}`;

    /** Sends one message as the SPA does (streamed, with an idempotency key); ms until the model was asked, store calls before it. */
    const timeOne = async (body: object) => {
      const modelCalls = model.arrivals.length;
      const [dynamoBefore, s3Before] = [dynamo.arrivals.length, s3.arrivals.length];
      const start = performance.now();
      const response = await fetch(`${server.url}/chat`, {
        method: 'POST',
        headers: { Authorization: authorization, 'Content-Type': 'application/json', Accept: 'text/event-stream', 'Idempotency-Key': randomUUID() },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      if (response.status !== 200 || !text.includes('event: done')) throw new Error(`chat failed: ${response.status} ${text.slice(0, 300)}`);
      const askedAt = model.arrivals[modelCalls];
      if (askedAt === undefined) throw new Error('the model was not asked');
      const before = (arrivals: number[], from: number) => arrivals.slice(from).filter((at) => at < askedAt).length;
      const meta = /event: meta\ndata: (.*)\n/.exec(text);
      return { ms: askedAt - start, dynamo: before(dynamo.arrivals, dynamoBefore), s3: before(s3.arrivals, s3Before), conversationId: meta ? (JSON.parse(meta[1]!) as { conversationId: string }).conversationId : '' };
    };

    const upload = await fetch(`${server.url}/files`, {
      method: 'POST',
      headers: { Authorization: authorization, 'Content-Type': 'application/json' },
      body: JSON.stringify({ fileName: 'minutes.txt', contentType: 'text/plain', data: Buffer.from('The board met on Monday. '.repeat(200)).toString('base64') }),
    });
    const { fileId } = (await upload.json()) as { fileId: string };
    const withFile = await timeOne({ message: 'What did the board decide?', fileIds: [fileId] });

    const measure = async (send: () => Promise<{ ms: number; dynamo: number; s3: number }>) => {
      for (let i = 0; i < WARM_UP; i++) await send();
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await send());
      return { times: runs.map((run) => run.ms), dynamo: percentile(runs.map((run) => run.dynamo), 50), s3: percentile(runs.map((run) => run.s3), 50) };
    };
    /** The same messages with the stores as fast as this machine has them, then made slower. */
    const measureBoth = async (send: () => Promise<{ ms: number; dynamo: number; s3: number }>) => {
      [dynamo.delayMs, s3.delayMs] = [0, 0];
      const local = await measure(send);
      [dynamo.delayMs, s3.delayMs] = [DYNAMODB_MS, S3_MS];
      const slowed = await measure(send);
      return {
        'p50 (ms)': percentile(slowed.times, 50),
        'p90 (ms)': percentile(slowed.times, 90),
        'p50, stores not slowed (ms)': percentile(local.times, 50),
        'waiting on the stores (ms)': percentile(slowed.times, 50) - percentile(local.times, 50),
        'DynamoDB calls before the model': slowed.dynamo,
        'S3 calls before the model': slowed.s3,
      };
    };
    const newConversation = await measureBoth(() => timeOne({ message: 'Plan a weekend in Lyon.' }));
    const followUp = await measureBoth(() => timeOne({ message: 'And what about the budget?', conversationId: withFile.conversationId }));
    return {
      name: 'time to model (POST /chat, warm, stores made slower)',
      description: `from the request to the model's endpoint receiving its call, ${RUNS} messages after ${WARM_UP} of warm-up, with ${DYNAMODB_MS} ms added to every DynamoDB call and ${S3_MS} ms to every S3 call, and the same without (dynalite's own time and the server's); their difference is the wait on store round trips (goal: a follow-up within 25 ms)`,
      rows: [
        { message: 'new conversation', ...newConversation },
        { message: 'follow-up, one file attached', ...followUp },
      ],
    };
  } finally {
    await server.close();
    await Promise.all([dynamo.close(), s3.close(), model.close(), bedrock.close()]);
    await stores.close();
  }
}
