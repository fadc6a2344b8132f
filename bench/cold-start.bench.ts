import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { ensureBucket, ensureTables } from '../src/adapters/aws/ensure-resources.js';
import { createDynamoDbClient } from '../src/adapters/aws/clients.js';
import { createS3Client } from '../src/adapters/blob-store/s3-client.js';
import { EMBEDDED_CREDENTIALS } from '../src/entrypoints/embedded-credentials.js';
import { startEmbeddedStores } from '../src/entrypoints/local/embedded-stores.js';
import { entryBundle } from '../infra/build/lambda-bundle-options.js';
import { answer, startFakeBedrock } from '../test/support/fake-bedrock.js';
import { startDelayingProxy } from './support/delaying-proxy.js';
import type { BenchResult } from './support/report.js';

const run = promisify(execFile);
const RUNS = 5;
const JWKS_MS = 50;
const DYNAMODB_MS = 10;
const POOL = 'eu-west-1_ColdStart';
const CLIENT = 'cold-start-client';
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * A cold chat function's first message: the bundle as `npm run build` makes it, imported by a
 * fresh `node` (Lambda's init phase), then invoked at once with `POST /chat`; Cognito's keys are
 * served 50 ms away and every DynamoDB call takes 10 ms more, as on AWS. Measured: the init, and
 * the time from the request to the model's endpoint receiving its call. Once with the keys fetched
 * at init (on Lambda: AWS_LAMBDA_FUNCTION_NAME set), once with them fetched by the first request,
 * as before the warm-up.
 */
export async function coldStartBench(): Promise<BenchResult> {
  const out = mkdtempSync(join(tmpdir(), 'cold-start-'));
  const stores = await startEmbeddedStores({ buckets: [] });
  const bedrock = await startFakeBedrock();
  bedrock.reply(answer(['Bonjour', '.']));
  const model = await startDelayingProxy(bedrock.url, 0);
  const dynamo = await startDelayingProxy(stores.dynamoDbEndpoint, DYNAMODB_MS);
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...keys.publicKey.export({ format: 'jwk' }), kid: 'cold-key', alg: 'RS256', use: 'sig' };
  const jwks = createServer((_req, res) => {
    setTimeout(() => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    }, JWKS_MS);
  });
  await new Promise<void>((listening) => jwks.listen(0, '127.0.0.1', listening));
  try {
    await build(entryBundle('chat.ts', join(out, 'chat')));
    const region = 'eu-west-1';
    const names = { chatHistory: 'cold-history', fileMetadata: 'cold-files', usage: 'cold-usage' };
    const db = createDynamoDbClient({ region, dynamoDbEndpoint: stores.dynamoDbEndpoint, credentials: EMBEDDED_CREDENTIALS });
    const s3 = createS3Client({ region, s3Endpoint: stores.s3Endpoint, credentials: EMBEDDED_CREDENTIALS });
    await ensureTables(db, names);
    await ensureBucket(s3, 'cold-uploads');
    db.destroy();
    s3.destroy();
    const env = {
      PATH: process.env.PATH ?? '',
      STORE: 'aws',
      AUTH_MODE: 'cognito',
      AWS_REGION: region,
      COGNITO_USER_POOL_ID: POOL,
      COGNITO_CLIENT_ID: CLIENT,
      COGNITO_ENDPOINT: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}`,
      CHAT_HISTORY_TABLE: names.chatHistory,
      FILE_METADATA_TABLE: names.fileMetadata,
      USAGE_TABLE: names.usage,
      UPLOAD_BUCKET: 'cold-uploads',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.url,
      AWS_ENDPOINT_URL_S3: stores.s3Endpoint,
      AWS_ACCESS_KEY_ID: EMBEDDED_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: EMBEDDED_CREDENTIALS.secretAccessKey,
      MODEL_PROVIDER: 'bedrock',
      MODEL_ID: 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0',
      TITLE_MODEL_ID: 'none',
      BEDROCK_REGION: region,
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: model.url,
      LOG_LEVEL: 'ERROR',
      POWERTOOLS_METRICS_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    const coldStart = async (onLambda: boolean) => {
      const script = join(out, `invoke-${randomUUID()}.mjs`);
      writeFileSync(script, invocation(join(out, 'chat', 'index.mjs'), idToken(keys.privateKey)));
      const modelCalls = model.arrivals.length;
      const { stdout } = await run(process.execPath, [script], {
        cwd: join(out, 'chat'),
        env: { ...env, ...(onLambda && { AWS_LAMBDA_FUNCTION_NAME: 'chat' }) },
      });
      const times = JSON.parse(stdout.slice(stdout.lastIndexOf('\n{') + 1)) as { started: number; initialized: number; requested: number; output: string };
      if (!times.output.includes('event: done')) throw new Error(`the cold chat failed: ${times.output.slice(0, 300)}`);
      // Wall-clock milliseconds on both sides: comparable across the processes of one machine.
      const askedAt = model.arrivals[modelCalls]! + performance.timeOrigin;
      return { initMs: times.initialized - times.started, toModelMs: askedAt - times.requested };
    };
    const measure = async (onLambda: boolean) => {
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await coldStart(onLambda));
      return { 'node start + init (ms)': median(runs.map((r) => r.initMs)), 'first request -> model (ms)': median(runs.map((r) => r.toModelMs)) };
    };
    const before = await measure(false);
    const after = await measure(true);
    return {
      name: 'cold start (chat function, first message)',
      description: `a fresh node importing the chat bundle (init), then POST /chat at once; Cognito keys ${JWKS_MS} ms away, DynamoDB +${DYNAMODB_MS} ms a call; median of ${RUNS}`,
      rows: [
        { start: 'keys fetched by the first request (before)', ...before },
        { start: 'keys fetched at init (on Lambda)', ...after },
      ],
    };
  } finally {
    await new Promise((closed) => jwks.close(closed));
    await Promise.all([model.close(), dynamo.close(), bedrock.close()]);
    await stores.close();
    rmSync(out, { recursive: true, force: true });
  }
}

function idToken(privateKey: KeyObject): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const head = encode({ alg: 'RS256', kid: 'cold-key', typ: 'JWT' });
  const body = encode({ sub: 'cold-user', 'cognito:username': 'cold-user', aud: CLIENT, iss: `https://cognito-idp.eu-west-1.amazonaws.com/${POOL}`, token_use: 'id', iat: now, exp: now + 600 });
  return `${head}.${body}.${sign('RSA-SHA256', Buffer.from(`${head}.${body}`), privateKey).toString('base64url')}`;
}

/** The child: Lambda's runtime stood in for (`awslambda`), the bundle imported, one request. */
function invocation(entry: string, token: string): string {
  const event = {
    resource: '/chat',
    path: '/chat',
    httpMethod: 'POST',
    headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream', 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    requestContext: { requestId: randomUUID() },
    body: JSON.stringify({ message: 'Bonjour !' }),
    isBase64Encoded: false,
  };
  return `import { Writable } from 'node:stream';
const wallMs = () => performance.timeOrigin + performance.now();
const started = performance.timeOrigin;
const chunks = [];
const body = new Writable({ write(chunk, _encoding, done) { chunks.push(Buffer.from(chunk)); done(); } });
globalThis.awslambda = { streamifyResponse: (handler) => handler, HttpResponseStream: { from: (stream) => stream } };
const { handler } = await import(${JSON.stringify(entry)});
const initialized = wallMs();
const requested = wallMs();
await handler(${JSON.stringify(event)}, body, { awsRequestId: 'cold', getRemainingTimeInMillis: () => 60_000 });
process.stdout.write('\\n' + JSON.stringify({ started, initialized, requested, output: Buffer.concat(chunks).toString() }));
`;
}

