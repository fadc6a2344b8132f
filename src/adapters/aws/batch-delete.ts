import { setTimeout as sleep } from 'node:timers/promises';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const BATCH_SIZE = 25; // DynamoDB's BatchWriteItem limit
const MAX_ATTEMPTS = 8;

/**
 * Deletes every key, 25 at a time, retrying what DynamoDB leaves unprocessed (it does so under
 * throttling) with exponential back-off and jitter. Throws if keys remain after the last attempt.
 */
export async function deleteAll(db: DynamoDBDocumentClient, tableName: string, keys: Array<Record<string, unknown>>): Promise<void> {
  for (let offset = 0; offset < keys.length; offset += BATCH_SIZE) {
    let requests = keys.slice(offset, offset + BATCH_SIZE).map((Key) => ({ DeleteRequest: { Key } }));
    for (let attempt = 1; requests.length > 0; attempt++) {
      if (attempt > MAX_ATTEMPTS) throw new Error(`${requests.length} items could not be deleted from ${tableName}`);
      if (attempt > 1) await sleep(Math.random() * Math.min(1000, 25 * 2 ** attempt));
      const result = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
      requests = (result.UnprocessedItems?.[tableName] ?? []) as typeof requests;
    }
  }
}
