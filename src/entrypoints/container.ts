import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Container } from 'inversify';
import { JwtTokenVerifier } from '../adapters/token-verifier/jwt-token-verifier.js';
import { VerifiedTokenCache } from '../adapters/token-verifier/verified-token-cache.js';
import { LocalTokenIssuer } from '../adapters/token-verifier/local-token-issuer.js';
import { persistentSigningKey } from '../adapters/token-verifier/local-signing-key.js';
import { createDynamoDbClient, type AwsClientOptions } from '../adapters/aws/clients.js';
import { MemoryBlobStore } from '../adapters/blob-store/memory-blob-store.js';
import { DynamoDbFileCatalog } from '../adapters/file-catalog/dynamodb-file-catalog.js';
import { DynamoDbConversationStore } from '../adapters/conversation-store/dynamodb-conversation-store.js';
import { MemoryFileCatalog } from '../adapters/file-catalog/memory-file-catalog.js';
import { MemoryConversationStore } from '../adapters/conversation-store/memory-conversation-store.js';
import { OfflineChatModel } from '../adapters/chat-model/offline-chat-model.js';
import { LazyBlobStore } from '../adapters/lazy/lazy-blob-store.js';
import { LazyChatModel } from '../adapters/lazy/lazy-chat-model.js';
import { LazyTextExtractor } from '../adapters/lazy/lazy-text-extractor.js';
import { RandomIdGenerator } from '../adapters/system/random-id-generator.js';
import { SystemClock } from '../adapters/system/system-clock.js';
import { DynamoDbUsageLedger } from '../adapters/usage-ledger/dynamodb-usage-ledger.js';
import { MemoryUsageLedger } from '../adapters/usage-ledger/memory-usage-ledger.js';
import { ChatService } from '../domain/chat-service.js';
import { ConversationService } from '../domain/conversation-service.js';
import { TitleWriter } from '../domain/title-writer.js';
import { FileService, type FileLimits } from '../domain/file-service.js';
import type { BlobStore } from '../domain/ports/blob-store.js';
import type { ChatModel } from '../domain/ports/chat-model.js';
import type { Clock } from '../domain/ports/clock.js';
import type { ConversationStore } from '../domain/ports/conversation-store.js';
import type { FileCatalog } from '../domain/ports/file-catalog.js';
import type { IdGenerator } from '../domain/ports/id-generator.js';
import type { TextExtractor } from '../domain/ports/text-extractor.js';
import type { TokenVerifier } from '../domain/ports/token-verifier.js';
import type { RateCounter, UsageLedger } from '../domain/ports/usage-ledger.js';
import { UsageService, type UsageOptions } from '../domain/usage-service.js';
import { missingLoader, type AdapterLoaders } from './loaders/adapter-loaders.js';
import type { AppConfig, ModelConfig } from './config.js';
import { EMBEDDED_CREDENTIALS } from './embedded-credentials.js';
import { METRICS_NAMESPACE, SERVICE_NAME, chatMetrics, type ChatMetrics } from './http/chat-metrics.js';
import { TOKENS } from './tokens.js';

/** What the entrypoints use. Everything else stays inside the container. */
export interface AppServices {
  config: AppConfig;
  logger: Logger;
  metrics: ChatMetrics;
  chat: ChatService;
  conversations: ConversationService;
  files: FileService;
  usage: UsageService;
  verifier: TokenVerifier;
  /** Local mode only: signs tokens for `POST /local-auth/token`. */
  localIssuer?: LocalTokenIssuer;
  /** `STORE=memory` only: takes the PUTs of imitated presigned uploads. */
  localUploads?: MemoryBlobStore;
}

/** Replacements for tests and benchmarks (a scripted model, a fixed clock...). */
export interface Overrides {
  model?: ChatModel;
  /** Names new conversations; only with `model` (else the configured one, if any). */
  titleModel?: ChatModel;
  clock?: Clock;
  ids?: IdGenerator;
}

/**
 * The composition root: the only place that knows which adapter serves which port. A Lambda calls
 * it once at module scope (once per cold start) with the loaders of the heavy adapters it uses;
 * the local server once at start, with all of them.
 */
