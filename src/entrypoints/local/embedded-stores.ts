import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import dynalite from 'dynalite';
import S3rver from 's3rver';

export interface EmbeddedStores {
  dynamoDbEndpoint: string;
  s3Endpoint: string;
  close(): Promise<void>;
}

export interface EmbeddedStoreOptions {
  /** Where the data lives (`dynamodb/` and `s3/` below it); undefined keeps everything in memory. */
  dataDir?: string;
  /** Buckets to create, with CORS open to local pages so a browser can PUT to presigned URLs. */
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
  const s3Dir = options.dataDir ? join(options.dataDir, 's3') : undefined;
  if (dynamoDir) mkdirSync(dynamoDir, { recursive: true });
  if (s3Dir) mkdirSync(s3Dir, { recursive: true });

  const dynamo = dynalite({ ...(dynamoDir && { path: dynamoDir }), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await listen(dynamo);
  const s3 = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    // Without a directory s3rver would still write to a temporary folder; it is removed on close.
    directory: s3Dir ?? join(process.env.TMPDIR ?? '/tmp', `s3rver-${process.pid}-${Date.now()}`),
    resetOnClose: !s3Dir,
    configureBuckets: options.buckets.map((name) => ({ name, configs: [LOCAL_CORS] })),
  });
  let s3Address: AddressInfo;
  try {
    s3Address = await s3.run();
  } catch (error) {
    dynamo.close();
    throw error;
  }
  return {
    dynamoDbEndpoint: `http://127.0.0.1:${(dynamo.address() as AddressInfo).port}`,
    s3Endpoint: `http://127.0.0.1:${s3Address.port}`,
    close: async () => {
      await Promise.all([new Promise<void>((resolve) => dynamo.close(() => resolve())), s3.close()]);
    },
  };
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
}
