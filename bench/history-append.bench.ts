import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ensureTables } from '../src/adapters/aws/ensure-resources.js';
import { DynamoDbConversationStore } from '../src/adapters/conversation-store/dynamodb-conversation-store.js';
import type { Message } from '../src/domain/conversation.js';
import { EMBEDDED_CREDENTIALS } from '../src/entrypoints/embedded-credentials.js';
import { startEmbeddedStores } from '../src/entrypoints/local/embedded-stores.js';
import type { BenchResult } from './support/report.js';

const LENGTHS = [10, 100, 1000];
const MEASURED_APPENDS = 50;
const MESSAGE_CHARS = 2048;

/**
 * Appending to a conversation on DynamoDB (dynalite, over the real wire protocol): bytes sent to
 * DynamoDB and time per append at 10, 100 and 1,000 messages. One item per message should make
 * both flat: the ratio against 10 messages stays near 1.
 */
export async function historyAppendBench(): Promise<BenchResult> {
  const stores = await startEmbeddedStores({ buckets: [] });
  let bytesSent = 0;
  const client = new DynamoDBClient({ region: 'eu-west-1', endpoint: stores.dynamoDbEndpoint, credentials: EMBEDDED_CREDENTIALS });
  client.middlewareStack.add(
    (next) => async (args) => {
      const body = (args.request as { body?: unknown }).body;
      if (typeof body === 'string') bytesSent += Buffer.byteLength(body);
      else if (body instanceof Uint8Array) bytesSent += body.byteLength;
      return next(args);
    },
    { step: 'build', priority: 'low', name: 'countBytes' },
  );
  const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  try {
    await ensureTables(db, { chatHistory: 'bench-history', fileMetadata: 'bench-files', usage: 'bench-usage' });
    const store = new DynamoDbConversationStore(db, 'bench-history');
    await warmUp(store);
    const rows = [];
    let baseline: { ms: number; bytes: number } | undefined;
    for (const length of LENGTHS) {
      const conversationId = `bench-${length}`;
      const start = Date.parse('2026-01-01T00:00:00Z');
      let tick = 0;
      const message = (): Message => ({
        id: `m-${tick}`,
        role: tick % 2 === 0 ? 'user' : 'assistant',
        content: 'x'.repeat(MESSAGE_CHARS),
        timestamp: new Date(start + ++tick).toISOString(),
      });
      await store.create('bench-user', {
        conversationId,
        title: 'bench',
        createdAt: new Date(start).toISOString(),
        updatedAt: new Date(start).toISOString(),
        fileIds: [],
      });
      while (tick < length) await store.appendMessage('bench-user', conversationId, message());

      bytesSent = 0;
      const began = performance.now();
      for (let i = 0; i < MEASURED_APPENDS; i++) await store.appendMessage('bench-user', conversationId, message());
      const ms = (performance.now() - began) / MEASURED_APPENDS;
      const bytes = bytesSent / MEASURED_APPENDS;

      const readBegan = performance.now();
      const read = await store.listMessages('bench-user', conversationId);
      const readMs = performance.now() - readBegan;

      baseline ??= { ms, bytes };
      rows.push({
        messages: length,
        'bytes/append': Math.round(bytes),
        'bytes ratio': bytes / baseline.bytes,
        'ms/append': ms,
        'time ratio': ms / baseline.ms,
        'read all (ms)': readMs,
        'messages read': read.length,
      });
    }
    return {
      name: 'history append (DynamoDB on dynalite)',
      description: `${MEASURED_APPENDS} appends of ${MESSAGE_CHARS}-character messages at each length; ratios against ${LENGTHS[0]} messages (flat = 1)`,
      rows,
    };
  } finally {
    client.destroy();
    await stores.close();
  }
}

/** Appends before measuring, so that the first length does not pay for JIT and connection set-up. */
async function warmUp(store: DynamoDbConversationStore): Promise<void> {
  const at = (n: number) => new Date(Date.parse('2025-01-01T00:00:00Z') + n).toISOString();
  await store.create('warm-up', { conversationId: 'warm-up', title: 'warm-up', createdAt: at(0), updatedAt: at(0), fileIds: [] });
  for (let n = 1; n <= 200; n++) {
    await store.appendMessage('warm-up', 'warm-up', { id: `w-${n}`, role: 'user', content: 'x'.repeat(MESSAGE_CHARS), timestamp: at(n) });
  }
}
