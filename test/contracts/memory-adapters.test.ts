import { MemoryBlobStore } from '../../src/adapters/blobs/memory-blob-store.js';
import { MemoryFileCatalog } from '../../src/adapters/files/memory-file-catalog.js';
import { MemoryConversationStore } from '../../src/adapters/history/memory-conversation-store.js';
import { OfflineChatModel } from '../../src/adapters/model/offline-chat-model.js';
import { MemoryUsageLedger } from '../../src/adapters/usage/memory-usage-ledger.js';
import { blobStoreContract } from './blob-store.contract.js';
import { chatModelContract } from './chat-model.contract.js';
import { conversationStoreContract } from './conversation-store.contract.js';
import { fileCatalogContract } from './file-catalog.contract.js';
import { rateCounterContract } from './rate-counter.contract.js';
import { usageLedgerContract } from './usage-ledger.contract.js';

conversationStoreContract('MemoryConversationStore', async () => ({ store: new MemoryConversationStore() }));
fileCatalogContract('MemoryFileCatalog', async () => ({ catalog: new MemoryFileCatalog() }));
usageLedgerContract('MemoryUsageLedger', async () => ({ ledger: new MemoryUsageLedger() }));
rateCounterContract('MemoryUsageLedger', async () => ({ rates: new MemoryUsageLedger() }));
blobStoreContract('MemoryBlobStore', async () => ({ blobs: new MemoryBlobStore(() => 'http://127.0.0.1:9/local-uploads') }));
chatModelContract('OfflineChatModel, no delay', () => new OfflineChatModel({ wordDelayMs: 0 }));
// With a pause between words, aborts land while the model is waiting, as with a real model.
chatModelContract('OfflineChatModel, 5 ms a word', () => new OfflineChatModel({ wordDelayMs: 5 }));
