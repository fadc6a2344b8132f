import { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbConversationStore } from '../../src/adapters/conversation-store/dynamodb-conversation-store.js';
import { ExpiredConversationSweeper } from '../../src/adapters/conversation-store/expired-conversation-sweeper.js';
import type { Message } from '../../src/domain/conversation.js';
import { createHistoryExpiryHandler } from '../../src/entrypoints/handlers/history-expiry.js';
import { startEmbeddedAws, type EmbeddedAws } from '../support/embedded-aws.js';

/**
 * TTL deletes only the conversation item (the one that carries `ttl`); the stream handler then
 * removes its messages. dynalite has neither TTL nor streams: the test deletes the item and hands
 * the handler the stream record DynamoDB would send.
 */
describe('sweeping the messages of expired conversations (chat-history stream, on dynalite)', () => {
  let aws: EmbeddedAws;
  let table: string;
  let store: DynamoDbConversationStore;
  let handler: ReturnType<typeof createHistoryExpiryHandler>;
  const T0 = Date.parse('2026-01-01T00:00:00Z');
  const at = (s: number) => new Date(T0 + s * 1000).toISOString();
  const message = (n: number): Message => ({ id: `m${n}`, role: n % 2 ? 'assistant' : 'user', content: `message ${n}`, timestamp: at(n + 1) });

  beforeAll(async () => {
    aws = await startEmbeddedAws();
    table = (await aws.newTables()).chatHistory;
    store = new DynamoDbConversationStore(aws.db, table);
    handler = createHistoryExpiryHandler(new ExpiredConversationSweeper(aws.db, table), new Logger({ logLevel: 'SILENT' }));
  });
  afterAll(async () => aws.close());

  async function conversationWithMessages(userId: string, conversationId: string, count: number): Promise<void> {
    await store.create(userId, { conversationId, title: conversationId, createdAt: at(0), updatedAt: at(0), fileIds: [] });
    for (let n = 0; n < count; n++) await store.appendMessage(userId, conversationId, message(n));
  }

  const removal = (userId: string, sk: string, principalId: string, sequence = '1'): DynamoDBRecord => ({
    eventName: 'REMOVE',
    userIdentity: { type: 'Service', principalId },
    dynamodb: { Keys: { user_id: { S: userId }, sk: { S: sk } }, SequenceNumber: sequence },
  });

  async function expire(userId: string, conversationId: string): Promise<DynamoDBRecord> {
    await aws.db.send(new DeleteCommand({ TableName: table, Key: { user_id: userId, sk: `CONV#${conversationId}` } }));
    return removal(userId, `CONV#${conversationId}`, 'dynamodb.amazonaws.com');
  }

  it('removes every message of a conversation TTL deleted, and nothing of the others', async () => {
    await conversationWithMessages('alice', 'old', 30);
    await conversationWithMessages('alice', 'old2', 2); // shares a prefix with `old`
    await conversationWithMessages('bob', 'old', 3); // same id, another user
    const event: DynamoDBStreamEvent = { Records: [await expire('alice', 'old')] };

    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    expect(await store.listMessages('alice', 'old')).toEqual([]);
    expect(await store.listMessages('alice', 'old2')).toHaveLength(2);
    expect(await store.listMessages('bob', 'old')).toHaveLength(3);
  });

  it('ignores removals that are not TTL expiries of conversation items', async () => {
    await conversationWithMessages('carol', 'kept', 4);
    const event: DynamoDBStreamEvent = {
      Records: [
        removal('carol', 'CONV#kept', 'someone-else'), // a delete by a user or an operator
        removal('carol', 'CONV#kept#MSG#2026-01-01T00:00:01.000Z#m0', 'dynamodb.amazonaws.com'),
        { ...removal('carol', 'CONV#kept', 'dynamodb.amazonaws.com'), eventName: 'MODIFY' },
      ],
    };
    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    expect(await store.listMessages('carol', 'kept')).toHaveLength(4);
  });

  it('reports the record whose sweep failed, so Lambda retries that one only', async () => {
    const failing = createHistoryExpiryHandler(new ExpiredConversationSweeper(aws.db, 'no-such-table'), new Logger({ logLevel: 'SILENT' }));
    const event: DynamoDBStreamEvent = { Records: [removal('dave', 'CONV#gone', 'dynamodb.amazonaws.com', '42')] };
    expect(await failing(event)).toEqual({ batchItemFailures: [{ itemIdentifier: '42' }] });
  });
});
