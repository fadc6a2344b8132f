import { createUsageHandler } from '../handlers/usage.js';
import { lambdaServices } from './services.js';

// Spending and limits only: DynamoDB, which every function has. No model, no S3, no document readers.
export const handler = createUsageHandler(lambdaServices({}));
