import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

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
    ...(options.dynamoDbEndpoint && { endpoint: options.dynamoDbEndpoint }),
    ...(options.credentials && { credentials: options.credentials }),
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

/**
 * One S3 client per process. Checksums only when an operation requires them: s3rver mishandles
 * aws-chunked uploads, and a presigned PUT would otherwise sign the checksum of an empty body.
 */
export function createS3Client(options: AwsClientOptions): S3Client {
  return new S3Client({
    region: options.region,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(options.s3Endpoint && { endpoint: options.s3Endpoint, forcePathStyle: true }),
    ...(options.credentials && { credentials: options.credentials }),
  });
}
