import { afterAll } from 'vitest';
import { DynamoDbAnswerStreams } from '../../src/adapters/answer-streams/dynamodb-answer-streams.js';
import { SystemClock } from '../../src/adapters/system/system-clock.js';
import { S3BlobStore } from '../../src/adapters/blob-store/s3-blob-store.js';
import { DynamoDbFileCatalog } from '../../src/adapters/file-catalog/dynamodb-file-catalog.js';
import { DynamoDbConversationStore } from '../../src/adapters/conversation-store/dynamodb-conversation-store.js';
import { DynamoDbRequestClaims } from '../../src/adapters/request-claims/dynamodb-request-claims.js';
import { DynamoDbUsageLedger } from '../../src/adapters/usage-ledger/dynamodb-usage-ledger.js';
import { createDynamoDbClient } from '../../src/adapters/aws/clients.js';
import { EMBEDDED_CREDENTIALS } from '../../src/entrypoints/embedded-credentials.js';
import { startEmbeddedAws, type EmbeddedAws } from '../support/embedded-aws.js';
import { answerStreamsContract } from './answer-streams.contract.js';
import { blobStoreContract, type SendUpload } from './blob-store.contract.js';
import { conversationStoreContract } from './conversation-store.contract.js';
import { fileCatalogContract } from './file-catalog.contract.js';
import { rateCounterContract } from './rate-counter.contract.js';
import { requestClaimsContract } from './request-claims.contract.js';
import { usageLedgerContract } from './usage-ledger.contract.js';

/**
 * The same contracts as the in-memory adapters, on the production adapters talking to dynalite
 * and s3rver over the real wire protocols: one pair of servers for the file, fresh tables and a
 * fresh bucket for every test.
 */
let started: Promise<EmbeddedAws> | undefined;
const aws = () => (started ??= startEmbeddedAws());
afterAll(async () => {
  if (started) await (await started).close();
});

conversationStoreContract('DynamoDbConversationStore (dynalite)', async () => {
  const embedded = await aws();
  return { store: new DynamoDbConversationStore(embedded.db, (await embedded.newTables()).chatHistory) };
});
// In the chat-history table, beside the conversations, as deployed.
requestClaimsContract('DynamoDbRequestClaims (dynalite)', async () => {
  const embedded = await aws();
  const table = (await embedded.newTables()).chatHistory;
  return { claims: new DynamoDbRequestClaims(embedded.db, table), history: new DynamoDbConversationStore(embedded.db, table) };
});
// In the chat-history table too; `elsewhere` is another instance's adapter, with its own client.
answerStreamsContract('DynamoDbAnswerStreams (dynalite)', async () => {
  const embedded = await aws();
  const table = (await embedded.newTables()).chatHistory;
  const otherClient = createDynamoDbClient({ region: 'eu-west-1', dynamoDbEndpoint: embedded.stores.dynamoDbEndpoint, credentials: EMBEDDED_CREDENTIALS });
  return {
    streams: new DynamoDbAnswerStreams(embedded.db, table, new SystemClock()),
    elsewhere: new DynamoDbAnswerStreams(otherClient, table, new SystemClock()),
    history: new DynamoDbConversationStore(embedded.db, table),
  };
});
fileCatalogContract('DynamoDbFileCatalog (dynalite)', async () => {
  const embedded = await aws();
  return { catalog: new DynamoDbFileCatalog(embedded.db, (await embedded.newTables()).fileMetadata) };
});
usageLedgerContract('DynamoDbUsageLedger (dynalite)', async () => {
  const embedded = await aws();
  return { ledger: new DynamoDbUsageLedger(embedded.db, (await embedded.newTables()).usage) };
});
rateCounterContract('DynamoDbUsageLedger (dynalite)', async () => {
  const embedded = await aws();
  return { rates: new DynamoDbUsageLedger(embedded.db, (await embedded.newTables()).usage) };
});
blobStoreContract('S3BlobStore (s3rver)', async () => {
  const embedded = await aws();
  const send: SendUpload = async (target, bytes) => (await fetch(target.url, { method: target.method, headers: target.headers, body: bytes })).status;
  return { blobs: new S3BlobStore(embedded.s3, await embedded.newBucket()), send };
});
