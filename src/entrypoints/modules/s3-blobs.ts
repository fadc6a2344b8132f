import { ContainerModule } from 'inversify';
import { S3BlobStore } from '../../adapters/blob-store/s3-blob-store.js';
import { createS3Client } from '../../adapters/blob-store/s3-client.js';
import type { BlobStore } from '../../domain/ports/blob-store.js';
import { TOKENS } from '../tokens.js';
import type { AdapterFamily } from './adapter-family.js';
import { awsClientOptions, type AwsStoreConfig } from './aws-store-config.js';

/**
 * Files' bytes and texts in the upload bucket, and the presigned URLs that upload them
 * (`STORE=aws` or `embedded`). Only the functions that touch a file's bytes have it: the
 * conversations and usage functions ship no S3 client.
 */
export const s3Blobs: AdapterFamily = {
  name: 'S3 blobs',
  serves: ['blobs'],
  moduleFor: ({ store }) => (store.kind === 'memory' ? undefined : s3BlobsModule(store)),
};

function s3BlobsModule(store: AwsStoreConfig): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<BlobStore>(TOKENS.BlobStore).toResolvedValue(() => new S3BlobStore(createS3Client(awsClientOptions(store)), store.uploadBucket));
  });
}
