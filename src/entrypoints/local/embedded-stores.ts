import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import dynalite from 'dynalite';
import S3rver from 's3rver';
import { createPresignCheckingProxy } from './s3-front.js';

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

function listen(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
}
