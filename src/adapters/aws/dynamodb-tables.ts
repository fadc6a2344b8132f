import type { CreateTableCommandInput, Projection } from '@aws-sdk/client-dynamodb';

/**
 * The tables, as the adapters expect them. The local server and the tests create them from these
 * definitions; the Pulumi program declares the same keys and indexes (infra/components/storage.ts).
 */
export const CHAT_HISTORY_INDEX = 'timestamp-index';
export const USER_FILES_INDEX = 'user-files-index';
export const USAGE_MONTH_INDEX = 'month-index';

/** A key: its partition attribute, and its sort attribute when it has one. All are strings. */
type Key = [hash: string, range?: string];

/** An on-demand table with one global secondary index; every key attribute is a string. */
function table(tableName: string, key: Key, index: { name: string; key: Key; projection: Projection }): CreateTableCommandInput {
  const schema = ([hash, range]: Key) => [
    { AttributeName: hash, KeyType: 'HASH' as const },
    ...(range ? [{ AttributeName: range, KeyType: 'RANGE' as const }] : []),
  ];
  const attributes = [...new Set([...key, ...index.key].filter((name): name is string => name !== undefined))];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: attributes.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: schema(key),
    GlobalSecondaryIndexes: [{ IndexName: index.name, KeySchema: schema(index.key), Projection: index.projection }],
  };
}

/** Conversations, messages and idempotency claims, per user; the index lists conversations by recency. */
export function chatHistoryTable(tableName: string): CreateTableCommandInput {
  return table(tableName, ['user_id', 'sk'], {
    name: CHAT_HISTORY_INDEX,
    key: ['user_id', 'timestamp'],
    projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['conversation_id', 'title', 'created_at', 'updated_at'] },
  });
}

/** One item per file; the index lists a user's files, newest upload first. */
export function fileMetadataTable(tableName: string): CreateTableCommandInput {
  return table(tableName, ['file_id'], { name: USER_FILES_INDEX, key: ['user_id', 'upload_timestamp'], projection: { ProjectionType: 'ALL' } });
}

/**
 * The usage ledger: per user (`user_id`), one item per calendar month (`sk` `MONTH#2026-11`, with
 * its `month` for the admins' index), the user's own limit (`LIMIT`) and message counts per
 * minute (`RATE#2026-11-29T23:59`, expiring by TTL). Only month items carry `month`, so the index
 * holds them alone: a month's users, in user id order.
 */
export function usageTable(tableName: string): CreateTableCommandInput {
  return table(tableName, ['user_id', 'sk'], { name: USAGE_MONTH_INDEX, key: ['month', 'user_id'], projection: { ProjectionType: 'ALL' } });
}
