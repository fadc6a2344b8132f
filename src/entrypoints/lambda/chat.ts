import { createChatStreamHandler } from '../handlers/chat.js';
import { loadBedrock } from '../loaders/bedrock.js';
import { loadOpenAi } from '../loaders/openai.js';
import { loadS3 } from '../loaders/s3.js';
import { lambdaServices } from './services.js';

// The model (either provider, as configured), and S3 for the text of attached files.
const services = lambdaServices({ bedrock: loadBedrock, openai: loadOpenAi, s3: loadS3 });

/** `POST /chat`, streamed through API Gateway's response streaming. */
export const handler = awslambda.streamifyResponse(createChatStreamHandler(services, awslambda.HttpResponseStream));
