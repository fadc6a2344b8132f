import { createChatHandler } from '../handlers/chat.js';
import { lambdaServices } from './services.js';

// The model (either provider, as configured), and S3 for the text of attached files.
const services = lambdaServices({
  bedrock: () => import('../../adapters/model/bedrock-chat-model.js'),
  openai: () => import('../../adapters/model/openai-chat-model.js'),
  s3: () => Promise.all([import('../../adapters/aws/s3-client.js'), import('../../adapters/blobs/s3-blob-store.js')]),
});

/** `POST /chat` for an API without response streaming: the whole answer in one response. */
export const handler = createChatHandler(services);
