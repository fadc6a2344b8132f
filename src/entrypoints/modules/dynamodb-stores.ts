import { DescribeEndpointsCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ContainerModule } from 'inversify';
import { DynamoDbAnswerStreams } from '../../adapters/answer-streams/dynamodb-answer-streams.js';
import { createDynamoDbClient } from '../../adapters/aws/clients.js';
import { DynamoDbConversationStore } from '../../adapters/conversation-store/dynamodb-conversation-store.js';
import { DynamoDbFileCatalog } from '../../adapters/file-catalog/dynamodb-file-catalog.js';
import { DynamoDbRequestClaims } from '../../adapters/request-claims/dynamodb-request-claims.js';
import { DynamoDbUsageLedger } from '../../adapters/usage-ledger/dynamodb-usage-ledger.js';
import type { AnswerStreams } from '../../domain/ports/answer-streams.js';
import type { Clock } from '../../domain/ports/clock.js';
import type { ConversationStore } from '../../domain/ports/conversation-store.js';
import type { FileCatalog } from '../../domain/ports/file-catalog.js';
import type { RequestClaims } from '../../domain/ports/request-claims.js';
import type { RateCounter, UsageLedger } from '../../domain/ports/usage-ledger.js';
import type { WarmUp } from '../lambda/warm-up.js';
import { TOKENS } from '../tokens.js';
import type { AdapterFamily } from './adapter-family.js';
import { awsClientOptions, type AwsStoreConfig } from './aws-store-config.js';

/** One document client per process, shared by the stores; no other module uses it. */
const DYNAMODB = Symbol('DynamoDBDocumentClient');

/**
 * Conversations, idempotency claims, the file catalog and the usage ledger in their DynamoDB tables
 * (`STORE=aws`, or `embedded`: the same adapters against a local stand-in). Every function that
 * serves a user has it.
 */
export const dynamoDbStores: AdapterFamily = {
  name: 'DynamoDB stores',
  serves: ['stores'],
  moduleFor: ({ store }) => (store.kind === 'memory' ? undefined : dynamoDbStoresModule(store)),
};

function dynamoDbStoresModule(store: AwsStoreConfig): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<DynamoDBDocumentClient>(DYNAMODB).toResolvedValue(() => createDynamoDbClient(awsClientOptions(store)));
    bind<ConversationStore>(TOKENS.ConversationStore).toResolvedValue(
      (db: DynamoDBDocumentClient) => new DynamoDbConversationStore(db, store.chatHistoryTable),
      [DYNAMODB],
    );
    // Claims live in the chat-history table, beside the conversations they lead to.
    bind<RequestClaims>(TOKENS.RequestClaims).toResolvedValue(
      (db: DynamoDBDocumentClient) => new DynamoDbRequestClaims(db, store.chatHistoryTable),
      [DYNAMODB],
    );
    // Answer streams too, in the user's partition: the chat function's role reaches that table already.
    bind<AnswerStreams>(TOKENS.AnswerStreams).toResolvedValue(
      (db: DynamoDBDocumentClient, clock: Clock) => new DynamoDbAnswerStreams(db, store.chatHistoryTable, clock),
      [DYNAMODB, TOKENS.Clock],
    );
    bind<FileCatalog>(TOKENS.FileCatalog).toResolvedValue(
      (db: DynamoDBDocumentClient) => new DynamoDbFileCatalog(db, store.fileMetadataTable),
      [DYNAMODB],
    );
    bind<UsageLedger>(TOKENS.UsageLedger).toResolvedValue(
      (db: DynamoDBDocumentClient) => new DynamoDbUsageLedger(db, store.usageTable),
      [DYNAMODB],
    );
    // Message counts live beside the spending, in the usage table: the ledger serves both ports.
    bind<RateCounter>(TOKENS.RateCounter).toService(TOKENS.UsageLedger);
    // A cold function opens its connection to DynamoDB (TLS and all) at init, with the one call
    // that names no table: each function's role reaches different tables.
    bind<WarmUp>(TOKENS.WarmUp).toResolvedValue(
      (db: DynamoDBDocumentClient) => ({ name: 'DynamoDB connection', run: async () => void (await db.send(new DescribeEndpointsCommand({}))) }),
      [DYNAMODB],
    );
  });
}
