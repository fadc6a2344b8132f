import type { Logger } from '@aws-lambda-powertools/logger';
import { Container, ContainerModule } from 'inversify';
import type { MemoryBlobStore } from '../adapters/blob-store/memory-blob-store.js';
import type { LocalTokenIssuer } from '../adapters/token-verifier/local-token-issuer.js';
import type { AnswerStreams } from '../domain/ports/answer-streams.js';
import type { ChatService } from '../domain/chat-service.js';
import type { ConversationService } from '../domain/conversation-service.js';
import type { FileService } from '../domain/file-service.js';
import type { ChatModel, ModelLimits } from '../domain/ports/chat-model.js';
import type { Clock } from '../domain/ports/clock.js';
import type { IdGenerator } from '../domain/ports/id-generator.js';
import type { TokenVerifier } from '../domain/ports/token-verifier.js';
import type { UsageService } from '../domain/usage-service.js';
import { ConfigError, type AppConfig } from './config.js';
import type { LiveAnswers } from './chat/live-answers.js';
import type { ChatMetrics } from './http/chat-metrics.js';
import type { AdapterFamily, PortGroup } from './modules/adapter-family.js';
import { coreModule } from './modules/core.js';
import type { WarmUp } from './lambda/warm-up.js';
import { TOKENS } from './tokens.js';

/**
 * What the entrypoints use. Each one is built on its first use, so a function composed without a
 * model works as long as it asks for no chat. A Lambda entry asks for what its handler uses at
 * init (lambda/services.ts); the local server and tests as they go.
 */
export interface AppServices {
  config: AppConfig;
  logger: Logger;
  metrics: ChatMetrics;
  chat: ChatService;
  conversations: ConversationService;
  files: FileService;
  usage: UsageService;
  verifier: TokenVerifier;
  /** The events of answers as they were streamed: resumes read them, a Stop is left there for the writer. */
  answerStreams: AnswerStreams;
  /** The answers this process is writing now. */
  liveAnswers: LiveAnswers;
  /**
   * The bound model's id and limits, as it states them: what `/config.json` and the start-up line
   * show, so that they name the model that answers (a module's own, the offline demo's), not the settings.
   */
  model: BoundModelInfo;
  /** What the adapter families would do before the first request of a cold function. */
  warmUps: WarmUp[];
  /** Local sign-in only: signs tokens for `POST /local-auth/token`. */
  localIssuer?: LocalTokenIssuer;
  /** `STORE=memory` only: takes the PUTs of imitated presigned uploads. */
  localUploads?: MemoryBlobStore;
}

export interface BoundModelInfo {
  modelId: string;
  limits: ModelLimits;
}

/** Replacements for tests and benchmarks (a scripted model, a fixed clock...), whatever the configuration says. */
export interface Overrides {
  /** Serves the model whatever MODEL_PROVIDER says: no model family is then needed. */
  model?: ChatModel;
  /** Names new conversations; only with `model` (without it, a replaced model names nothing). */
  titleModel?: ChatModel;
  clock?: Clock;
  ids?: IdGenerator;
}

/** The setting that chooses among the families of a port group, for the error that names it. */
const CHOSEN_BY: Record<PortGroup, string> = {
  stores: 'STORE',
  blobs: 'STORE',
  model: 'MODEL_PROVIDER',
  auth: 'AUTH_MODE',
  extractor: 'the entry',
};

/**
 * The composition root: the core (configuration, logs, the domain's services) and, for each port
 * group the given families serve, the one family the configuration chooses. A Lambda entry passes
 * the few families it imports (src/entrypoints/lambda), the local server, tests and benchmarks all
 * of them (modules/all-families.ts). A configuration the families cannot serve fails here, at start.
 */
export function composeContainer(config: AppConfig, families: readonly AdapterFamily[], overrides: Overrides = {}): Container {
  const container = new Container({ defaultScope: 'Singleton' });
  container.load(coreModule(config), ...chosenModules(config, families, overrides.model ? ['model'] : []));
  container.load(overridesModule(overrides));
  return container;
}

function chosenModules(config: AppConfig, families: readonly AdapterFamily[], overridden: PortGroup[]): ContainerModule[] {
  const needed = families.filter((family) => !family.serves.every((group) => overridden.includes(group)));
  const chosen = needed.flatMap((family) => {
    const module = family.moduleFor(config);
    return module ? [{ family, module }] : [];
  });
  for (const group of new Set(needed.flatMap((family) => family.serves))) {
    const serving = chosen.filter(({ family }) => family.serves.includes(group));
    if (serving.length === 1) continue;
    if (serving.length > 1) throw new Error(`Both ${serving.map(({ family }) => family.name).join(' and ')} serve the ${group}: compose one.`);
    const built = needed.filter((family) => family.serves.includes(group)).map((family) => family.name);
    throw new ConfigError(
      `This function was built with ${built.join(', ')} for its ${group}, and ${CHOSEN_BY[group]} chooses none of them.`,
    );
  }
  return chosen.map(({ module }) => module);
}

/** Loaded last: replaces what the core and the families bound. */
function overridesModule({ model, titleModel, clock, ids }: Overrides): ContainerModule {
  return new ContainerModule(({ bind, rebind }) => {
    if (clock) rebind<Clock>(TOKENS.Clock).toConstantValue(clock);
    if (ids) rebind<IdGenerator>(TOKENS.Ids).toConstantValue(ids);
    // No model family was loaded (see composeContainer): these are the only model bindings.
    if (model) bind<ChatModel>(TOKENS.ChatModel).toConstantValue(model);
    if (model && titleModel) bind<ChatModel>(TOKENS.TitleModel).toConstantValue(titleModel);
  });
}

/** The entrypoints' view of a container: each service resolved on its first use, then kept. */
export function servicesOf(container: Container): AppServices {
  return resolvedOnFirstUse<AppServices>({
    config: () => container.get(TOKENS.Config),
    logger: () => container.get(TOKENS.Logger),
    metrics: () => container.get(TOKENS.Metrics),
    chat: () => container.get(TOKENS.ChatService),
    conversations: () => container.get(TOKENS.ConversationService),
    files: () => container.get(TOKENS.FileService),
    usage: () => container.get(TOKENS.UsageService),
    verifier: () => container.get(TOKENS.TokenVerifier),
    answerStreams: () => container.get(TOKENS.AnswerStreams),
    liveAnswers: () => container.get(TOKENS.LiveAnswers),
    model: () => {
      const { modelId, limits } = container.get<ChatModel>(TOKENS.ChatModel);
      return { modelId, limits };
    },
    warmUps: () => container.getAll<WarmUp>(TOKENS.WarmUp, { optional: true }),
    localIssuer: () => container.get(TOKENS.LocalTokenIssuer, { optional: true }),
    localUploads: () => container.get(TOKENS.LocalUploads, { optional: true }),
  });
}

/**
 * An object whose properties are computed on first read and then plain values: handlers read
 * `services.chat` on every request, and a container lookup each time would cost more than a field.
 */
function resolvedOnFirstUse<T extends object>(resolvers: { [K in keyof T]-?: () => T[K] }): T {
  const target = {} as T;
  for (const key of Object.keys(resolvers) as Array<keyof T>) {
    Object.defineProperty(target, key, {
      enumerable: true,
      configurable: true,
      get() {
        const value = resolvers[key]();
        Object.defineProperty(target, key, { value, enumerable: true });
        return value;
      },
    });
  }
  return target;
}