export function buildServices(config: AppConfig, overrides: Overrides = {}, loaders: AdapterLoaders = {}): AppServices {
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind<AppConfig>(TOKENS.Config).toConstantValue(config);
  container
    .bind<Logger>(TOKENS.Logger)
    .toResolvedValue(() => new Logger({ serviceName: SERVICE_NAME, logLevel: config.logLevel }));
  container
    .bind<ChatMetrics>(TOKENS.Metrics)
    .toResolvedValue(() => chatMetrics(process.env, () => new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME })));
  container.bind<Clock>(TOKENS.Clock).toConstantValue(overrides.clock ?? new SystemClock());
  container.bind<IdGenerator>(TOKENS.Ids).toConstantValue(overrides.ids ?? new RandomIdGenerator());

  bindStores(container, config, loaders);
  bindModel(container, config, overrides, loaders);
  bindAuth(container, config);
  // Loaded on first use (see adapters/lazy): functions that never extract never load the readers.
  container.bind<TextExtractor>(TOKENS.TextExtractor).toConstantValue(
    new LazyTextExtractor(async () => {
      const { DocumentTextExtractor } = await (loaders.documents ?? missingLoader('documents'))();
      return new DocumentTextExtractor(config.extraction);
    }),
  );

  container
    .bind<FileService>(TOKENS.FileService)
    .toResolvedValue(
      (catalog: FileCatalog, blobs: BlobStore, extractor: TextExtractor, clock: Clock, ids: IdGenerator) =>
        new FileService({ catalog, blobs, extractor, clock, ids }, fileLimits(config)),
      [TOKENS.FileCatalog, TOKENS.BlobStore, TOKENS.TextExtractor, TOKENS.Clock, TOKENS.Ids],
    );
  container
    .bind<ConversationService>(TOKENS.ConversationService)
    .toResolvedValue(
      (store: ConversationStore, clock: Clock) => new ConversationService(store, clock),
      [TOKENS.ConversationStore, TOKENS.Clock],
    );
  container
    .bind<UsageService>(TOKENS.UsageService)
    .toResolvedValue(
      (ledger: UsageLedger, rates: RateCounter, clock: Clock) => new UsageService({ ledger, rates, clock }, usageOptions(config)),
      [TOKENS.UsageLedger, TOKENS.RateCounter, TOKENS.Clock],
    );
  if (container.isBound(TOKENS.TitleModel)) {
    container
      .bind<TitleWriter>(TOKENS.TitleWriter)
      .toResolvedValue(
        (model: ChatModel, conversations: ConversationStore, usage: UsageService, logger: Logger) =>
          new TitleWriter({
            model,
            conversations,
            usage,
            // A warning: the conversation keeps its first-line title, and nothing else is lost.
            onFailure: (error, userId) => logger.warn('no title written', { userId, error: error as Error }),
          }),
        [TOKENS.TitleModel, TOKENS.ConversationStore, TOKENS.UsageService, TOKENS.Logger],
      );
  }
  const titles = container.isBound(TOKENS.TitleWriter) ? container.get<TitleWriter>(TOKENS.TitleWriter) : undefined;
  container
    .bind<ChatService>(TOKENS.ChatService)
    .toResolvedValue(
      (conversations: ConversationStore, files: FileService, model: ChatModel, clock: Clock, ids: IdGenerator, usage: UsageService, logger: Logger) =>
        new ChatService(
          {
            conversations,
            files,
            model,
            clock,
            ids,
            usage,
            ...(titles && { titles }),
            // An error, not a warning: budgets are not being kept while this happens.
            onUsageNotRecorded: (error, userId) => logger.error('usage not recorded', { userId, error: error as Error }),
          },
          config.chat,
        ),
      [TOKENS.ConversationStore, TOKENS.FileService, TOKENS.ChatModel, TOKENS.Clock, TOKENS.Ids, TOKENS.UsageService, TOKENS.Logger],
    );

  const services: AppServices = {
    config,
    logger: container.get<Logger>(TOKENS.Logger),
    metrics: container.get<ChatMetrics>(TOKENS.Metrics),
    chat: container.get<ChatService>(TOKENS.ChatService),
    conversations: container.get<ConversationService>(TOKENS.ConversationService),
    files: container.get<FileService>(TOKENS.FileService),
    usage: container.get<UsageService>(TOKENS.UsageService),
    verifier: new VerifiedTokenCache(container.get<TokenVerifier>(TOKENS.TokenVerifier)),
  };
  if (container.isBound(TOKENS.LocalTokenIssuer)) services.localIssuer = container.get<LocalTokenIssuer>(TOKENS.LocalTokenIssuer);
  if (container.isBound(TOKENS.LocalUploads)) services.localUploads = container.get<MemoryBlobStore>(TOKENS.LocalUploads);
  return services;
}

