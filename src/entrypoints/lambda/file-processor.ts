import { createFileProcessorHandler } from '../handlers/file-processor.js';
import { loadS3 } from '../loaders/s3.js';
import { loadDocuments } from '../loaders/documents.js';
import { lambdaServices } from './services.js';

// S3 for the bytes and their text, and the document readers (PDF, DOCX, CSV).
const services = lambdaServices({ s3: loadS3, documents: loadDocuments });

export const handler = createFileProcessorHandler(services);
