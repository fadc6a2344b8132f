import { S3Client } from '@aws-sdk/client-s3';
import { timeouts, type AwsClientOptions } from '../aws/clients.js';
import { quietSdkLogger } from '../aws/sdk-logger.js';

/**
 * One S3 client per process. Checksums only when an operation requires them: s3rver mishandles
 * aws-chunked uploads, and a presigned PUT would otherwise sign the checksum of an empty body.
 */
export function createS3Client(options: AwsClientOptions): S3Client {
  return new S3Client({
    region: options.region,
    requestHandler: timeouts(15_000),
    logger: quietSdkLogger,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(options.s3Endpoint && { endpoint: options.s3Endpoint, forcePathStyle: true }),
    ...(options.credentials && { credentials: options.credentials }),
  });
}
