import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { Conversation, ConversationSummary, Message } from '../../domain/conversation.js';
import { conversationNotFound } from '../../domain/errors.js';
import type { ConversationStore, ConversationThread, ListOptions, Page } from '../../domain/ports/conversation-store.js';
import { CHAT_HISTORY_INDEX } from '../aws/dynamodb-tables.js';
import { deleteAll } from '../aws/batch-delete.js';
import { queryAll } from '../aws/query-all.js';
import { decodeCursor, encodeCursor } from './page-cursor.js';

const TTL_SECONDS = 90 * 24 * 3600;

const conversationKey = (conversationId: string) => `CONV#${conversationId}`;
/** Message keys sort by time within their conversation: `CONV#<id>#MSG#<timestamp>#<message id>`. */
export const messagePrefix = (conversationId: string) => `CONV#${conversationId}#MSG#`;

interface ConversationItem {
  user_id: string;
  sk: string;
  conversation_id: string;
  title: string;
  created_at: string;
  updated_at: string;
  /** The GSI sort key: only conversation items carry it, which keeps the index sparse. */
  timestamp: string;
  file_ids?: string[];
  ttl: number;
}

interface MessageItem {
  user_id: string;
  sk: string;
  message_id: string;
  role: Message['role'];
  content: string;
  sent_at: string;
  file_ids?: string[];
  usage?: Message['usage'];
  stop_reason?: Message['stopReason'];
  /** A map `{code, message, kind}`; items written before `kind` was kept lack it (see storedFailure). */
  error?: Message['error'];
  context?: Message['context'];
  /** A regenerated answer's: the answer it replaces (kept as a previous version). */
  replaces?: string;
}

type Position = { t: string; s: string };
const isPosition = (value: unknown): value is Position =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Position).t === 'string' &&
  typeof (value as Position).s === 'string' &&
  (value as Position).s.startsWith('CONV#');

/**
 * History on DynamoDB (`chat-history`, defined in adapters/aws/dynamodb-tables.ts): partition key `user_id`, so every
 * read and write names the caller's partition; one item per conversation and one per message,
 * so an append is one small write whatever the conversation's length, with no 400 KB ceiling and
 * no lost update when two sends race. No transactions: each write stands on its own.
 */
