import { createFilesHandler } from '../handlers/files.js';
import { lambdaServices } from './services.js';

// S3 for upload URLs, previews and deletes; reading documents is the file processor's.
const services = lambdaServices({
  s3: () => Promise.all([import('../../adapters/aws/s3-client.js'), import('../../adapters/blobs/s3-blob-store.js')]),
});

export const handler = createFilesHandler(services);
