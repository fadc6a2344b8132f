import type { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { deleteAll } from '../../src/adapters/aws/batch-delete.js';

type Request = { DeleteRequest: { Key: { id: number } } };

/** A DynamoDB stand-in that leaves part of each batch unprocessed, as DynamoDB does when throttled. */
function throttlingDb(leaveUnprocessed: (attempt: number, batch: Request[]) => Request[]) {
  const deleted: number[] = [];
  const batchSizes: number[] = [];
  let attempt = 0;
  const db = {
    send: async (command: BatchWriteCommand) => {
      const batch = command.input.RequestItems!.t as Request[];
      batchSizes.push(batch.length);
      const left = leaveUnprocessed(++attempt, batch);
      for (const request of batch) if (!left.includes(request)) deleted.push(request.DeleteRequest.Key.id);
      return { UnprocessedItems: left.length > 0 ? { t: left } : {} };
    },
  } as unknown as DynamoDBDocumentClient;
  return { db, deleted, batchSizes };
}

describe('deleteAll', () => {
  const keys = Array.from({ length: 60 }, (_, id) => ({ id }));

  it('deletes in batches of 25 and retries what was left unprocessed', async () => {
    const fake = throttlingDb((attempt, batch) => (attempt % 2 === 1 ? batch.slice(0, 5) : []));
    await deleteAll(fake.db, 't', keys);
    expect(fake.deleted.sort((a, b) => a - b)).toEqual(keys.map((key) => key.id));
    expect(Math.max(...fake.batchSizes)).toBeLessThanOrEqual(25);
    expect(fake.batchSizes.length).toBeGreaterThan(3);
  });

  it('gives up with an error when items stay unprocessed', async () => {
    const fake = throttlingDb((_attempt, batch) => batch.slice(0, 1));
    await expect(deleteAll(fake.db, 't', keys.slice(0, 3))).rejects.toThrow(/could not be deleted/);
  });
});
