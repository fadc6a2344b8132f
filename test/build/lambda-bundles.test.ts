import { execFile } from 'node:child_process';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleInputs } from '../../infra/build/bundle-inputs.js';
import { EMBEDDED_CREDENTIALS } from '../../src/entrypoints/embedded-credentials.js';
import { makeDocx, makePdf } from '../text-extractor/documents.js';
import { startEmbeddedAws, type EmbeddedAws } from '../support/embedded-aws.js';

const run = promisify(execFile);
const POOL = 'eu-west-1_BundleTest';
const CLIENT = 'bundle-client';
const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

interface LambdaResult {
  status: number;
  json: Record<string, unknown>;
  /** What the function printed besides its logs: pdf.js warnings, stray console output. */
  stray: string;
}

/**
 * The Lambda bundles as `npm run build` makes them, run by plain `node` (no tsx, no node_modules
 * beside them) with the environment the stack gives them: the file processor reads PDF and DOCX
 * files in its bundled extraction worker, and the files function, a separate bundle and process,
 * serves the text it stored. The stores are dynalite and s3rver, so that the two functions share
 * them as on AWS; auth is Cognito's code path, with the pool's keys served by a stand-in JWKS endpoint.
 */
describe('the bundled file Lambdas', () => {
  let out: string;
  let jwks: Server;
  let cognitoEndpoint: string;
  let privateKey: KeyObject;
  let aws: EmbeddedAws;
  let stackEnv: Record<string, string>;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'lambda-bundles-'));
    const [, embedded] = await Promise.all([
      run(process.execPath, ['--import', 'tsx', 'infra/build/bundle-lambdas.ts', join(out, 'lambda')], { maxBuffer: 8 * 1024 * 1024 }),
      startEmbeddedAws(),
    ]);
    aws = embedded;
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    privateKey = keys.privateKey;
    const publicJwk = { ...keys.publicKey.export({ format: 'jwk' }), kid: 'bundle-key', alg: 'RS256', use: 'sig' };
    jwks = createServer((req, res) => {
      res.writeHead(req.url === `/${POOL}/.well-known/jwks.json` ? 200 : 404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    cognitoEndpoint = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}`;
    const tables = await aws.newTables();
    stackEnv = {
      STORE: 'aws',
      CHAT_HISTORY_TABLE: tables.chatHistory,
      FILE_METADATA_TABLE: tables.fileMetadata,
      USAGE_TABLE: tables.usage,
      UPLOAD_BUCKET: await aws.newBucket(),
      AWS_ENDPOINT_URL_DYNAMODB: aws.stores.dynamoDbEndpoint,
      AWS_ENDPOINT_URL_S3: aws.stores.s3Endpoint,
      AWS_ACCESS_KEY_ID: EMBEDDED_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: EMBEDDED_CREDENTIALS.secretAccessKey,
    };
  }, 120_000);
  afterAll(async () => {
    await new Promise((resolve) => jwks?.close(resolve));
    await aws?.close();
    rmSync(out, { recursive: true, force: true });
  });

  /** A Cognito-shaped ID token signed with the stand-in pool's key, of a user in these Cognito groups. */
  function idToken(groups: string[] = []): string {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const head = encode({ alg: 'RS256', kid: 'bundle-key', typ: 'JWT' });
    const body = encode({
      sub: 'bundle-user',
      'cognito:username': 'bundle-user',
      aud: CLIENT,
      iss: `https://cognito-idp.eu-west-1.amazonaws.com/${POOL}`,
      token_use: 'id',
      iat: now,
      exp: now + 600,
      ...(groups.length > 0 && { 'cognito:groups': groups }),
    });
    return `${head}.${body}.${sign('RSA-SHA256', Buffer.from(`${head}.${body}`), privateKey).toString('base64url')}`;
  }

  let invocations = 0;

  /** Invokes one bundled handler in a fresh `node`, with the Lambda's environment, as Lambda would. */
  async function invoke(
    bundle: string,
    request: { method: string; resource: string; path: string; id?: string; body?: unknown; groups?: string[] },
    env: Record<string, string> = {},
  ): Promise<LambdaResult> {
    const event = {
      resource: request.resource,
      path: request.path,
      httpMethod: request.method,
      headers: { Authorization: `Bearer ${idToken(request.groups)}`, 'Content-Type': 'application/json' },
      multiValueHeaders: {},
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: request.id ? { id: request.id } : null,
      stageVariables: null,
      requestContext: { requestId: `bundle-test-${++invocations}` },
      body: request.body === undefined ? null : JSON.stringify(request.body),
      isBase64Encoded: false,
    };
    const eventFile = join(out, `event-${invocations}.json`);
    writeFileSync(eventFile, JSON.stringify(event));
    // A file, not `node -e`: worker threads inherit the parent's flags, and --input-type is not theirs.
    const scriptFile = join(out, `invoke-${invocations}.mjs`);
    writeFileSync(
      scriptFile,
      `import { readFileSync } from 'node:fs';
const { handler } = await import(${JSON.stringify(join(out, 'lambda', bundle, 'index.mjs'))});
const result = await handler(JSON.parse(readFileSync(${JSON.stringify(eventFile)}, 'utf8')), { awsRequestId: 'bundle-test', getRemainingTimeInMillis: () => 60_000 });
process.stdout.write('\\n' + JSON.stringify(result));`,
    );
    const { stdout, stderr } = await run(process.execPath, [scriptFile], {
      cwd: tmpdir(), // nowhere near node_modules: the bundle must stand alone
      env: {
        PATH: process.env.PATH,
        ...stackEnv,
        AUTH_MODE: 'cognito',
        AWS_REGION: 'eu-west-1',
        COGNITO_USER_POOL_ID: POOL,
        COGNITO_CLIENT_ID: CLIENT,
        COGNITO_ENDPOINT: cognitoEndpoint,
        LOG_LEVEL: 'ERROR', // failures explain themselves; nothing else is logged
        POWERTOOLS_METRICS_DISABLED: 'true',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        ...env,
      },
      maxBuffer: 8 * 1024 * 1024,
    });
    // Logs come first; the handler's result is the last line.
    const lines = stdout.trim().split('\n');
    const result = JSON.parse(lines.at(-1)!) as { statusCode: number; body: string };
    return {
      status: result.statusCode,
      json: result.body ? (JSON.parse(result.body) as Record<string, unknown>) : {},
      stray: `${lines.slice(0, -1).join('\n')}${stderr}`.trim(),
    };
  }

  const postFile = (fileName: string, contentType: string, bytes: Uint8Array, env?: Record<string, string>) =>
    invoke(
      'file-processor',
      { method: 'POST', resource: '/files', path: '/files', body: { fileName, contentType, data: Buffer.from(bytes).toString('base64') } },
      env,
    );

  /** The stored text's first 2,000 characters, as the files function (another bundle) serves them. */
  async function preview(fileId: string): Promise<string> {
    const response = await invoke('files', { method: 'GET', resource: '/files/{id}', path: `/files/${fileId}`, id: fileId });
    expect(response.status, JSON.stringify(response.json)).toBe(200);
    return response.json.preview as string;
  }

  it('ships the extraction worker with the function that serves the extracting routes, and only there', () => {
    expect(readdirSync(join(out, 'lambda', 'file-processor', 'readers'))).toContain('extraction-worker.mjs');
    for (const bundle of ['files', 'chat', 'conversations', 'health', 'usage']) {
      expect(readdirSync(join(out, 'lambda', bundle)), bundle).not.toContain('readers');
    }
  });

  it('gives each function only the adapters it uses, and deploys no source map', async () => {
    // What each bundle holds is what its entry imports: the adapter families it lists.
    const HEAVY = {
      bedrock: 'src/adapters/chat-model/bedrock-chat-model.ts',
      openai: 'src/adapters/chat-model/openai-chat-model.ts',
      s3: 'src/adapters/blob-store/s3-blob-store.ts',
      readers: 'src/adapters/text-extractor/document-text-extractor.ts',
    };
    const adaptersOf = async (entry: string) => {
      const files = readdirSync(join(out, 'lambda', entry), { recursive: true }) as string[];
      expect(files.filter((file) => file.endsWith('.map')), entry).toEqual([]);
      const inputs = await bundleInputs(`${entry}.ts`);
      return Object.entries(HEAVY)
        .filter(([, module]) => inputs.includes(module))
        .map(([name]) => name);
    };
    expect(await adaptersOf('chat')).toEqual(['bedrock', 'openai', 's3']);
    expect(await adaptersOf('conversations')).toEqual([]);
    expect(await adaptersOf('usage')).toEqual([]);
    expect(await adaptersOf('files')).toEqual(['s3']);
    expect(await adaptersOf('file-processor')).toEqual(['s3', 'readers']);
    // The maps are kept beside the bundles for npm run decode-stack.
    expect(readdirSync(join(out, 'lambda-maps', 'chat'))).toContain('index.mjs.map');
  });

  it('reads a two-page PDF in its bundled worker, without a warning about the canvas it does not ship', async () => {
    const pdf = await makePdf(['First page of the bundled test.', 'Second page, still readable: é, €.']);
    const response = await postFile('bundled.pdf', 'application/pdf', pdf);
    expect(response.status, JSON.stringify(response.json)).toBe(201);
    expect(response.json).toMatchObject({ fileType: 'pdf', pages: 2, status: 'ready' });
    expect(response.stray).toBe('');
    const text = await preview(response.json.fileId as string);
    expect(text).toContain('First page of the bundled test.');
    expect(text).toContain('Second page, still readable: é, €.');
  });

  it('reads a DOCX with a heading, a list and a table in its bundled worker', async () => {
    const docx = await makeDocx({
      heading: 'Bundled report',
      paragraphs: ['Word document text, read in the Lambda.'],
      bullets: ['first point'],
      table: [
        ['city', 'people'],
        ['Lyon', '522000'],
      ],
    });
    const response = await postFile('bundled.docx', DOCX_TYPE, docx);
    expect(response.status, JSON.stringify(response.json)).toBe(201);
    expect(response.json).toMatchObject({ fileType: 'docx', status: 'ready' });
    expect(response.stray).toBe('');
    const text = await preview(response.json.fileId as string);
    for (const part of ['Bundled report', 'Word document text, read in the Lambda.', 'first point', 'Lyon', '522000']) {
      expect(text).toContain(part);
    }
  });

  it('reads a PDF uploaded through a presigned URL (files makes the slot, file-processor reads it)', async () => {
    const pdf = await makePdf(['Uploaded the large-file way.']);
    const slot = await invoke('files', {
      method: 'POST',
      resource: '/files/uploads',
      path: '/files/uploads',
      body: { fileName: 'uploaded.pdf', contentType: 'application/pdf', size: pdf.length },
    });
    expect(slot.status, JSON.stringify(slot.json)).toBe(201);
    const put = await fetch(slot.json.uploadUrl as string, { method: 'PUT', headers: slot.json.headers as Record<string, string>, body: pdf });
    expect(put.status).toBe(200);
    const fileId = slot.json.fileId as string;
    const processed = await invoke('file-processor', { method: 'POST', resource: '/files/{id}/process', path: `/files/${fileId}/process`, id: fileId });
    expect(processed.status, JSON.stringify(processed.json)).toBe(200);
    expect(processed.json).toMatchObject({ fileId, fileType: 'pdf', pages: 1, status: 'ready' });
    expect(await preview(fileId)).toContain('Uploaded the large-file way.');
  });

  it('serves spending from its own bundle, and the admins’ table to the Cognito group admins only', async () => {
    const own = await invoke('usage', { method: 'GET', resource: '/usage', path: '/usage' });
    expect(own.status, JSON.stringify(own.json)).toBe(200);
    expect(own.json).toMatchObject({ costUsd: 0, limitUsd: null, admin: false });
    const refused = await invoke('usage', { method: 'GET', resource: '/admin/usage', path: '/admin/usage' });
    expect(refused.status).toBe(403);
    const report = await invoke('usage', { method: 'GET', resource: '/admin/usage', path: '/admin/usage', groups: ['admins'] });
    expect(report.status, JSON.stringify(report.json)).toBe(200);
    expect(report.json).toMatchObject({ month: expect.any(String), items: [] });
    expect(own.stray + refused.stray + report.stray).toBe('');
  });

  it('answers a read that outlives EXTRACTION_TIMEOUT_MS with a clear 422, not a Lambda timeout', async () => {
    // 1 ms: no worker can even start in that time, so the limit is always what ends this read.
    const response = await postFile('slow.pdf', 'application/pdf', await makePdf(['Never read.']), { EXTRACTION_TIMEOUT_MS: '1' });
    expect(response.status, JSON.stringify(response.json)).toBe(422);
    expect(response.json).toMatchObject({ error: { code: 'EXTRACTION_TIMEOUT', message: expect.stringContaining('took longer than') } });
  });
});
