import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoDbClient } from '../../src/adapters/aws/clients.js';
import { createS3Client } from '../../src/adapters/blob-store/s3-client.js';
import { ensureBucket, ensureTables } from '../../src/adapters/aws/ensure-resources.js';
import { EMBEDDED_CREDENTIALS } from '../../src/entrypoints/embedded-credentials.js';
import { startEmbeddedStores, type EmbeddedStores } from '../../src/entrypoints/local/embedded-stores.js';

export interface EmbeddedAws {
  db: DynamoDBDocumentClient;
  s3: S3Client;
  stores: EmbeddedStores;
  /** Fresh, empty tables for one test. */
  newTables(): Promise<{ chatHistory: string; fileMetadata: string; usage: string }>;
  /** A fresh, empty bucket for one test. */
  newBucket(): Promise<string>;
  close(): Promise<void>;
}

let counter = 0;

/** dynalite and s3rver on random loopback ports, in memory, and SDK clients pointed at them. */
export async function startEmbeddedAws(): Promise<EmbeddedAws> {
  const stores = await startEmbeddedStores({ buckets: [] });
  const options = {
    region: 'eu-west-1',
    dynamoDbEndpoint: stores.dynamoDbEndpoint,
    s3Endpoint: stores.s3Endpoint,
    credentials: EMBEDDED_CREDENTIALS,
  };
  const db = createDynamoDbClient(options);
  const s3 = createS3Client(options);
  return {
    db,
    s3,
    stores,
    async newTables() {
      const id = ++counter;
      const names = { chatHistory: `chat-history-${id}`, fileMetadata: `file-metadata-${id}`, usage: `usage-${id}` };
      await ensureTables(db, names);
      return names;
    },
    async newBucket() {
      const bucket = `uploads-${++counter}`;
      await ensureBucket(s3, bucket);
      return bucket;
    },
    async close() {
      db.destroy();
      s3.destroy();
      await stores.close();
    },
  };
}
