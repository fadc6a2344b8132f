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
