import { createUsageHandler } from '../handlers/usage.js';
import { cognitoAuth } from '../modules/cognito-auth.js';
import { dynamoDbStores } from '../modules/dynamodb-stores.js';
import { warmUpAtInit } from './warm-up.js';
import { lambdaServices } from './services.js';

// Spending and limits only: DynamoDB. No model, no S3, no document readers.
const services = lambdaServices([dynamoDbStores, cognitoAuth], ['config', 'logger', 'verifier', 'usage', 'warmUps']);
await warmUpAtInit(services.warmUps, services.logger);

export const handler = createUsageHandler(services);
