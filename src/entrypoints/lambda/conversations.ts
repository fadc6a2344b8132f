import { createConversationsHandler } from '../handlers/conversations.js';
import { lambdaServices } from './services.js';

// History only: DynamoDB, which every function has. No model, no S3, no document readers.
export const handler = createConversationsHandler(lambdaServices({}));
