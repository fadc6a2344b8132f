import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { deleteAll } from '../aws/batch-delete.js';
import { queryAll } from '../aws/query-all.js';
import { messagePrefix } from './dynamodb-conversation-store.js';

/**
 * Removes the messages of a conversation whose item DynamoDB's TTL deleted. Only the
 * conversation item carries the TTL (refreshed on every message), so that an active
 * conversation never loses its older messages; when it expires, its messages are left behind
 * and this sweeps them, driven by the table's stream.
 */
export class ExpiredConversationSweeper {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The conversation id of a `chat-history` sort key, when the key is a conversation item's. */
  static conversationIdOf(sortKey: string): string | undefined {
    const match = /^CONV#([^#]+)$/.exec(sortKey);
    return match?.[1];
  }

  /** Deletes the conversation's messages; returns how many there were. */
  async sweep(userId: string, conversationId: string): Promise<number> {
    const items = await queryAll<{ sk: string }>(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'user_id = :u AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':u': userId, ':prefix': messagePrefix(conversationId) },
      ProjectionExpression: 'sk',
    });
    await deleteAll(this.db, this.tableName, items.map(({ sk }) => ({ user_id: userId, sk })));
    return items.length;
  }
}
