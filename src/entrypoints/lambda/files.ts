import { createFilesHandler } from '../handlers/files.js';
import { cognitoAuth } from '../modules/cognito-auth.js';
import { dynamoDbStores } from '../modules/dynamodb-stores.js';
import { s3Blobs } from '../modules/s3-blobs.js';
import { uploadTypeCheck } from '../modules/upload-type-check.js';
import { warmUpAtInit } from './warm-up.js';
import { lambdaServices } from './services.js';

// S3 for upload URLs, previews and deletes; reading documents is the file processor's, so no readers.
const services = lambdaServices([dynamoDbStores, s3Blobs, cognitoAuth, uploadTypeCheck], ['config', 'logger', 'verifier', 'files', 'warmUps']);
await warmUpAtInit(services.warmUps, services.logger);

export const handler = createFilesHandler(services);
