import { Logger } from '@aws-lambda-powertools/logger';
import { createDynamoDbClient } from '../../adapters/aws/clients.js';
import { ExpiredConversationSweeper } from '../../adapters/conversation-store/expired-conversation-sweeper.js';
import { createHistoryExpiryHandler } from '../handlers/history-expiry.js';
import { SERVICE_NAME } from '../http/chat-metrics.js';

// Only DynamoDB is needed here: the whole container (model, auth, S3) would only slow the cold start.
const table = process.env.CHAT_HISTORY_TABLE;
if (!table) throw new Error('CHAT_HISTORY_TABLE is not set');
const db = createDynamoDbClient({ region: process.env.AWS_REGION ?? 'eu-west-1' });

export const handler = createHistoryExpiryHandler(new ExpiredConversationSweeper(db, table), new Logger({ serviceName: SERVICE_NAME }));
