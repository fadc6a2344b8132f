import { createFileProcessorHandler } from '../handlers/file-processor.js';
import { lambdaServices } from './services.js';

// S3 for the bytes and their text, and the document readers (PDF, DOCX, CSV).
const services = lambdaServices({
  s3: () => Promise.all([import('../../adapters/aws/s3-client.js'), import('../../adapters/blobs/s3-blob-store.js')]),
  documents: () => import('../../adapters/extract/document-text-extractor.js'),
});

export const handler = createFileProcessorHandler(services);