function bindStores(container: Container, config: AppConfig, loaders: AdapterLoaders): void {
  const store = config.store;
  if (store.kind === 'memory') {
    const blobs = new MemoryBlobStore(() => `${config.publicUrl ?? 'http://127.0.0.1'}/local-uploads`);
    container.bind<ConversationStore>(TOKENS.ConversationStore).toConstantValue(new MemoryConversationStore());
    container.bind<FileCatalog>(TOKENS.FileCatalog).toConstantValue(new MemoryFileCatalog());
    container.bind<BlobStore>(TOKENS.BlobStore).toConstantValue(blobs);
    container.bind<MemoryBlobStore>(TOKENS.LocalUploads).toConstantValue(blobs);
    // The domain's clock, so that counts expire on the same time as the service measures windows.
    container.bind<UsageLedger>(TOKENS.UsageLedger).toConstantValue(new MemoryUsageLedger(container.get<Clock>(TOKENS.Clock)));
    bindRateCounterToLedger(container);
    return;
  }
  const clientOptions: AwsClientOptions = { region: store.region };
  if (store.dynamoDbEndpoint) clientOptions.dynamoDbEndpoint = store.dynamoDbEndpoint;
  if (store.s3Endpoint) clientOptions.s3Endpoint = store.s3Endpoint;
  // The embedded servers accept any credentials; there may be none in the environment.
  if (store.kind === 'embedded') clientOptions.credentials = EMBEDDED_CREDENTIALS;
  container.bind<DynamoDBDocumentClient>(TOKENS.DynamoDb).toResolvedValue(() => createDynamoDbClient(clientOptions));
  container
    .bind<ConversationStore>(TOKENS.ConversationStore)
    .toResolvedValue((db: DynamoDBDocumentClient) => new DynamoDbConversationStore(db, store.chatHistoryTable), [TOKENS.DynamoDb]);
  container
    .bind<FileCatalog>(TOKENS.FileCatalog)
    .toResolvedValue((db: DynamoDBDocumentClient) => new DynamoDbFileCatalog(db, store.fileMetadataTable), [TOKENS.DynamoDb]);
  container
    .bind<UsageLedger>(TOKENS.UsageLedger)
    .toResolvedValue((db: DynamoDBDocumentClient) => new DynamoDbUsageLedger(db, store.usageTable), [TOKENS.DynamoDb]);
  bindRateCounterToLedger(container);
  container.bind<BlobStore>(TOKENS.BlobStore).toConstantValue(
    new LazyBlobStore(async () => {
      const [{ createS3Client }, { S3BlobStore }] = await (loaders.s3 ?? missingLoader('s3'))();
      return new S3BlobStore(createS3Client(clientOptions), store.uploadBucket);
    }),
  );
}

/** Both usage adapters serve both ports: message counts live beside the ledger, in its table. */
function bindRateCounterToLedger(container: Container): void {
  container.bind<RateCounter>(TOKENS.RateCounter).toService(TOKENS.UsageLedger);
}

function fileLimits(config: AppConfig): FileLimits {
  const { storageBytesPerUser } = config.limits;
  return { ...config.files, ...(storageBytesPerUser !== undefined && { storageBytesPerUser }) };
}

