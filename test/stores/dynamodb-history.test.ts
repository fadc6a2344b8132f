import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbConversationStore } from '../../src/adapters/conversation-store/dynamodb-conversation-store.js';
import { encodeCursor } from '../../src/adapters/conversation-store/page-cursor.js';
import type { Message } from '../../src/domain/conversation.js';
import { DomainError } from '../../src/domain/errors.js';
import { startEmbeddedAws, type EmbeddedAws } from '../support/embedded-aws.js';

/** Cases beyond the contract, on dynalite over the real DynamoDB wire protocol. */
describe('DynamoDbConversationStore on dynalite', () => {
  let aws: EmbeddedAws;
  let store: DynamoDbConversationStore;
  const t0 = Date.parse('2026-03-01T10:00:00.000Z');
  const at = (ms: number) => new Date(t0 + ms).toISOString();
  const message = (n: number, content = `message ${n}`): Message => ({
    id: `m-${String(n).padStart(4, '0')}`,
    role: n % 2 === 0 ? 'user' : 'assistant',
    content,
    timestamp: at(n + 1),
  });
  const newConversation = async (userId: string, conversationId: string) =>
    store.create(userId, { conversationId, title: conversationId, createdAt: at(0), updatedAt: at(0), fileIds: [] });

  let table: string;

  beforeAll(async () => {
    aws = await startEmbeddedAws();
    table = (await aws.newTables()).chatHistory;
    store = new DynamoDbConversationStore(aws.db, table);
  });

  /**
   * A second store on the same table whose client holds back the first command of one kind until
   * `release()`: a way to put the two sides of a race in a chosen order over the real protocol.
   */
  function heldStore(commandName: string) {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const reachedHold = new Promise<void>((resolve) => (reached = resolve));
    let holding = true;
    const db = {
      send: async (command: { constructor: { name: string } }) => {
        if (holding && command.constructor.name === commandName) {
          holding = false;
          reached();
          await released;
        }
        return aws.db.send(command as never);
      },
    } as unknown as typeof aws.db;
    return { store: new DynamoDbConversationStore(db, table), reachedHold, release };
  }

  /** Every item of a user's partition, conversation or message, read straight from the table. */
  async function itemsOf(userId: string): Promise<string[]> {
    const { Items = [] } = await aws.db.send(
      new QueryCommand({ TableName: table, KeyConditionExpression: 'user_id = :u', ExpressionAttributeValues: { ':u': userId }, ConsistentRead: true }),
    );
    return Items.map((item) => item.sk as string);
  }
  afterAll(async () => aws.close());

  it('stores 500 messages of 2 KB (1 MB in all) and reads them back in order, then deletes them all', async () => {
    await newConversation('alice', 'long');
    const messages = Array.from({ length: 500 }, (_, n) => message(n, `${n}:`.padEnd(2048, 'x')));
    for (const item of messages) await store.appendMessage('alice', 'long', item);

    const read = await store.listMessages('alice', 'long');
    expect(read).toHaveLength(500);
    expect(read.map((item) => item.id)).toEqual(messages.map((item) => item.id));
    expect(read.every((item) => item.content.length === 2048)).toBe(true);
    expect((await store.get('alice', 'long'))?.updatedAt).toBe(at(500));

    expect(await store.delete('alice', 'long')).toBe(true);
    expect(await store.listMessages('alice', 'long')).toEqual([]);
    expect(await store.get('alice', 'long')).toBeUndefined();
  });

  it('keeps all of 20 concurrent appends to one conversation', async () => {
    await newConversation('alice', 'busy');
    await Promise.all(Array.from({ length: 20 }, (_, n) => store.appendMessage('alice', 'busy', message(n))));
    const read = await store.listMessages('alice', 'busy');
    expect(read.map((item) => item.id).sort()).toEqual(Array.from({ length: 20 }, (_, n) => message(n).id));
    // updatedAt never moves back, whatever order the appends landed in.
    expect((await store.get('alice', 'busy'))?.updatedAt).toBe(at(20));
  });

  it('gives a second user nothing of the first user, whatever ids or cursors they try', async () => {
    await newConversation('alice', 'secret');
    await store.appendMessage('alice', 'secret', message(1, 'the secret'));
    for (let n = 0; n < 3; n++) await newConversation('alice', `more-${n}`);
    const alicePage = await store.list('alice', { limit: 2 });
    expect(alicePage.nextCursor).toBeDefined();

    expect(await store.get('bob', 'secret')).toBeUndefined();
    expect(await store.listMessages('bob', 'secret')).toEqual([]);
    expect((await store.list('bob', { limit: 50 })).items).toEqual([]);
    expect((await store.list('bob', { limit: 50, cursor: alicePage.nextCursor! })).items).toEqual([]);
    expect(await store.rename('bob', 'secret', 'mine now', at(99))).toBeUndefined();
    expect(await store.delete('bob', 'secret')).toBe(false);
    await expect(store.appendMessage('bob', 'secret', message(2))).rejects.toMatchObject({ kind: 'not_found' });
    await expect(store.attachFiles('bob', 'secret', ['f'], at(99))).rejects.toMatchObject({ kind: 'not_found' });

    const stillThere = await store.get('alice', 'secret');
    expect(stillThere?.title).toBe('secret');
    expect((await store.listMessages('alice', 'secret')).map((item) => item.content)).toEqual(['the secret']);
  });

  it('refuses cursors it did not issue', async () => {
    const forged = [encodeCursor({ t: at(0), s: 'FILE#x' }), encodeCursor(['a', 'b']), 'not-base64-json', encodeCursor({ t: 1, s: 'CONV#x' })];
    for (const cursor of forged) {
      const error: unknown = await store.list('alice', { limit: 5, cursor }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ kind: 'invalid', code: 'INVALID_CURSOR' });
    }
  });

  it('does not take a conversation whose id extends another one with it on delete', async () => {
    await newConversation('alice', 'ab');
    await newConversation('alice', 'abc');
    await store.appendMessage('alice', 'abc', message(1));
    expect(await store.delete('alice', 'ab')).toBe(true);
    expect(await store.get('alice', 'abc')).toBeDefined();
    expect(await store.listMessages('alice', 'abc')).toHaveLength(1);
  });

  it('leaves no message behind when the conversation is deleted while an answer is being stored', async () => {
    await newConversation('race-1', 'c');
    await store.appendMessage('race-1', 'c', message(1));
    // The answer's item waits to be written while the whole delete runs.
    const appender = heldStore('PutCommand');
    const append = appender.store.appendMessage('race-1', 'c', message(2));
    await appender.reachedHold;
    expect(await store.delete('race-1', 'c')).toBe(true);
    appender.release();
    await expect(append).rejects.toMatchObject({ code: 'CONVERSATION_NOT_FOUND' });
    expect(await itemsOf('race-1')).toEqual([]);
  });

  it('takes back a message whose conversation update failed, and a second delete clears what a first one left', async () => {
    await newConversation('race-3', 'c');
    const failing = {
      send: async (command: { constructor: { name: string } }) => {
        if (command.constructor.name === 'UpdateCommand') throw new Error('throttled');
        return aws.db.send(command as never);
      },
    } as unknown as typeof aws.db;
    await expect(new DynamoDbConversationStore(failing, table).appendMessage('race-3', 'c', message(1))).rejects.toThrow('throttled');
    expect(await itemsOf('race-3')).toEqual(['CONV#c']);

    // A delete that removed the conversation item but not a message: the retry answers "not found" and cleans up.
    await store.appendMessage('race-3', 'c', message(2));
    await aws.db.send(new DeleteCommand({ TableName: table, Key: { user_id: 'race-3', sk: 'CONV#c' } }));
    expect(await store.delete('race-3', 'c')).toBe(false);
    expect(await itemsOf('race-3')).toEqual([]);
  });

  it('leaves no message behind when an answer lands between the delete looking for messages and removing them', async () => {
    await newConversation('race-2', 'c');
    // The delete has listed the items (none yet) and waits to remove them while the answer is stored.
    const deleter = heldStore('BatchWriteCommand');
    const removal = deleter.store.delete('race-2', 'c');
    await deleter.reachedHold;
    await store.appendMessage('race-2', 'c', message(1));
    deleter.release();
    expect(await removal).toBe(true);
    expect(await itemsOf('race-2')).toEqual([]);
  });
});
