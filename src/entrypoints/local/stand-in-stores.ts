import { createDynamoDbClient } from '../../adapters/aws/clients.js';
import { ensureBucket, ensureTables } from '../../adapters/aws/ensure-resources.js';
import { createS3Client } from '../../adapters/blob-store/s3-client.js';
import type { AppConfig } from '../config.js';

type AwsStore = Extract<AppConfig['store'], { kind: 'aws' | 'embedded' }>;

/**
 * `STORE=aws` pointed at stand-ins of one's own (DynamoDB Local, LocalStack, MinIO) through
 * `AWS_ENDPOINT_URL_DYNAMODB` / `AWS_ENDPOINT_URL_S3`: the tables and the bucket are created when
 * missing, as the embedded stores are, so that such a start needs no setup script. Credentials come
 * from the SDK's usual chain. Against AWS itself (no endpoint) nothing is created: the Pulumi
 * program owns those resources, and a typo in a table name should fail, not make a new table.
 */
export async function prepareStandInStores(store: AwsStore): Promise<void> {
  const clientOptions = { region: store.region };
  if (store.dynamoDbEndpoint) {
    const db = createDynamoDbClient({ ...clientOptions, dynamoDbEndpoint: store.dynamoDbEndpoint });
    try {
      await ensureTables(db, { chatHistory: store.chatHistoryTable, fileMetadata: store.fileMetadataTable, usage: store.usageTable });
    } finally {
      db.destroy();
    }
  }
  if (store.s3Endpoint) {
    const s3 = createS3Client({ ...clientOptions, s3Endpoint: store.s3Endpoint });
    try {
      await ensureBucket(s3, store.uploadBucket);
    } finally {
      s3.destroy();
    }
  }
}
