import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RequestClaims } from '../../domain/ports/request-claims.js';
import type { RequestClaim } from '../../domain/request-claim.js';

/** Claims outlive any client's retries by far. */
const CLAIM_TTL_SECONDS = 24 * 3600;
const claimKey = (key: string) => `IDEM#${key}`;

interface ClaimItem {
  user_id: string;
  sk: string;
  claim: RequestClaim;
  ttl: number;
}

/**
 * Claims in the chat-history table, beside the conversations they lead to: each is an item in the
 * user's own partition (`IDEM#<key>`), so keys of different users never meet. The conditional put
 * is the lock. The item carries no `timestamp`, so the table's recency index never sees it, and
 * TTL removes it after a day.
 */
export class DynamoDbRequestClaims implements RequestClaims {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(userId: string, claim: RequestClaim): Promise<RequestClaim | undefined> {
    const item: ClaimItem = {
      user_id: userId,
      sk: claimKey(claim.key),
      claim,
      ttl: Math.floor(Date.parse(claim.createdAt) / 1000) + CLAIM_TTL_SECONDS,
    };
    try {
      await this.db.send(new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(sk)' }));
      return undefined;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    return this.find(userId, claim.key);
  }

  async release(userId: string, key: string, answerMessageId: string): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { user_id: userId, sk: claimKey(key) },
          ConditionExpression: '#claim.answerMessageId = :answer',
          ExpressionAttributeNames: { '#claim': 'claim' },
          ExpressionAttributeValues: { ':answer': answerMessageId },
        }),
      );
    } catch (error) {
      // Already gone, or another request's claim now: nothing of ours to give up.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async find(userId: string, key: string): Promise<RequestClaim | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { user_id: userId, sk: claimKey(key) }, ConsistentRead: true }),
    );
    return (Item as ClaimItem | undefined)?.claim;
  }
}