function usageOptions(config: AppConfig): UsageOptions {
  const { usageUsdPerMonth, messagesPerMinute } = config.limits;
  return {
    prices: config.pricing,
    ...(usageUsdPerMonth !== undefined && { defaultLimitUsd: usageUsdPerMonth }),
    ...(messagesPerMinute !== undefined && { messagesPerMinute }),
  };
}

function bindModel(container: Container, config: AppConfig, overrides: Overrides, loaders: AdapterLoaders): void {
  if (overrides.model) {
    container.bind<ChatModel>(TOKENS.ChatModel).toConstantValue(overrides.model);
    if (overrides.titleModel) container.bind<ChatModel>(TOKENS.TitleModel).toConstantValue(overrides.titleModel);
    return;
  }
  const model = config.model;
  if (model.provider === 'offline') {
    // Offline, a title is the question's first words: no second model to run.
    container.bind<ChatModel>(TOKENS.ChatModel).toConstantValue(new OfflineChatModel({ wordDelayMs: model.wordDelayMs }));
    return;
  }
  container.bind<ChatModel>(TOKENS.ChatModel).toConstantValue(remoteModel(model, model.modelId, loaders));
  if (model.titleModelId) container.bind<ChatModel>(TOKENS.TitleModel).toConstantValue(remoteModel(model, model.titleModelId, loaders));
}

/** A Bedrock or OpenAI-compatible model under `modelId`, its SDK loaded on the first answer. */
function remoteModel(model: Exclude<ModelConfig, { provider: 'offline' }>, modelId: string, loaders: AdapterLoaders): ChatModel {
  switch (model.provider) {
    case 'bedrock':
      return new LazyChatModel(modelId, model.limits, async () => {
        const { BedrockChatModel, createBedrockRuntimeClient } = await (loaders.bedrock ?? missingLoader('bedrock'))();
        const client = createBedrockRuntimeClient({
          region: model.region,
          ...(model.endpoint && { endpoint: model.endpoint }),
          ...(model.credentials && { credentials: model.credentials }),
        });
        return new BedrockChatModel(client, {
          modelId,
          region: model.region,
          limits: model.limits,
          retry: model.retry,
          ...(model.temperature !== undefined && { temperature: model.temperature }),
          ...(model.promptCaching !== undefined && { promptCaching: model.promptCaching }),
        });
      });
    case 'openai':
      return new LazyChatModel(modelId, model.limits, async () => {
        const { OpenAiChatModel } = await (loaders.openai ?? missingLoader('openai'))();
        return new OpenAiChatModel({
          baseUrl: model.baseUrl,
          modelId,
          limits: model.limits,
          retry: model.retry,
          ...(model.apiKey && { apiKey: model.apiKey }),
          ...(model.temperature !== undefined && { temperature: model.temperature }),
        });
      });
  }
}

function bindAuth(container: Container, config: AppConfig): void {
  const auth = config.auth;
  if (auth.mode === 'cognito') {
    container
      .bind<TokenVerifier>(TOKENS.TokenVerifier)
      .toResolvedValue(() =>
        JwtTokenVerifier.forCognito({
          userPoolId: auth.userPoolId,
          clientId: auth.clientId,
          ...(auth.endpoint && { jwksUri: `${auth.endpoint}/${auth.userPoolId}/.well-known/jwks.json` }),
        }),
      );
    return;
  }
  container
    .bind<LocalTokenIssuer>(TOKENS.LocalTokenIssuer)
    .toResolvedValue(
      () =>
        new LocalTokenIssuer({
          issuer: auth.issuer,
          clientId: auth.clientId,
          lifetimeSeconds: auth.tokenLifetimeSeconds,
          admins: auth.admins,
          // Kept with the data: a restart of `npm start` signs nobody out. STORE=memory keeps nothing.
          ...(config.store.kind !== 'memory' && { privateKey: persistentSigningKey(config.store.dataDir) }),
        }),
    );
  container
    .bind<TokenVerifier>(TOKENS.TokenVerifier)
    .toResolvedValue(
      (issuer: LocalTokenIssuer) => JwtTokenVerifier.forLocal({ issuer: issuer.issuer, clientId: issuer.clientId, jwks: issuer.jwks }),
      [TOKENS.LocalTokenIssuer],
    );
}
