import { createFileProcessorHandler } from '../handlers/file-processor.js';
import { cognitoAuth } from '../modules/cognito-auth.js';
import { documentExtractors } from '../modules/document-extractors.js';
import { dynamoDbStores } from '../modules/dynamodb-stores.js';
import { s3Blobs } from '../modules/s3-blobs.js';
import { warmUpAtInit } from './warm-up.js';
import { lambdaServices } from './services.js';

// S3 for the bytes and their text, and the document readers (PDF and DOCX in a worker, CSV, text).
const services = lambdaServices([dynamoDbStores, s3Blobs, cognitoAuth, documentExtractors], ['config', 'logger', 'verifier', 'files', 'warmUps']);
await warmUpAtInit(services.warmUps, services.logger);

export const handler = createFileProcessorHandler(services);
