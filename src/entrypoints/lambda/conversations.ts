import { createConversationsHandler } from '../handlers/conversations.js';
import { cognitoAuth } from '../modules/cognito-auth.js';
import { dynamoDbStores } from '../modules/dynamodb-stores.js';
import { lambdaServices } from './services.js';

// History only: DynamoDB. No model, no S3, no document readers.
export const handler = createConversationsHandler(lambdaServices([dynamoDbStores, cognitoAuth], ['config', 'logger', 'verifier', 'conversations']));
