import { loadConfig } from '../config.js';
import { createChatStreamHandler } from '../handlers/chat.js';
import { bedrockModel } from '../modules/bedrock-model.js';
import { cognitoAuth } from '../modules/cognito-auth.js';
import { dynamoDbStores } from '../modules/dynamodb-stores.js';
import { moduleModel } from '../modules/module-model.js';
import { loadModelModuleWithSettings } from '../modules/model-settings.js';
import { offlineModel } from '../modules/offline-model.js';
import { openAiModel } from '../modules/openai-model.js';
import { s3Blobs } from '../modules/s3-blobs.js';
import { uploadTypeCheck } from '../modules/upload-type-check.js';
import { lambdaServicesOf } from './services.js';
import { warmUpAtInit } from './warm-up.js';

// A team's model module (MODEL_PROVIDER=module:./model-module.mjs, bundled beside this file by the
// stack) is imported at init, with its settings read from SSM or Secrets Manager; a built-in
// provider reads and imports nothing more. Lambda starts the function in its task root.
const config = loadConfig(process.env);
await loadModelModuleWithSettings(config, process.env, process.env.LAMBDA_TASK_ROOT ?? process.cwd());

// The model as MODEL_PROVIDER says (Bedrock, an OpenAI-compatible server, the offline demo a stack
// without model access deploys, or the module), and S3 for the texts of attached files, which it never reads anew.
const services = lambdaServicesOf(
  config,
  [dynamoDbStores, s3Blobs, cognitoAuth, bedrockModel, openAiModel, offlineModel, moduleModel, uploadTypeCheck],
  ['config', 'logger', 'metrics', 'verifier', 'chat', 'answerStreams', 'liveAnswers', 'warmUps'],
);
await warmUpAtInit(services.warmUps, services.logger);

/** `POST /chat` and an answer's stream (resume, stop), streamed through API Gateway's response streaming. */
export const handler = awslambda.streamifyResponse(createChatStreamHandler(services, awslambda.HttpResponseStream));
