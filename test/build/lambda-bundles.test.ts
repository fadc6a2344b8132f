import { execFile } from 'node:child_process';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Document, Packer, Paragraph } from 'docx';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const POOL = 'eu-west-1_BundleTest';
const CLIENT = 'bundle-client';

/**
 * The Lambda bundles as `npm run build` makes them, run by plain `node` (no tsx, no node_modules
 * beside them): the file processor must read a PDF and a DOCX in its bundled extraction worker.
 * Auth is Cognito's code path, with the pool's keys served by a stand-in JWKS endpoint.
 */
describe('the bundled file-processor Lambda', () => {
  let out: string;
  let jwks: Server;
  let endpoint: string;
  let privateKey: KeyObject;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'lambda-bundles-'));
    await run(process.execPath, ['--import', 'tsx', 'infra/build/bundle-lambdas.ts', out], { maxBuffer: 8 * 1024 * 1024 });
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    privateKey = keys.privateKey;
    const publicJwk = { ...keys.publicKey.export({ format: 'jwk' }), kid: 'bundle-key', alg: 'RS256', use: 'sig' };
    jwks = createServer((req, res) => {
      res.writeHead(req.url === `/${POOL}/.well-known/jwks.json` ? 200 : 404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}`;
  }, 120_000);
  afterAll(async () => {
    await new Promise((resolve) => jwks?.close(resolve));
    rmSync(out, { recursive: true, force: true });
  });

  /** A Cognito-shaped ID token signed with the stand-in pool's key. */
  function idToken(): string {
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
    });
    return `${head}.${body}.${sign('RSA-SHA256', Buffer.from(`${head}.${body}`), privateKey).toString('base64url')}`;
  }

  /** Invokes the bundled handler in a fresh `node` with the Lambda's environment, as Lambda would. */
  async function invokeFiles(fileName: string, contentType: string, bytes: Uint8Array) {
    const event = {
      resource: '/files',
      path: '/files',
      httpMethod: 'POST',
      headers: { Authorization: `Bearer ${idToken()}`, 'Content-Type': 'application/json' },
      multiValueHeaders: {},
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: null,
      stageVariables: null,
      requestContext: { requestId: 'bundle-test' },
      body: JSON.stringify({ fileName, contentType, data: Buffer.from(bytes).toString('base64') }),
      isBase64Encoded: false,
    };
    const eventFile = join(out, `${fileName}.event.json`);
    writeFileSync(eventFile, JSON.stringify(event));
    const script = `import { readFileSync } from 'node:fs';
const { handler } = await import(${JSON.stringify(join(out, 'file-processor', 'index.mjs'))});
const result = await handler(JSON.parse(readFileSync(${JSON.stringify(eventFile)}, 'utf8')), { awsRequestId: 'bundle-test', getRemainingTimeInMillis: () => 30000 });
process.stdout.write('\\n' + JSON.stringify(result));`;
    // A file, not `node -e`: worker threads inherit the parent's flags, and --input-type is not theirs.
    const scriptFile = join(out, `${fileName}.invoke.mjs`);
    writeFileSync(scriptFile, script);
    const { stdout, stderr } = await run(process.execPath, [scriptFile], {
      cwd: tmpdir(), // nowhere near node_modules: the bundle must stand alone
      env: {
        PATH: process.env.PATH,
        STORE: 'memory',
        AUTH_MODE: 'cognito',
        AWS_REGION: 'eu-west-1',
        COGNITO_USER_POOL_ID: POOL,
        COGNITO_CLIENT_ID: CLIENT,
        COGNITO_ENDPOINT: endpoint,
        LOG_LEVEL: 'ERROR', // failures explain themselves in stderr
        POWERTOOLS_METRICS_DISABLED: 'true',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      maxBuffer: 8 * 1024 * 1024,
    });
    // Logs (JSON lines) come first; the handler's result is the last line.
    const lines = stdout.trim().split('\n');
    if (lines.length > 1 || stderr) console.error(`${lines.slice(0, -1).join('\n')}\n${stderr}`);
    const result = JSON.parse(lines.at(-1)!) as { statusCode: number; body: string };
    return { status: result.statusCode, json: JSON.parse(result.body) as Record<string, unknown> };
  }

  it('reads a two-page PDF in its bundled worker', async () => {
    const pdf = await PDFDocument.create();
    const font = await pdf.embedFont(StandardFonts.Helvetica);
    pdf.addPage([300, 200]).drawText('First page of the bundled test.', { x: 20, y: 150, size: 12, font });
    pdf.addPage([300, 200]).drawText('Second page, still readable.', { x: 20, y: 150, size: 12, font });
    const response = await invokeFiles('bundled.pdf', 'application/pdf', await pdf.save());
    expect(response.status, JSON.stringify(response.json)).toBe(201);
    expect(response.json).toMatchObject({ fileType: 'pdf', pages: 2, status: 'ready' });
    expect(response.json.charCount).toBeGreaterThan(40);
  });

  it('reads a DOCX in its bundled worker', async () => {
    const docx = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('Bundled Word document text.')] }] }));
    const response = await invokeFiles('bundled.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', docx);
    expect(response.status, JSON.stringify(response.json)).toBe(201);
    expect(response.json).toMatchObject({ fileType: 'docx', status: 'ready' });
    expect(response.json.charCount).toBeGreaterThan(20);
  });
});
