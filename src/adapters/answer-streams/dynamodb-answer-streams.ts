import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../../domain/ports/clock.js';
import type { AnswerStreams, EndedStatus, StreamHead, StreamStatus, StreamedEvent } from '../../domain/ports/answer-streams.js';
import { queryAll } from '../aws/query-all.js';

/** A day: long enough for a phone to wake up, short enough that the table does not grow with it. */
const TTL_SECONDS = 24 * 3600;
/**
 * The most events one chunk item holds. Bounding it is what lets a read start at the right chunk
 * without an index: the chunk holding event n starts at most this many ids before it. The writer
 * flushes at most this many at once (FLUSH_EVENTS in chat/answer-recorder.ts): one batch, one chunk.
 */
const MAX_EVENTS_PER_CHUNK = 32;

const headKey = (messageId: string) => `STREAM#${messageId}`;
/** Chunks sort by their first event's id within the stream: zero-padded, so text order is number order. */
const chunkKey = (messageId: string, firstId: number) => `STREAM#${messageId}#${String(firstId).padStart(8, '0')}`;
/** Above every chunk key of the stream (`~` sorts after the digits). */
const afterLastChunk = (messageId: string) => `STREAM#${messageId}#~`;

interface HeadItem {
  user_id: string;
  sk: string;
  status: StreamStatus;
  last_id: number;
  stop_requested: boolean;
  /** Epoch ms of the head's last write (see StreamHead.updatedAt). */
  updated_at: number;
  ttl: number;
}

interface ChunkItem {
  user_id: string;
  sk: string;
  /** In id order; each event's data as JSON text, exactly as it was sent. */
  events: Array<{ id: number; event: string; data: string }>;
  ttl: number;
}

/**
 * Answer streams in the chat-history table, in the user's own partition beside the conversations:
 * a head item (`STREAM#<message id>`: status, last id, whether a Stop was asked for) and chunk
 * items (`STREAM#<message id>#<first id>`), one per batch the writer flushes, so that a long answer
 * costs about a write a second (or every 32 events), not one per token. A chunk is written before the
 * head names its events, so a reader that reads the head first finds every event it names. No
 * item carries `timestamp`, so the conversations index never sees them; TTL removes them after a
 * day, and the expiry sweeper, which follows conversation items only, ignores them.
 */
export class DynamoDbAnswerStreams implements AnswerStreams {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock,
  ) {}

  async open(userId: string, messageId: string): Promise<boolean> {
    const head: HeadItem = { user_id: userId, sk: headKey(messageId), status: 'streaming', last_id: 0, stop_requested: false, updated_at: this.clock.now().getTime(), ttl: this.expiry() };
    try {
      await this.db.send(new PutCommand({ TableName: this.tableName, Item: head, ConditionExpression: 'attribute_not_exists(sk)' }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async append(userId: string, messageId: string, events: readonly StreamedEvent[], ending?: EndedStatus): Promise<{ stopRequested: boolean }> {
    const ttl = this.expiry();
    const chunks: ChunkItem[] = chunksOf(events).map((part) => ({
      user_id: userId,
      sk: chunkKey(messageId, part[0]!.id),
      events: part,
      ttl,
    }));
    // Chunks first: the head names only events that are there.
    await Promise.all(chunks.map((Item) => this.db.send(new PutCommand({ TableName: this.tableName, Item }))));
    const sets = ['#ttl = :ttl', 'updated_at = :now'];
    const values: Record<string, unknown> = { ':ttl': ttl, ':now': this.clock.now().getTime() };
    if (events.length > 0) {
      sets.push('last_id = :last');
      values[':last'] = events[events.length - 1]!.id;
    }
    if (ending) {
      sets.push('#status = :ending');
      values[':ending'] = ending;
    }
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { user_id: userId, sk: headKey(messageId) },
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: 'attribute_exists(sk)',
          ExpressionAttributeNames: { '#ttl': 'ttl', ...(ending && { '#status': 'status' }) },
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { stopRequested: (Attributes as HeadItem).stop_requested };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new Error(`no answer stream ${messageId} to append to`, { cause: error });
      throw error;
    }
  }

  async read(userId: string, messageId: string, after: number): Promise<{ head: StreamHead; events: StreamedEvent[] } | undefined> {
    // The head first, then the chunks: every event it names was written before it (see append).
    const item = await this.head(userId, messageId);
    if (!item) return undefined;
    const head: StreamHead = { status: item.status, lastId: item.last_id, stopRequested: item.stop_requested, updatedAt: item.updated_at };
    // Nothing new by the head: a follower polling a quiet stream costs one read, not two.
    if (after >= head.lastId) return { head, events: [] };
    const chunks = await queryAll<ChunkItem>(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'user_id = :u AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':u': userId,
        ':from': chunkKey(messageId, Math.max(1, after + 2 - MAX_EVENTS_PER_CHUNK)),
        ':to': afterLastChunk(messageId),
      },
      ConsistentRead: true,
    });
    const events = chunks
      .flatMap((chunk) => chunk.events)
      .filter((event) => event.id > after)
      .map(({ id, event, data }) => ({ id, event, data: JSON.parse(data) as unknown }));
    return { head, events };
  }

  async requestStop(userId: string, messageId: string): Promise<StreamStatus | undefined> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { user_id: userId, sk: headKey(messageId) },
          UpdateExpression: 'SET stop_requested = :yes',
          ConditionExpression: 'attribute_exists(sk) AND #status = :streaming',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':yes': true, ':streaming': 'streaming' },
        }),
      );
      return 'streaming';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    // Ended already, or never there.
    return (await this.head(userId, messageId))?.status;
  }

  private async head(userId: string, messageId: string): Promise<HeadItem | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { user_id: userId, sk: headKey(messageId) }, ConsistentRead: true }),
    );
    return Item as HeadItem | undefined;
  }

  private expiry(): number {
    return Math.floor(this.clock.now().getTime() / 1000) + TTL_SECONDS;
  }
}

/** What a chunk's events may take: DynamoDB refuses an item over 400 KB, keys and names included. */
const MAX_CHUNK_BYTES = 350_000;

/**
 * The events, stored as they are read back, in runs of at most MAX_EVENTS_PER_CHUNK and
 * MAX_CHUNK_BYTES. Cut greedily from the first, so the same events always make the same chunks
 * (a retried write overwrites what it wrote), and none has more than MAX_EVENTS_PER_CHUNK events
 * (the lower bound of `read`'s query counts on it). One event larger than the bound alone is a
 * chunk of its own, which DynamoDB refuses: a failed write, as the recorder expects some to be.
 */
function chunksOf(events: readonly StreamedEvent[]): Array<ChunkItem['events']> {
  const chunks: Array<ChunkItem['events']> = [];
  let current: ChunkItem['events'] = [];
  let bytes = 0;
  for (const { id, event, data } of events) {
    const stored = { id, event, data: JSON.stringify(data) };
    const size = Buffer.byteLength(stored.data) + Buffer.byteLength(event) + 32;
    if (current.length > 0 && (current.length === MAX_EVENTS_PER_CHUNK || bytes + size > MAX_CHUNK_BYTES)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(stored);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
