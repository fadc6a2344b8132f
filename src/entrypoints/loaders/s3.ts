import type { AdapterLoaders } from './adapter-loaders.js';

/** The S3 client and blob store. One loader a module: importing it pulls in these chunks only. */
export const loadS3: Required<AdapterLoaders>['s3'] = () =>
  Promise.all([import('../../adapters/blob-store/s3-client.js'), import('../../adapters/blob-store/s3-blob-store.js')]);
