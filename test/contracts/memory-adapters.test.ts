import { describe, expect, it } from 'vitest';
import { MemoryAnswerStreams } from '../../src/adapters/answer-streams/memory-answer-streams.js';
import { MemoryBlobStore } from '../../src/adapters/blob-store/memory-blob-store.js';
import { MemoryFileCatalog } from '../../src/adapters/file-catalog/memory-file-catalog.js';
import { MemoryConversationStore } from '../../src/adapters/conversation-store/memory-conversation-store.js';
import { MemoryRequestClaims } from '../../src/adapters/request-claims/memory-request-claims.js';
import { OfflineChatModel } from '../../src/adapters/chat-model/offline-chat-model.js';
import { LruTextCache } from '../../src/adapters/text-cache/lru-text-cache.js';
import { MemoryUsageLedger } from '../../src/adapters/usage-ledger/memory-usage-ledger.js';
import { answerStreamsContract } from './answer-streams.contract.js';
import { blobStoreContract, type SendUpload } from './blob-store.contract.js';
import { chatModelContract } from './chat-model.contract.js';
import { conversationStoreContract } from './conversation-store.contract.js';
import { fileCatalogContract } from './file-catalog.contract.js';
import { rateCounterContract } from './rate-counter.contract.js';
import { requestClaimsContract } from './request-claims.contract.js';
import { textCacheContract } from './text-cache.contract.js';
import { usageLedgerContract } from './usage-ledger.contract.js';
import { FixedClock } from '../support/fakes.js';

conversationStoreContract('MemoryConversationStore', async () => ({ store: new MemoryConversationStore() }));
requestClaimsContract('MemoryRequestClaims', async () => ({ claims: new MemoryRequestClaims(), history: new MemoryConversationStore() }));
answerStreamsContract('MemoryAnswerStreams', async () => {
  // One process, one memory: the other instance is the same object.
  const streams = new MemoryAnswerStreams();
  return { streams, elsewhere: streams, history: new MemoryConversationStore() };
});
textCacheContract('LruTextCache', (bytes) => new LruTextCache(bytes));
fileCatalogContract('MemoryFileCatalog', async () => ({ catalog: new MemoryFileCatalog() }));
usageLedgerContract('MemoryUsageLedger', async () => ({ ledger: new MemoryUsageLedger() }));
rateCounterContract('MemoryUsageLedger', async () => ({ rates: new MemoryUsageLedger() }));
blobStoreContract('MemoryBlobStore', async () => {
  const blobs = new MemoryBlobStore(() => 'http://127.0.0.1:9/local-uploads');
  // What the local server's `PUT /local-uploads/{token}` does with the request.
  const send: SendUpload = async (target, bytes) => {
    const outcome = await blobs.receiveUpload(new URL(target.url).pathname.split('/').pop() ?? '', target.headers['Content-Type'] ?? '', bytes);
    return outcome.ok ? 200 : outcome.status;
  };
  return { blobs, send };
});
chatModelContract('OfflineChatModel, no delay', () => new OfflineChatModel({ wordDelayMs: 0 }));
// With a pause between words, aborts land while the model is waiting, as with a real model.
chatModelContract('OfflineChatModel, 5 ms a word', () => new OfflineChatModel({ wordDelayMs: 5 }));

describe('MemoryAnswerStreams, over a day', () => {
  it('forgets a stream a day after its last write, as DynamoDB’s TTL does', async () => {
    const clock = new FixedClock();
    const streams = new MemoryAnswerStreams(clock);
    await streams.open('alice', 'old-answer');
    await streams.append('alice', 'old-answer', [{ id: 1, event: 'delta', data: { text: 'Hello' } }], 'done');
    clock.advance(23 * 3600 * 1000);
    await streams.open('alice', 'recent-answer');
    expect(await streams.read('alice', 'old-answer', 0)).toBeDefined();
    clock.advance(2 * 3600 * 1000);
    await streams.open('alice', 'new-answer');
    expect(await streams.read('alice', 'old-answer', 0)).toBeUndefined();
    expect(await streams.read('alice', 'recent-answer', 0)).toBeDefined();
  });
});
