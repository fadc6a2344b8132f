import type { AwsClientOptions } from '../../adapters/aws/clients.js';
import type { AppConfig } from '../config.js';
import { EMBEDDED_CREDENTIALS } from '../embedded-credentials.js';

/** `STORE=aws` (the stack's tables and bucket) or `embedded` (their local stand-ins). */
export type AwsStoreConfig = Exclude<AppConfig['store'], { kind: 'memory' }>;

/** What the DynamoDB and S3 clients are given: the same region, endpoints and credentials for both. */
export function awsClientOptions(store: AwsStoreConfig): AwsClientOptions {
  return {
    region: store.region,
    ...(store.dynamoDbEndpoint && { dynamoDbEndpoint: store.dynamoDbEndpoint }),
    ...(store.s3Endpoint && { s3Endpoint: store.s3Endpoint }),
    // The embedded servers accept any credentials; there may be none in the environment.
    ...(store.kind === 'embedded' && { credentials: EMBEDDED_CREDENTIALS }),
  };
}