export class DynamoDbConversationStore implements ConversationStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(userId: string, conversation: Conversation): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: conversationItem(userId, conversation) }));
  }

  /**
   * Two puts at once, not a transaction (dynalite has none, and the two items need no lock: no one
   * else can know the new conversation's id yet). Should one fail, the other is taken back.
   */
  async start(userId: string, conversation: Conversation, first: Message): Promise<void> {
    const updatedAt = first.timestamp > conversation.updatedAt ? first.timestamp : conversation.updatedAt;
    const items = [conversationItem(userId, { ...conversation, updatedAt }), messageItem(userId, conversation.conversationId, first)];
    const puts = await Promise.allSettled(items.map((item) => this.db.send(new PutCommand({ TableName: this.tableName, Item: item }))));
    const failed = puts.find((put) => put.status === 'rejected');
    if (!failed) return;
    await Promise.all(
      items
        .filter((_, index) => puts[index]!.status === 'fulfilled')
        .map((item) => this.db.send(new DeleteCommand({ TableName: this.tableName, Key: { user_id: userId, sk: item.sk } })).catch(() => undefined)),
    );
    throw failed.reason;
  }

  async get(userId: string, conversationId: string): Promise<Conversation | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { user_id: userId, sk: conversationKey(conversationId) }, ConsistentRead: true }),
    );
    return Item ? toConversation(Item as ConversationItem) : undefined;
  }

  async list(userId: string, options: ListOptions): Promise<Page<ConversationSummary>> {
    const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor, isPosition);
    // One item more than asked tells whether another page exists, so the last page has no cursor.
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: CHAT_HISTORY_INDEX,
        KeyConditionExpression: 'user_id = :u',
        ExpressionAttributeValues: { ':u': userId },
        ScanIndexForward: false,
        Limit: options.limit + 1,
        ExclusiveStartKey: after && { user_id: userId, timestamp: after.t, sk: after.s },
      }),
    );
    const items = ((result.Items ?? []) as ConversationItem[]).slice(0, options.limit);
    const page: Page<ConversationSummary> = { items: items.map(toSummaryItem) };
    const last = items[items.length - 1];
    if (last && ((result.Items?.length ?? 0) > options.limit || result.LastEvaluatedKey)) {
      page.nextCursor = encodeCursor({ t: last.timestamp, s: last.sk });
    }
    return page;
  }

  async rename(userId: string, conversationId: string, title: string, updatedAt: string): Promise<ConversationSummary | undefined> {
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { user_id: userId, sk: conversationKey(conversationId) },
          UpdateExpression: 'SET title = :title, updated_at = :now, #ts = :now, #ttl = :ttl',
          ConditionExpression: 'attribute_exists(sk)',
          ExpressionAttributeNames: { '#ts': 'timestamp', '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':title': title, ':now': updatedAt, ':ttl': expiry(updatedAt) },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toSummaryItem(Attributes as ConversationItem);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  async attachFiles(userId: string, conversationId: string, fileIds: string[], updatedAt: string): Promise<void> {
    // One atomic append rather than read, merge, write: two sends attaching files at once both keep
    // theirs. A file attached twice by racing sends appears twice in the list; reads drop the repeat.
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { user_id: userId, sk: conversationKey(conversationId) },
          UpdateExpression: 'SET file_ids = list_append(if_not_exists(file_ids, :none), :files)',
          ConditionExpression: 'attribute_exists(sk)',
          ExpressionAttributeValues: { ':files': fileIds, ':none': [] },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw conversationNotFound();
      throw error;
    }
    await this.touch(userId, conversationId, updatedAt);
  }

  /**
   * The message item first, then the conversation's `updated_at`: if the conversation turns out
   * to be gone (deleted while this answer was being written), the item just written is taken
   * back. With `delete` looking again for messages after removing the conversation item, no
   * interleaving of the two leaves a message without its conversation, without a transaction.
   * (A process that dies between the two writes can: TTL never reaches such a message.)
   */
  async appendMessage(userId: string, conversationId: string, message: Message): Promise<void> {
    const item = messageItem(userId, conversationId, message);
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: item }));
    try {
      await this.touch(userId, conversationId, message.timestamp);
    } catch (error) {
      // Not stored, as the caller is told: a retry must not find the message there twice. If
      // taking it back fails too (DynamoDB down), the message stays, and a later delete of the
      // conversation still finds it under the conversation's prefix.
      await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: { user_id: userId, sk: item.sk } })).catch(() => undefined);
      throw error;
    }
  }

  async listMessages(userId: string, conversationId: string): Promise<Message[]> {
    const items = await queryAll<MessageItem>(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'user_id = :u AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':u': userId, ':prefix': messagePrefix(conversationId) },
      ConsistentRead: true,
    });
    return items.map(toMessage);
  }

  /**
   * One query: the conversation item (`CONV#<id>`) sorts right before its messages
   * (`CONV#<id>#MSG#…`), so `begins_with(CONV#<id>)` returns both; items of a conversation whose
   * id merely starts with this one (`CONV#<id>x…`) are left out.
   */
  async read(userId: string, conversationId: string): Promise<ConversationThread | undefined> {
    const key = conversationKey(conversationId);
    const prefix = messagePrefix(conversationId);
    const items = await queryAll<ConversationItem | MessageItem>(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'user_id = :u AND begins_with(sk, :key)',
      ExpressionAttributeValues: { ':u': userId, ':key': key },
      ConsistentRead: true,
    });
    const conversation = items.find((item) => item.sk === key);
    if (!conversation) return undefined;
    const messages = items.filter((item) => item.sk.startsWith(prefix)) as MessageItem[];
    return { conversation: toConversation(conversation as ConversationItem), messages: messages.map(toMessage) };
  }

  async delete(userId: string, conversationId: string): Promise<boolean> {
    // `CONV#ab` must not take `CONV#abc`'s items with it.
    const keys = (await this.keysUnder(userId, conversationKey(conversationId))).filter(
      ({ sk }) => sk === conversationKey(conversationId) || sk.startsWith(messagePrefix(conversationId)),
    );
    const existed = keys.some((key) => key.sk === conversationKey(conversationId));
    // Messages first, the conversation item last. Messages found without their conversation (a
    // delete interrupted after the conversation item went) go too: a retry finishes the job.
    keys.sort((a, b) => b.sk.length - a.sk.length);
    if (keys.length > 0) await deleteAll(this.db, this.tableName, keys);
    if (!existed) return false;
    // An append that found the conversation still there may have written its message after the
    // query above: once the conversation item is gone, no new one can arrive (see appendMessage).
    const late = await this.keysUnder(userId, messagePrefix(conversationId));
    if (late.length > 0) await deleteAll(this.db, this.tableName, late);
    return true;
  }

  /** The keys of a user's items whose sort key starts with `prefix`, read consistently. */
  private async keysUnder(userId: string, prefix: string): Promise<Array<{ user_id: string; sk: string }>> {
    const items = await queryAll<{ sk: string }>(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'user_id = :u AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':u': userId, ':prefix': prefix },
      ProjectionExpression: 'sk',
      ConsistentRead: true,
    });
    return items.map(({ sk }) => ({ user_id: userId, sk }));
  }

  /**
   * Moves `updated_at` forward (never back: racing appends may arrive out of order) and refreshes
   * the TTL. Fails with not-found when the conversation does not exist.
   */
  private async touch(userId: string, conversationId: string, at: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { user_id: userId, sk: conversationKey(conversationId) },
          UpdateExpression: 'SET updated_at = :at, #ts = :at, #ttl = :ttl',
          // `<=`: a new conversation's first message carries its creation time; `<` would fail
          // the condition and cost a read to tell "missing" from "already later".
          ConditionExpression: 'attribute_exists(sk) AND updated_at <= :at',
          ExpressionAttributeNames: { '#ts': 'timestamp', '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':at': at, ':ttl': expiry(at) },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // Either the conversation is missing, or it was already touched later than `at`.
      if (!(await this.get(userId, conversationId))) throw conversationNotFound();
    }
  }
}

