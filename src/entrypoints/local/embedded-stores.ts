import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import dynalite from 'dynalite';
import S3rver from 's3rver';
import { EMBEDDED_CREDENTIALS } from '../embedded-credentials.js';
import { checkPresignedRequest } from './presigned-url-check.js';
import { ConditionalWrites } from './s3-conditional-writes.js';

export interface EmbeddedStores {
  dynamoDbEndpoint: string;
  s3Endpoint: string;
  close(): Promise<void>;
}

export interface EmbeddedStoreOptions {
  /** Where the data lives (`dynamodb/` and `s3/` below it); undefined keeps everything in memory. */
  dataDir?: string;
  /** Buckets to create; pages of this machine may PUT to their presigned URLs (see the proxy). */
  buckets: string[];
}

const LOCAL_CORS = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

/**
 * Real stand-ins for DynamoDB (dynalite) and S3 (s3rver) on random loopback ports, for `npm start`
 * and the tests: the production adapters talk to them over the real wire protocols.
 */
export async function startEmbeddedStores(options: EmbeddedStoreOptions): Promise<EmbeddedStores> {
  const dynamoDir = options.dataDir && join(options.dataDir, 'dynamodb');
  // s3rver always needs a folder: a temporary one, removed on close, when nothing should persist.
  const s3Dir = options.dataDir ? join(options.dataDir, 's3') : mkdtempSync(join(tmpdir(), 's3rver-'));
  if (dynamoDir) mkdirSync(dynamoDir, { recursive: true });
  mkdirSync(s3Dir, { recursive: true });

  const dynamo = dynalite({ ...(dynamoDir && { path: dynamoDir }), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await listen(dynamo);
  const s3 = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: s3Dir,
    configureBuckets: options.buckets.map((name) => ({ name, configs: [LOCAL_CORS] })),
  });
  let s3Address: AddressInfo;
  try {
    s3Address = await s3.run();
  } catch (error) {
    dynamo.close();
    throw error;
  }
  const front = createPresignCheckingProxy(s3Address.port);
  await listen(front);
  return {
    dynamoDbEndpoint: `http://127.0.0.1:${(dynamo.address() as AddressInfo).port}`,
    s3Endpoint: `http://127.0.0.1:${(front.address() as AddressInfo).port}`,
    close: async () => {
      front.closeAllConnections();
      await Promise.all([
        new Promise<void>((resolve) => dynamo.close(() => resolve())),
        new Promise<void>((resolve) => front.close(() => resolve())),
        s3.close(),
      ]);
      if (!options.dataDir) rmSync(s3Dir, { recursive: true, force: true });
    },
  };
}

/**
 * The embedded S3 endpoint: checks presigned requests as S3 would (s3rver does not check V4
 * signatures) and honours conditional writes (nor does it know `If-None-Match`), then passes
 * every request on to s3rver unchanged.
 */
function createPresignCheckingProxy(s3rverPort: number): Server {
  const conditionalWrites = new ConditionalWrites(s3rverPort);
  return createServer((req, res) => void handle(req, res));
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = req.url ?? '/';
    const origin = req.headers.origin;
    // Browsers may PUT presigned uploads from pages of this machine only, as the bucket's CORS
    // rule allows the site's origin only on AWS.
    const corsOrigin = origin && LOOPBACK_ORIGIN.test(origin) ? origin : undefined;
    if (req.method === 'OPTIONS') {
      res.writeHead(corsOrigin ? 204 : 403, {
        ...(corsOrigin && {
          'Access-Control-Allow-Origin': corsOrigin,
          'Access-Control-Allow-Methods': 'PUT, GET',
          'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? 'content-type',
          'Access-Control-Max-Age': '600',
        }),
        Vary: 'Origin',
      });
      res.end();
      req.resume();
      return;
    }
    if (origin && !corsOrigin) {
      res.writeHead(403, { 'Content-Type': 'application/xml' });
      res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessForbidden</Code><Message>CORS: this origin is not allowed</Message></Error>');
      req.resume();
      return;
    }
    const refuse = (status: number, code: string, message: string) => {
      res.writeHead(status, { 'Content-Type': 'application/xml', ...(corsOrigin && { 'Access-Control-Allow-Origin': corsOrigin }), Connection: 'close' });
      res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`);
      req.resume();
    };
    if (target.includes('X-Amz-Signature=')) {
      const check = checkPresignedRequest({ method: req.method ?? 'GET', target, headers: req.headers }, EMBEDDED_CREDENTIALS);
      if (!check.ok) return refuse(403, check.code, check.message);
    }
    if (ConditionalWrites.applies(req)) {
      const claim = await conditionalWrites.claim(target).catch(() => undefined);
      if (!claim) return refuse(503, 'ServiceUnavailable', 'The embedded S3 did not answer.');
      if (!claim.ok) return refuse(claim.status, claim.code, claim.message);
      res.once('close', claim.release);
    }
    const upstream = request(
      { host: '127.0.0.1', port: s3rverPort, method: req.method, path: target, headers: req.headers },
      (response) => {
        const headers = Object.fromEntries(Object.entries(response.headers).filter(([name]) => !name.startsWith('access-control-')));
        res.writeHead(response.statusCode ?? 502, { ...headers, ...(corsOrigin && { 'Access-Control-Allow-Origin': corsOrigin, Vary: 'Origin' }) });
        response.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  }
}

const LOOPBACK_ORIGIN = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/;

function listen(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
}
