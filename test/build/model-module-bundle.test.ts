import { execFile } from 'node:child_process';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleChatWithModelModule } from '../../infra/build/bundle-model-module.js';
import { EMBEDDED_CREDENTIALS } from '../../src/entrypoints/embedded-credentials.js';
import { SETTINGS_MODEL_DOWN } from '../fixtures/settings-model-module.js';
import { startEmbeddedAws, type EmbeddedAws } from '../support/embedded-aws.js';
import { startMotoServer, type MotoServer } from '../support/moto-cognito.js';

const run = promisify(execFile);
const POOL = 'eu-west-1_ModuleTest';
const CLIENT = 'module-client';
const SETTINGS_PARAMETER = '/chat/model-settings';

/**
 * The chat function as the stack deploys it with `chat:modelModule`: built with the module as a
 * second entry (infra/build/bundle-model-module.ts), run by plain `node` in its own folder (Lambda's
 * task root) with the environment the stack gives it. At init it reads the module's settings from
 * the SSM parameter (moto_server) and loads model-module.mjs; the module then answers a chat, with
 * the key it was given, and its DomainError reaches the user as its own. The stores are dynalite;
 * auth is Cognito's code path, with the pool's keys from a stand-in JWKS endpoint.
 */
describe('the chat function bundled with a model module', () => {
  let out: string;
  let jwks: Server;
  let privateKey: KeyObject;
  let aws: EmbeddedAws;
  let moto: MotoServer;
  let functionEnv: Record<string, string>;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'chat-with-module-'));
    const [, embedded, motoServer] = await Promise.all([
      bundleChatWithModelModule({ modulePath: resolve('test/fixtures/settings-model-module.ts'), outdir: join(out, 'chat'), mapsDir: join(out, 'maps'), root: process.cwd() }),
      startEmbeddedAws(),
      startMotoServer(),
    ]);
    aws = embedded;
    moto = motoServer;
    const ssm = new SSMClient({ region: 'eu-west-1', endpoint: moto.endpoint, credentials: EMBEDDED_CREDENTIALS });
    await ssm.send(new PutParameterCommand({ Name: SETTINGS_PARAMETER, Type: 'SecureString', Value: JSON.stringify({ SETTINGS_MODEL_API_KEY: 'key-from-ssm-7731', SETTINGS_MODEL_ID: 'acme-bundled' }) }));
    ssm.destroy();

    const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    privateKey = keys.privateKey;
    const publicJwk = { ...keys.publicKey.export({ format: 'jwk' }), kid: 'module-key', alg: 'RS256', use: 'sig' };
    jwks = createServer((req, res) => {
      res.writeHead(req.url === `/${POOL}/.well-known/jwks.json` ? 200 : 404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((listening) => jwks.listen(0, '127.0.0.1', listening));
    const tables = await aws.newTables();
    // What infra/components/functions.ts gives the chat function with a module, the stand-ins' endpoints added.
    functionEnv = {
      STORE: 'aws',
      AUTH_MODE: 'cognito',
      AWS_REGION: 'eu-west-1',
      COGNITO_USER_POOL_ID: POOL,
      COGNITO_CLIENT_ID: CLIENT,
      COGNITO_ENDPOINT: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}`,
      CHAT_HISTORY_TABLE: tables.chatHistory,
      FILE_METADATA_TABLE: tables.fileMetadata,
      USAGE_TABLE: tables.usage,
      UPLOAD_BUCKET: await aws.newBucket(),
      MODEL_PROVIDER: 'module:./model-module.mjs',
      TITLE_MODEL_ID: 'none',
      MODEL_SETTINGS_PARAMETER: SETTINGS_PARAMETER,
      AWS_ENDPOINT_URL_SSM: moto.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: aws.stores.dynamoDbEndpoint,
      AWS_ENDPOINT_URL_S3: aws.stores.s3Endpoint,
      AWS_ACCESS_KEY_ID: EMBEDDED_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: EMBEDDED_CREDENTIALS.secretAccessKey,
      LOG_LEVEL: 'ERROR',
      POWERTOOLS_METRICS_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
  }, 120_000);
  afterAll(async () => {
    await new Promise((closed) => jwks?.close(closed));
    await aws?.close();
    await moto?.stop();
    rmSync(out, { recursive: true, force: true });
  });

  function idToken(): string {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const head = encode({ alg: 'RS256', kid: 'module-key', typ: 'JWT' });
    const body = encode({ sub: 'module-user', 'cognito:username': 'module-user', aud: CLIENT, iss: `https://cognito-idp.eu-west-1.amazonaws.com/${POOL}`, token_use: 'id', iat: now, exp: now + 600 });
    return `${head}.${body}.${sign('RSA-SHA256', Buffer.from(`${head}.${body}`), privateKey).toString('base64url')}`;
  }

  let invocations = 0;

  /**
   * `POST /chat` to the bundled handler in a fresh `node` whose working directory is the bundle, as
   * Lambda's is: `awslambda` is the runtime's global, stood in for by one that writes the stream to stdout.
   */
  async function chat(message: string): Promise<string> {
    const event = {
      resource: '/chat',
      path: '/chat',
      httpMethod: 'POST',
      headers: { Authorization: `Bearer ${idToken()}`, Accept: 'text/event-stream', 'Content-Type': 'application/json' },
      multiValueHeaders: {},
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: null,
      stageVariables: null,
      requestContext: { requestId: `module-test-${++invocations}` },
      body: JSON.stringify({ message }),
      isBase64Encoded: false,
    };
    const scriptFile = join(out, `invoke-${invocations}.mjs`);
    writeFileSync(
      scriptFile,
      `import { Writable } from 'node:stream';
const chunks = [];
const body = new Writable({ write(chunk, _encoding, done) { chunks.push(Buffer.from(chunk)); done(); } });
globalThis.awslambda = { streamifyResponse: (handler) => handler, HttpResponseStream: { from: (stream) => stream } };
const { handler } = await import(${JSON.stringify(join(out, 'chat', 'index.mjs'))});
await handler(${JSON.stringify(event)}, body, { awsRequestId: 'module-test', getRemainingTimeInMillis: () => 60_000 });
process.stdout.write(Buffer.concat(chunks));`,
    );
    const { stdout } = await run(process.execPath, [scriptFile], { cwd: join(out, 'chat'), env: { PATH: process.env.PATH, ...functionEnv } });
    return stdout;
  }

  it('ships the module beside the entry, sharing the domain’s code in chunks', () => {
    const files = readdirSync(join(out, 'chat'));
    expect(files).toEqual(expect.arrayContaining(['index.mjs', 'model-module.mjs']));
    expect(files.some((file) => /^chunk-.*\.mjs$/.test(file))).toBe(true);
  });

  it('answers with the module’s model, made with the settings read from the SSM parameter', async () => {
    const stream = await chat('Hello, module');
    expect(stream).toContain('event: delta\ndata: {"text":"Answered with the key ending 7731."}');
    expect(stream.trim().split('\n\n').at(-1)).toMatch(/^(id: \d+\n)?event: done/);
  });

  it('passes the module’s DomainError to the user as it was thrown: one class across the bundle’s chunks', async () => {
    const stream = await chat('are you down?');
    const last = stream.trim().split('\n\n').at(-1)!;
    expect(last).toMatch(/^(id: \d+\n)?event: error/);
    expect(last).toContain(`"code":"${SETTINGS_MODEL_DOWN}"`);
    expect(last).toContain('The settings model is down for maintenance.');
  });
});
