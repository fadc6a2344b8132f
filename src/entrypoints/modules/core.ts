import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { ContainerModule } from 'inversify';
import { RandomIdGenerator } from '../../adapters/system/random-id-generator.js';
import { SystemClock } from '../../adapters/system/system-clock.js';
import { LruTextCache } from '../../adapters/text-cache/lru-text-cache.js';
import { ChatService } from '../../domain/chat-service.js';
import { ConversationService } from '../../domain/conversation-service.js';
import { FileService, type FileLimits } from '../../domain/file-service.js';
import type { BlobStore } from '../../domain/ports/blob-store.js';
import type { ChatModel } from '../../domain/ports/chat-model.js';
import type { Clock } from '../../domain/ports/clock.js';
import type { ConversationStore } from '../../domain/ports/conversation-store.js';
import type { FileCatalog } from '../../domain/ports/file-catalog.js';
import type { IdGenerator } from '../../domain/ports/id-generator.js';
import type { RequestClaims } from '../../domain/ports/request-claims.js';
import type { TextCache } from '../../domain/ports/text-cache.js';
import type { TextExtractor } from '../../domain/ports/text-extractor.js';
import type { RateCounter, UsageLedger } from '../../domain/ports/usage-ledger.js';
import { TitleWriter } from '../../domain/title-writer.js';
import { UsageService, type UsageOptions } from '../../domain/usage-service.js';
import type { AppConfig } from '../config.js';
import { LiveAnswers } from '../chat/live-answers.js';
import { METRICS_NAMESPACE, SERVICE_NAME, chatMetrics, type ChatMetrics } from '../http/chat-metrics.js';
import { TOKENS } from '../tokens.js';

/**
 * What every function has whatever its adapters: the configuration, logs, metrics, the clock and
 * ids, and the domain's services over the ports the adapter families bind. Nothing is built
 * before it is asked for, so a function never builds a service (nor needs the ports) it does not use.
 */
export function coreModule(config: AppConfig): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<AppConfig>(TOKENS.Config).toConstantValue(config);
    bind<Logger>(TOKENS.Logger).toResolvedValue(() => new Logger({ serviceName: SERVICE_NAME, logLevel: config.logLevel }));
    bind<ChatMetrics>(TOKENS.Metrics).toResolvedValue(() =>
      chatMetrics(process.env, () => new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME })),
    );
    bind<Clock>(TOKENS.Clock).toConstantValue(new SystemClock());
    bind<IdGenerator>(TOKENS.Ids).toConstantValue(new RandomIdGenerator());
    bind<LiveAnswers>(TOKENS.LiveAnswers).toConstantValue(new LiveAnswers());

    // One per process, so a warm function keeps the texts it read (FILE_TEXT_CACHE_MB).
    bind<TextCache>(TOKENS.TextCache).toConstantValue(new LruTextCache(config.files.textCacheBytes));
    bind<FileService>(TOKENS.FileService).toResolvedValue(
      (catalog: FileCatalog, blobs: BlobStore, extractor: TextExtractor, clock: Clock, ids: IdGenerator, texts: TextCache) =>
        new FileService({ catalog, blobs, extractor, clock, ids, texts }, fileLimits(config)),
      [TOKENS.FileCatalog, TOKENS.BlobStore, TOKENS.TextExtractor, TOKENS.Clock, TOKENS.Ids, TOKENS.TextCache],
    );
    bind<ConversationService>(TOKENS.ConversationService).toResolvedValue(
      (store: ConversationStore, clock: Clock) => new ConversationService(store, clock),
      [TOKENS.ConversationStore, TOKENS.Clock],
    );
    bind<UsageService>(TOKENS.UsageService).toResolvedValue(
      (ledger: UsageLedger, rates: RateCounter, clock: Clock) => new UsageService({ ledger, rates, clock }, usageOptions(config)),
      [TOKENS.UsageLedger, TOKENS.RateCounter, TOKENS.Clock],
    );
    bind<ChatService>(TOKENS.ChatService).toResolvedValue(
      (
        conversations: ConversationStore,
        claims: RequestClaims,
        files: FileService,
        model: ChatModel,
        clock: Clock,
        ids: IdGenerator,
        usage: UsageService,
        logger: Logger,
        titleModel: ChatModel | undefined,
      ) =>
        new ChatService(
          {
            conversations,
            claims,
            files,
            model,
            clock,
            ids,
            usage,
            ...(titleModel && { titles: titleWriter(titleModel, conversations, usage, logger) }),
            // An error, not a warning: budgets are not being kept while this happens.
            onUsageNotRecorded: (error, userId) => logger.error('usage not recorded', { userId, error: error as Error }),
          },
          config.chat,
        ),
      [
        TOKENS.ConversationStore,
        TOKENS.RequestClaims,
        TOKENS.FileService,
        TOKENS.ChatModel,
        TOKENS.Clock,
        TOKENS.Ids,
        TOKENS.UsageService,
        TOKENS.Logger,
        // Unbound (the offline model, TITLE_MODEL_ID=none): titles are the question's first words.
        { serviceIdentifier: TOKENS.TitleModel, optional: true },
      ],
    );
  });
}

function titleWriter(model: ChatModel, conversations: ConversationStore, usage: UsageService, logger: Logger): TitleWriter {
  return new TitleWriter({
    model,
    conversations,
    usage,
    // A warning: the conversation keeps its first-line title, and nothing else is lost.
    onFailure: (error, userId) => logger.warn('no title written', { userId, error: error as Error }),
  });
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
