import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The two tables of DESIGN.md section 4, as the adapters expect them. The local server and the
 * tests create them from these definitions; the Pulumi program declares the same keys and indexes.
 */
export const CHAT_HISTORY_INDEX = 'timestamp-index';
export const USER_FILES_INDEX = 'user-files-index';

export function chatHistoryTable(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'user_id', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'timestamp', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'user_id', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: CHAT_HISTORY_INDEX,
        KeySchema: [
          { AttributeName: 'user_id', KeyType: 'HASH' },
          { AttributeName: 'timestamp', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['conversation_id', 'title', 'created_at', 'updated_at'] },
      },
    ],
  };
}

export function fileMetadataTable(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'file_id', AttributeType: 'S' },
      { AttributeName: 'user_id', AttributeType: 'S' },
      { AttributeName: 'upload_timestamp', AttributeType: 'S' },
    ],
    KeySchema: [{ AttributeName: 'file_id', KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [
      {
        IndexName: USER_FILES_INDEX,
        KeySchema: [
          { AttributeName: 'user_id', KeyType: 'HASH' },
          { AttributeName: 'upload_timestamp', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
}

export const USAGE_MONTH_INDEX = 'month-index';

/**
 * The usage ledger: per user (`user_id`), one item per calendar month (`sk` `MONTH#2026-11`, with
 * its `month` for the admins' index), the user's own limit (`LIMIT`) and message counts per
 * minute (`RATE#2026-11-29T23:59`, expiring by TTL). Only month items carry `month`, so the index
 * holds them alone: a month's users, in user id order.
 */
export function usageTable(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'user_id', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'month', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'user_id', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: USAGE_MONTH_INDEX,
        KeySchema: [
          { AttributeName: 'month', KeyType: 'HASH' },
          { AttributeName: 'user_id', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
}
