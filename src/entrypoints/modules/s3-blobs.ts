import { HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { ContainerModule } from 'inversify';
import { S3BlobStore } from '../../adapters/blob-store/s3-blob-store.js';
import { createS3Client } from '../../adapters/blob-store/s3-client.js';
import type { BlobStore } from '../../domain/ports/blob-store.js';
import type { WarmUp } from '../lambda/warm-up.js';
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

/** One S3 client per process, shared by the blob store and its warm-up. */
const S3 = Symbol('S3Client');

function s3BlobsModule(store: AwsStoreConfig): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<S3Client>(S3).toResolvedValue(() => createS3Client(awsClientOptions(store)));
    bind<BlobStore>(TOKENS.BlobStore).toResolvedValue((s3: S3Client) => new S3BlobStore(s3, store.uploadBucket), [S3]);
    // A cold function opens its connection to S3 (TLS and all) at init: a call every role with the
    // bucket may make (s3:ListBucket), whose answer does not matter.
    bind<WarmUp>(TOKENS.WarmUp).toResolvedValue(
      (s3: S3Client) => ({ name: 'S3 connection', run: async () => void (await s3.send(new HeadBucketCommand({ Bucket: store.uploadBucket }))) }),
      [S3],
    );
  });
}
