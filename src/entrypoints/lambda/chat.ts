import { createChatStreamHandler } from '../handlers/chat.js';
import { services } from './services.js';

/** `POST /chat`, streamed through API Gateway's response streaming. */
export const handler = awslambda.streamifyResponse(createChatStreamHandler(services, awslambda.HttpResponseStream));
