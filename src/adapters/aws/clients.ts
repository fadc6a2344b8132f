import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { quietSdkLogger } from './sdk-logger.js';

/**
 * Without limits a store that accepts the connection and then says nothing would hold a request
 * (and a Lambda) until its own timeout. A stalled call fails, the SDK retries it, and the caller
 * gets a clear 503. `requestTimeout` is the socket's idle time, so large objects still stream.
 */
export const timeouts = (requestTimeout: number) => new NodeHttpHandler({ connectionTimeout: 3_000, requestTimeout });

export interface AwsClientOptions {
  region: string;
  /** Overrides for local servers; the SDK also reads AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_S3 itself. */
  dynamoDbEndpoint?: string;
  s3Endpoint?: string;
  /** Static credentials for local servers, which accept any. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** One DynamoDB document client per process: marshalling that drops undefined attributes. */
export function createDynamoDbClient(options: AwsClientOptions): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: options.region,
    requestHandler: timeouts(5_000),
    logger: quietSdkLogger,
    ...(options.dynamoDbEndpoint && { endpoint: options.dynamoDbEndpoint }),
    ...(options.credentials && { credentials: options.credentials }),
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
