import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  BatchGetCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { RateCounter, UsageLedger, UsagePage } from '../../domain/ports/usage-ledger.js';
import { monthResetsAt, type MonthlyUsage, type UsageDelta } from '../../domain/usage.js';
import { USAGE_MONTH_INDEX } from '../aws/dynamodb-tables.js';
import { decodeUserCursor, encodeUserCursor } from './usage-cursor.js';

/** A month's items outlive it by this much: last year's spending stays readable to admins. */
const MONTH_TTL_SECONDS = 400 * 24 * 3600;
const LIMIT_KEY = 'LIMIT';
const monthKey = (month: string) => `MONTH#${month}`;
const rateKey = (window: string) => `RATE#${window}`;

const BATCH_GET_SIZE = 100; // DynamoDB's BatchGetItem limit
const MAX_ATTEMPTS = 8;

/** A `MONTH#` item: the counters are created by the first ADD. */
interface MonthItem {
  user_id: string;
  sk: string;
  month: string;
  input_tokens?: number;
  output_tokens?: number;
  cache_read_tokens?: number;
  cache_write_tokens?: number;
  cost_micro_usd?: number;
  display_name?: string;
  updated_at: string;
  ttl: number;
}

interface LimitItem {
  user_id: string;
  sk: typeof LIMIT_KEY;
  limit_micro_usd: number;
}

/**
 * The usage ledger and the rate counter on DynamoDB (the `usage` table: `user_id`, `sk`; see
 * dynamodb-tables.ts). Every count is one atomic `ADD`, never read, summed and written back, so
 * answers ending together and messages sent together from any number of Lambdas all count. No
 * transactions: each update stands on its own.
 */
