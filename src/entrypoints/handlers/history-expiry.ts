import type { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { ExpiredConversationSweeper } from '../../adapters/conversation-store/expired-conversation-sweeper.js';

/** The principal DynamoDB's TTL process deletes items as (AWS documents it in stream records). */
const TTL_PRINCIPAL = 'dynamodb.amazonaws.com';

/**
 * `chat-history` stream consumer: when TTL deletes a conversation item, its messages go too.
 * A user's own delete removes the messages itself and is ignored here. Failed records are
 * reported one by one (ReportBatchItemFailures), so Lambda retries only those.
 */
export function createHistoryExpiryHandler(sweeper: ExpiredConversationSweeper, logger: Logger) {
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const failures: DynamoDBBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      const expired = expiredConversation(record);
      if (!expired) continue;
      try {
        const removed = await sweeper.sweep(expired.userId, expired.conversationId);
        logger.info('expired conversation swept', { conversationId: expired.conversationId, removedMessages: removed });
      } catch (error) {
        logger.error('sweeping an expired conversation failed', { conversationId: expired.conversationId, error: error as Error });
        if (record.dynamodb?.SequenceNumber) failures.push({ itemIdentifier: record.dynamodb.SequenceNumber });
      }
    }
    return { batchItemFailures: failures };
  };
}

function expiredConversation(record: DynamoDBRecord): { userId: string; conversationId: string } | undefined {
  const remover = record.userIdentity as { principalId?: string } | undefined; // typed `any` by @types/aws-lambda
  if (record.eventName !== 'REMOVE' || remover?.principalId !== TTL_PRINCIPAL) return undefined;
  const userId = record.dynamodb?.Keys?.user_id?.S;
  const sortKey = record.dynamodb?.Keys?.sk?.S;
  const conversationId = sortKey === undefined ? undefined : ExpiredConversationSweeper.conversationIdOf(sortKey);
  return userId && conversationId ? { userId, conversationId } : undefined;
}
