import { createConversationsHandler } from '../handlers/conversations.js';
import { cognitoAuth } from '../modules/cognito-auth.js';
import { dynamoDbStores } from '../modules/dynamodb-stores.js';
import { warmUpAtInit } from './warm-up.js';
import { lambdaServices } from './services.js';

// History only: DynamoDB. No model, no S3, no document readers.
const services = lambdaServices([dynamoDbStores, cognitoAuth], ['config', 'logger', 'verifier', 'conversations', 'warmUps']);
await warmUpAtInit(services.warmUps, services.logger);

export const handler = createConversationsHandler(services);
