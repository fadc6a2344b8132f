import { ContainerModule } from 'inversify';
import { MemoryAnswerStreams } from '../../adapters/answer-streams/memory-answer-streams.js';
import { MemoryBlobStore } from '../../adapters/blob-store/memory-blob-store.js';
import { MemoryConversationStore } from '../../adapters/conversation-store/memory-conversation-store.js';
import { MemoryFileCatalog } from '../../adapters/file-catalog/memory-file-catalog.js';
import { MemoryRequestClaims } from '../../adapters/request-claims/memory-request-claims.js';
import { MemoryUsageLedger } from '../../adapters/usage-ledger/memory-usage-ledger.js';
import type { AnswerStreams } from '../../domain/ports/answer-streams.js';
import type { BlobStore } from '../../domain/ports/blob-store.js';
import type { Clock } from '../../domain/ports/clock.js';
import type { ConversationStore } from '../../domain/ports/conversation-store.js';
import type { FileCatalog } from '../../domain/ports/file-catalog.js';
import type { RequestClaims } from '../../domain/ports/request-claims.js';
import type { RateCounter, UsageLedger } from '../../domain/ports/usage-ledger.js';
import { TOKENS } from '../tokens.js';
import type { AdapterFamily } from './adapter-family.js';

/**
 * Everything in this process's memory (`STORE=memory`: the fastest local loop, and most tests):
 * the stores, and the blobs with the target of the imitated presigned uploads that the local
 * server's `PUT /local-uploads/{token}` hands them.
 */
export const memoryStores: AdapterFamily = {
  name: 'memory stores',
  serves: ['stores', 'blobs'],
  moduleFor: ({ store, publicUrl }) => (store.kind === 'memory' ? memoryStoresModule(publicUrl ?? 'http://127.0.0.1') : undefined),
};

function memoryStoresModule(publicUrl: string): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<ConversationStore>(TOKENS.ConversationStore).toResolvedValue(() => new MemoryConversationStore());
    bind<RequestClaims>(TOKENS.RequestClaims).toResolvedValue(() => new MemoryRequestClaims());
    bind<AnswerStreams>(TOKENS.AnswerStreams).toResolvedValue(() => new MemoryAnswerStreams());
    bind<FileCatalog>(TOKENS.FileCatalog).toResolvedValue(() => new MemoryFileCatalog());
    bind<MemoryBlobStore>(TOKENS.LocalUploads).toResolvedValue(() => new MemoryBlobStore(() => `${publicUrl}/local-uploads`));
    bind<BlobStore>(TOKENS.BlobStore).toService(TOKENS.LocalUploads);
    // The domain's clock, so that counts expire on the same time as the service measures windows.
    bind<UsageLedger>(TOKENS.UsageLedger).toResolvedValue((clock: Clock) => new MemoryUsageLedger(clock), [TOKENS.Clock]);
    bind<RateCounter>(TOKENS.RateCounter).toService(TOKENS.UsageLedger);
  });
}
