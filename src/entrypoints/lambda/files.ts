import { createFilesHandler } from '../handlers/files.js';
import { loadS3 } from '../loaders/s3.js';
import { lambdaServices } from './services.js';

// S3 for upload URLs, previews and deletes; reading documents is the file processor's.
const services = lambdaServices({ s3: loadS3 });

export const handler = createFilesHandler(services);
