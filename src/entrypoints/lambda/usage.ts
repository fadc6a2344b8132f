import { createUsageHandler } from '../handlers/usage.js';
import { cognitoAuth } from '../modules/cognito-auth.js';
import { dynamoDbStores } from '../modules/dynamodb-stores.js';
import { lambdaServices } from './services.js';

// Spending and limits only: DynamoDB. No model, no S3, no document readers.
export const handler = createUsageHandler(lambdaServices([dynamoDbStores, cognitoAuth], ['config', 'logger', 'verifier', 'usage']));