export class DynamoDbUsageLedger implements UsageLedger, RateCounter {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async add(userId: string, month: string, delta: UsageDelta, displayName: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { user_id: userId, sk: monthKey(month) },
        UpdateExpression:
          'ADD input_tokens :i, output_tokens :o, cache_read_tokens :cr, cache_write_tokens :cw, cost_micro_usd :c ' +
          'SET #month = :month, display_name = :name, updated_at = :now, #ttl = :ttl',
        ExpressionAttributeNames: { '#month': 'month', '#ttl': 'ttl' },
        ExpressionAttributeValues: {
          ':i': delta.inputTokens,
          ':o': delta.outputTokens,
          ':cr': delta.cacheReadTokens,
          ':cw': delta.cacheWriteTokens,
          ':c': delta.costMicroUsd,
          ':month': month,
          ':name': displayName,
          ':now': new Date().toISOString(),
          ':ttl': Math.floor(monthResetsAt(month).getTime() / 1000) + MONTH_TTL_SECONDS,
        },
      }),
    );
  }

  async get(userId: string, month: string): Promise<MonthlyUsage> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { user_id: userId, sk: monthKey(month) }, ConsistentRead: true }),
    );
    return toUsage(userId, month, Item as MonthItem | undefined);
  }

  async listMonth(month: string, page: { limit: number; cursor?: string }): Promise<UsagePage> {
    const after = page.cursor === undefined ? undefined : decodeUserCursor(page.cursor);
    // One item more than asked tells whether another page exists, so the last page has no cursor.
    // An index's start key names the table's key too: the month item's `sk` follows from the month.
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: USAGE_MONTH_INDEX,
        KeyConditionExpression: '#month = :month',
        ExpressionAttributeNames: { '#month': 'month' },
        ExpressionAttributeValues: { ':month': month },
        Limit: page.limit + 1,
        ExclusiveStartKey: after === undefined ? undefined : { month, user_id: after, sk: monthKey(month) },
      }),
    );
    const found = (result.Items ?? []) as MonthItem[];
    const items = found.slice(0, page.limit).map((item) => toUsage(item.user_id, month, item));
    const last = items[items.length - 1];
    return last && (found.length > page.limit || result.LastEvaluatedKey) ? { items, nextCursor: encodeUserCursor(last.userId) } : { items };
  }

  async getLimit(userId: string): Promise<number | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { user_id: userId, sk: LIMIT_KEY }, ConsistentRead: true }),
    );
    return (Item as LimitItem | undefined)?.limit_micro_usd;
  }

  /**
   * 100 keys a request, retrying what DynamoDB leaves unprocessed (it does so under throttling)
   * with exponential back-off and jitter. Throws if keys remain after the last attempt.
   */
  async getLimits(userIds: readonly string[]): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    // BatchGetItem refuses a request that names one key twice.
    const unique = [...new Set(userIds)];
    for (let offset = 0; offset < unique.length; offset += BATCH_GET_SIZE) {
      const keys = unique.slice(offset, offset + BATCH_GET_SIZE).map((userId) => ({ user_id: userId, sk: LIMIT_KEY }));
      for (const item of (await this.batchGet(keys)) as LimitItem[]) found.set(item.user_id, item.limit_micro_usd);
    }
    return found;
  }

  /** One BatchGetItem for both items: a message's budget check is one call, not two. */
  async getStanding(userId: string, month: string): Promise<{ usage: MonthlyUsage; limitMicroUsd?: number }> {
    const items = await this.batchGet([
      { user_id: userId, sk: monthKey(month) },
      { user_id: userId, sk: LIMIT_KEY },
    ]);
    const monthItem = items.find((item) => item.sk === monthKey(month)) as MonthItem | undefined;
    const limitItem = items.find((item) => item.sk === LIMIT_KEY) as LimitItem | undefined;
    const usage = toUsage(userId, month, monthItem);
    return limitItem ? { usage, limitMicroUsd: limitItem.limit_micro_usd } : { usage };
  }

  /** At most 100 keys; what DynamoDB leaves unprocessed (under throttling) is asked again. */
  private async batchGet(keys: Array<{ user_id: string; sk: string }>): Promise<Array<{ user_id: string; sk: string }>> {
    const found: Array<{ user_id: string; sk: string }> = [];
    let remaining: Array<Record<string, unknown>> = keys;
    for (let attempt = 1; remaining.length > 0; attempt++) {
      if (attempt > MAX_ATTEMPTS) throw new Error(`${remaining.length} items could not be read from ${this.tableName}`);
      if (attempt > 1) await sleep(Math.random() * Math.min(1000, 25 * 2 ** attempt));
      const result = await this.db.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: remaining, ConsistentRead: true } } }));
      found.push(...((result.Responses?.[this.tableName] ?? []) as Array<{ user_id: string; sk: string }>));
      remaining = result.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
    }
    return found;
  }

  async setLimit(userId: string, limitMicroUsd: number | null): Promise<void> {
    if (limitMicroUsd === null) {
      await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: { user_id: userId, sk: LIMIT_KEY } }));
      return;
    }
    const item: LimitItem = { user_id: userId, sk: LIMIT_KEY, limit_micro_usd: limitMicroUsd };
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: item }));
  }

  async increment(userId: string, window: string, expiresAt: Date): Promise<number> {
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { user_id: userId, sk: rateKey(window) },
        UpdateExpression: 'ADD #count :one SET #ttl = :ttl',
        ExpressionAttributeNames: { '#count': 'count', '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':one': 1, ':ttl': Math.ceil(expiresAt.getTime() / 1000) },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return (Attributes as { count: number }).count;
  }

  async decrement(userId: string, window: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { user_id: userId, sk: rateKey(window) },
          UpdateExpression: 'ADD #count :minusOne',
          // Only an existing count above zero: an update of a missing item would create one, without its ttl.
          ConditionExpression: 'attribute_exists(sk) AND #count > :zero',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0 },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}

function toUsage(userId: string, month: string, item: MonthItem | undefined): MonthlyUsage {
  const usage: MonthlyUsage = {
    userId,
    month,
    inputTokens: item?.input_tokens ?? 0,
    outputTokens: item?.output_tokens ?? 0,
    cacheReadTokens: item?.cache_read_tokens ?? 0,
    cacheWriteTokens: item?.cache_write_tokens ?? 0,
    costMicroUsd: item?.cost_micro_usd ?? 0,
  };
  if (item?.display_name !== undefined) usage.displayName = item.display_name;
  return usage;
}
