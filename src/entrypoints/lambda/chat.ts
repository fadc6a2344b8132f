import { createChatStreamHandler } from '../handlers/chat.js';
import { bedrockModel } from '../modules/bedrock-model.js';
import { cognitoAuth } from '../modules/cognito-auth.js';
import { dynamoDbStores } from '../modules/dynamodb-stores.js';
import { offlineModel } from '../modules/offline-model.js';
import { openAiModel } from '../modules/openai-model.js';
import { s3Blobs } from '../modules/s3-blobs.js';
import { uploadTypeCheck } from '../modules/upload-type-check.js';
import { lambdaServices } from './services.js';

// The model as MODEL_PROVIDER says (Bedrock, an OpenAI-compatible server, or the offline demo a
// stack without model access deploys), and S3 for the texts of attached files, which it never reads anew.
const services = lambdaServices(
  [dynamoDbStores, s3Blobs, cognitoAuth, bedrockModel, openAiModel, offlineModel, uploadTypeCheck],
  ['config', 'logger', 'metrics', 'verifier', 'chat'],
);

/** `POST /chat`, streamed through API Gateway's response streaming. */
export const handler = awslambda.streamifyResponse(createChatStreamHandler(services, awslambda.HttpResponseStream));