/** Seconds since the epoch, 90 days after the last activity (TTL refreshed on activity: a conversation in use never expires). */
function expiry(isoTime: string): number {
  return Math.floor(Date.parse(isoTime) / 1000) + TTL_SECONDS;
}

function conversationItem(userId: string, conversation: Conversation): ConversationItem {
  const item: ConversationItem = {
    user_id: userId,
    sk: conversationKey(conversation.conversationId),
    conversation_id: conversation.conversationId,
    title: conversation.title,
    created_at: conversation.createdAt,
    updated_at: conversation.updatedAt,
    timestamp: conversation.updatedAt,
    ttl: expiry(conversation.updatedAt),
  };
  if (conversation.fileIds.length > 0) item.file_ids = conversation.fileIds;
  return item;
}

function messageItem(userId: string, conversationId: string, message: Message): MessageItem {
  const item: MessageItem = {
    user_id: userId,
    sk: `${messagePrefix(conversationId)}${message.timestamp}#${message.id}`,
    message_id: message.id,
    role: message.role,
    content: message.content,
    sent_at: message.timestamp,
  };
  if (message.fileIds) item.file_ids = message.fileIds;
  if (message.usage) item.usage = message.usage;
  if (message.stopReason) item.stop_reason = message.stopReason;
  if (message.error) item.error = message.error;
  if (message.context) item.context = message.context;
  if (message.replaces) item.replaces = message.replaces;
  return item;
}

function toConversation(item: ConversationItem): Conversation {
  return { ...toSummaryItem(item), fileIds: [...new Set(item.file_ids ?? [])] };
}

function toSummaryItem(item: ConversationItem): ConversationSummary {
  return { conversationId: item.conversation_id, title: item.title, createdAt: item.created_at, updatedAt: item.updated_at };
}

function toMessage(item: MessageItem): Message {
  const message: Message = { id: item.message_id, role: item.role, content: item.content, timestamp: item.sent_at };
  if (item.file_ids) message.fileIds = item.file_ids;
  if (item.usage) message.usage = item.usage;
  if (item.stop_reason) message.stopReason = item.stop_reason;
  if (item.error) message.error = item.error;
  if (item.context) message.context = item.context;
  if (item.replaces) message.replaces = item.replaces;
  return message;
}
