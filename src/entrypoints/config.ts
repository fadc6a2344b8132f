import * as z from 'zod';
import { DEFAULT_MAX_INLINE_FILE_BYTES } from '../contract/file-types.js';
import type { ChatModel } from '../domain/ports/chat-model.js';

const MiB = 1024 * 1024;

const count = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const list = z
  .string()
  .default('')
  .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean));

const DEFAULT_SYSTEM_PROMPT =
  'You are a helpful assistant in a chat application. Answer clearly and concisely, in the language the user writes in. ' +
  'Use Markdown for structure and code. When files are provided, ground your answers in them and say which file you used.';

/**
 * Every setting the server and the Lambdas read, parsed once at start-up. Names are environment
 * variables; defaults run the app offline on one machine.
 */
const EnvSchema = z
  .object({
    AUTH_MODE: z.enum(['local', 'cognito']).default('local'),
    COGNITO_USER_POOL_ID: z.string().optional(),
    COGNITO_CLIENT_ID: z.string().optional(),
    /**
     * A Cognito stand-in (moto_server in the tests): the browser signs in there, and the API reads
     * the pool's keys from there. Unset on AWS, where both go to Cognito itself.
     */
    COGNITO_ENDPOINT: z.url().optional(),
    AWS_REGION: z.string().default('eu-west-1'),
    LOCAL_AUTH_ISSUER: z.url().default('https://local-auth.localhost/claude-serverless-chat'),
    LOCAL_AUTH_CLIENT_ID: z.string().min(1).default('local-web'),
    /** Local sign-in has no refresh token: a working day, so `npm start` does not ask again every hour. */
    LOCAL_TOKEN_LIFETIME_SECONDS: count(12 * 3600),
    /** Local sign-in: these usernames (comma-separated) are admins, as the Cognito group `admins` is on AWS. */
    LOCAL_ADMINS: list,

    /**
     * `embedded`: the local server starts dynalite and s3rver, persisting under DATA_DIR.
     * `aws`: DynamoDB and S3 (or whatever AWS_ENDPOINT_URL_DYNAMODB / _S3 point at).
     * `memory`: in-process maps, nothing persists.
     */
    STORE: z.enum(['embedded', 'aws', 'memory']).default('aws'),
    CHAT_HISTORY_TABLE: z.string().min(3).default('chat-history'),
    FILE_METADATA_TABLE: z.string().min(3).default('file-metadata'),
    /** What each user spent, month by month, their own limits and message counts. */
    USAGE_TABLE: z.string().min(3).default('usage'),
    UPLOAD_BUCKET: z.string().min(3).default('chat-uploads'),
    AWS_ENDPOINT_URL_DYNAMODB: z.url().optional(),
    AWS_ENDPOINT_URL_S3: z.url().optional(),
    DATA_DIR: z.string().min(1).default('.data'),
    /**
     * A built-in model (`offline`, `bedrock`, `openai`), or `module:<path>`: a team's own adapter, a
     * module whose default export makes a ChatModel (path relative to the working directory, or absolute).
     */
    MODEL_PROVIDER: z.string().trim().default('offline').transform(parseProvider),
    OFFLINE_MODEL_WORD_DELAY_MS: z.coerce.number().int().min(0).default(15),
    /** Bedrock: a model or inference profile id (default DEFAULT_BEDROCK_MODEL_ID); openai: the served model's name. */
    MODEL_ID: z.string().trim().min(1).optional(),
    /**
     * The model that names a new conversation after its first answer: a small one. Unset: Claude
     * Haiku 4.5 in MODEL_ID's inference profile geography on Bedrock, else MODEL_ID itself.
     * `none`: titles are the question's first words, with no model call.
     */
    TITLE_MODEL_ID: z.string().trim().min(1).optional(),
    /** Where Bedrock is called (model access is enabled per region); default AWS_REGION. */
    BEDROCK_REGION: z.string().min(1).optional(),
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME: z.url().optional(),
    /** Read only with an endpoint override (a local stand-in), where the SDK's chain must not go looking. */
    AWS_ACCESS_KEY_ID: z.string().optional(),
    AWS_SECRET_ACCESS_KEY: z.string().optional(),
    AWS_SESSION_TOKEN: z.string().optional(),
    /** Default 200000 for bedrock, 32768 for openai (local servers often serve less: set it to theirs). */
    MODEL_CONTEXT_WINDOW_TOKENS: optionalNumber(z.coerce.number().int().positive()),
    MODEL_MAX_OUTPUT_TOKENS: count(4000),
    /** Unset: the model's own default. */
    MODEL_TEMPERATURE: optionalNumber(z.coerce.number().min(0).max(2)),
    /** `auto`: on for Claude model ids (Bedrock cache points after the documents). */
    MODEL_PROMPT_CACHING: z.enum(['auto', 'on', 'off']).default('auto'),
    /** Calls to a busy model before giving up, the first included; retries happen before the first token only. */
    MODEL_MAX_ATTEMPTS: count(4),
    /** No retry pause ends later than this after the first call. */
    MODEL_RETRY_BUDGET_MS: z.coerce.number().int().min(0).default(15_000),
    MODEL_RETRY_BASE_DELAY_MS: z.coerce.number().int().min(0).default(500),
    /** The API root with `/v1`, e.g. http://127.0.0.1:11434/v1 (Ollama). */
    OPENAI_BASE_URL: z.url().optional(),
    OPENAI_API_KEY: z.string().optional(),
    SYSTEM_PROMPT: z.string().min(1).default(DEFAULT_SYSTEM_PROMPT),

    MAX_MESSAGE_CHARS: count(100_000),
    MAX_FILES_PER_MESSAGE: count(10),
    /** A model silent for this long (no token, no end) is stopped; what it wrote is kept. */
    MODEL_IDLE_TIMEOUT_MS: count(90_000),
    MAX_INLINE_FILE_BYTES: count(DEFAULT_MAX_INLINE_FILE_BYTES),
    MAX_UPLOAD_FILE_BYTES: count(50 * MiB),
    MAX_EXTRACTED_CHARS: count(1_000_000),
    /** Memory for files' texts kept between messages (0: read them every time). */
    FILE_TEXT_CACHE_MB: z.coerce.number().min(0).default(64),
    /**
     * How long a presigned upload URL may start its PUT (S3 checks when the request begins, so a
     * slow upload that started in time completes). The SPA PUTs as soon as it has the URL.
     */
    UPLOAD_URL_TTL_SECONDS: count(300).pipe(z.number().max(3600, 'must be at most 3600: upload URLs are short-lived')),
    /** Longer PDFs are refused once their pages are counted, before any is read. */
    MAX_PDF_PAGES: count(500),
    /** Data rows of a CSV, the header not counted. */
    MAX_CSV_ROWS: count(100_000),
    /** What a DOCX (a zip) may expand to, judged from its directory before anything is inflated. */
    MAX_ARCHIVE_EXPANDED_BYTES: count(100 * MiB),
    /** How long reading one PDF or DOCX may take before its worker thread is terminated. */
    EXTRACTION_TIMEOUT_MS: count(20_000),

    ALLOWED_ORIGINS: list,
    /**
     * Set by the stack: CloudFront sends it in the `X-Origin-Verify` header, and a request without
     * it (one sent to execute-api directly, past CloudFront's headers and WAF) is refused.
     */
    ORIGIN_VERIFY_SECRET: z.string().min(16).optional(),
    /** USD per million tokens, shown to users as each answer's estimated cost (Claude Sonnet 4.5 list prices). */
    MODEL_PRICE_INPUT_PER_MTOK: z.coerce.number().min(0).default(3),
    MODEL_PRICE_OUTPUT_PER_MTOK: z.coerce.number().min(0).default(15),
    /** Unset: a tenth of the input price, as Claude's cache reads cost on Bedrock. */
    MODEL_PRICE_CACHE_READ_PER_MTOK: optionalNumber(z.coerce.number().min(0)),
    /** Unset: 1.25 times the input price, as Claude's cache writes cost on Bedrock. */
    MODEL_PRICE_CACHE_WRITE_PER_MTOK: optionalNumber(z.coerce.number().min(0)),
    /** Each user's budget, USD a calendar month (UTC), unless an admin set one of their own. Unset: unlimited. */
    USAGE_LIMIT_USD_PER_MONTH: optionalNumber(z.coerce.number().min(0)),
    /** Messages each user may send a minute, counted across every instance. Unset: no limit. */
    RATE_LIMIT_MESSAGES_PER_MINUTE: optionalNumber(z.coerce.number().int().positive()),
    /** What each user's files may take up, in MB. Unset: no limit. */
    STORAGE_LIMIT_MB_PER_USER: optionalNumber(z.coerce.number().positive()),
    LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']).default('INFO'),
    /** The server's own URL, for links it hands out (set by the local server once it listens). */
    PUBLIC_URL: z.url().optional(),
  })
  .superRefine((env, ctx) => {
    if (env.AUTH_MODE === 'cognito') {
      for (const key of ['COGNITO_USER_POOL_ID', 'COGNITO_CLIENT_ID'] as const) {
        if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'required when AUTH_MODE=cognito' });
      }
    }
    if (env.MODEL_PROVIDER.provider === 'module' && env.TITLE_MODEL_ID !== undefined && env.TITLE_MODEL_ID !== 'none') {
      // A module makes one model: naming conversations with another would need a second one it does not make.
      ctx.addIssue({ code: 'custom', path: ['TITLE_MODEL_ID'], message: 'is not used with MODEL_PROVIDER=module:<path> (titles are the question\'s first words): unset it' });
    }
    if (env.MODEL_PROVIDER.provider === 'openai') {
      for (const key of ['OPENAI_BASE_URL', 'MODEL_ID'] as const) {
        if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'required when MODEL_PROVIDER=openai' });
      }
      if (env.OPENAI_API_KEY === undefined && env.OPENAI_BASE_URL && !isLoopback(env.OPENAI_BASE_URL)) {
        ctx.addIssue({
          code: 'custom',
          path: ['OPENAI_API_KEY'],
          message: 'required when MODEL_PROVIDER=openai and the server is not on this machine (set it empty for a server that needs no key)',
        });
      }
    }
    const contextWindow = env.MODEL_CONTEXT_WINDOW_TOKENS ?? defaultContextWindow(env.MODEL_PROVIDER.provider);
    if (contextWindow !== undefined && env.MODEL_MAX_OUTPUT_TOKENS >= contextWindow) {
      ctx.addIssue({
        code: 'custom',
        path: ['MODEL_MAX_OUTPUT_TOKENS'],
        message: `must be smaller than the context window (${contextWindow} tokens)`,
      });
    }
  });

/** An empty variable counts as unset (zod would coerce '' to 0). */
function optionalNumber<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === '' ? undefined : value), schema.optional());
}

const isLoopback = (url: string): boolean => /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(new URL(url).hostname);

const BUILT_IN_PROVIDERS = ['offline', 'bedrock', 'openai'] as const;
type BuiltInProvider = (typeof BUILT_IN_PROVIDERS)[number];
const MODULE_PREFIX = 'module:';

/** What MODEL_PROVIDER chooses: a built-in adapter, or the path of a team's module. */
type ProviderChoice = { provider: BuiltInProvider } | { provider: 'module'; path: string };

function parseProvider(value: string, ctx: z.RefinementCtx): ProviderChoice {
  if ((BUILT_IN_PROVIDERS as readonly string[]).includes(value)) return { provider: value as BuiltInProvider };
  if (value.startsWith(MODULE_PREFIX) && value.length > MODULE_PREFIX.length) return { provider: 'module', path: value.slice(MODULE_PREFIX.length).trim() };
  ctx.addIssue({ code: 'custom', message: `must be ${BUILT_IN_PROVIDERS.join(', ')} or module:<path to a module>, not "${value}"` });
  return z.NEVER;
}

/** A provider added without a case here fails to compile instead of being taken for another. */
function unhandledProvider(provider: never): never {
  throw new Error(`Unhandled MODEL_PROVIDER: ${JSON.stringify(provider)}`);
}

/** Undefined for a module: its window is its own, known once it is loaded. */
function defaultContextWindow(provider: ProviderChoice['provider']): number | undefined {
  switch (provider) {
    case 'offline':
    case 'bedrock':
      return 200_000;
    case 'openai':
      return 32_768;
    case 'module':
      return undefined;
    default:
      return unhandledProvider(provider);
  }
}

/**
 * Claude Haiku 4.5 in the same cross-region inference profile geography as the chat model (a
 * profile reaches only the regions of its geography, and Haiku 4.5 has no in-region on-demand
 * use); the chat model itself for anything else.
 */
export function smallBedrockModel(modelId: string): string {
  const geography = /^(eu|us|global)\.anthropic\.claude-/.exec(modelId)?.[1];
  return geography ? `${geography}.${HAIKU_4_5}` : modelId;
}
const HAIKU_4_5 = 'anthropic.claude-haiku-4-5-20251001-v1:0';

/** A current Claude inference profile in eu-west-1, the region the stack deploys to by default. */
export const DEFAULT_BEDROCK_MODEL_ID = 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0';

export type Env = z.input<typeof EnvSchema>;

export interface AppConfig {
  auth:
    | { mode: 'local'; issuer: string; clientId: string; tokenLifetimeSeconds: number; admins: string[] }
    | { mode: 'cognito'; region: string; userPoolId: string; clientId: string; endpoint?: string };
  store:
    | { kind: 'memory' }
    | {
        kind: 'aws' | 'embedded';
        region: string;
        chatHistoryTable: string;
        fileMetadataTable: string;
        usageTable: string;
        uploadBucket: string;
        dynamoDbEndpoint?: string;
        s3Endpoint?: string;
        dataDir: string;
      };
  model: ModelConfig;
  chat: { systemPrompt: string; maxMessageChars: number; maxFilesPerMessage: number; modelIdleTimeoutMs: number };
  files: { maxInlineBytes: number; maxUploadBytes: number; maxExtractedChars: number; uploadUrlTtlSeconds: number; textCacheBytes: number };
  extraction: { maxPdfPages: number; maxCsvRows: number; maxArchiveExpandedBytes: number; timeoutMs: number };
  allowedOrigins: string[];
  /** Unset (the local server): every request is served as it comes. */
  originVerifySecret?: string;
  pricing: { inputPerMTok: number; outputPerMTok: number; cacheReadPerMTok: number; cacheWritePerMTok: number; currency: 'USD' };
  /** Spending control (USD a month, messages a minute, MB of files per user); absent: unlimited. */
  limits: { usageUsdPerMonth?: number; messagesPerMinute?: number; storageBytesPerUser?: number };
  logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  publicUrl?: string;
}

/** What every real model adapter is told: its id, its limits, how hard to retry. */
interface ModelSettings {
  modelId: string;
  /** Names new conversations (see TITLE_MODEL_ID); absent: titles are the first words of the question. */
  titleModelId?: string;
  limits: { contextWindowTokens: number; maxOutputTokens: number };
  temperature?: number;
  retry: { maxAttempts: number; budgetMs: number; baseDelayMs: number };
}

export type ModelConfig =
  | { provider: 'offline'; wordDelayMs: number }
  | (ModelSettings & {
      provider: 'bedrock';
      region: string;
      endpoint?: string;
      /** Only with an endpoint override, from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. */
      credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
      /** Undefined: decided by the model id (on for Claude). */
      promptCaching?: boolean;
    })
  | (ModelSettings & { provider: 'openai'; baseUrl: string; apiKey?: string })
  | ModuleModelConfig;

/**
 * A team's adapter module (`MODEL_PROVIDER=module:<path>`): its id, limits, retries and settings are
 * its own, read by the module from the environment. It names no conversation (no title model).
 */
export interface ModuleModelConfig {
  provider: 'module';
  /** As given: relative to the working directory, or absolute. */
  path: string;
  /**
   * The model the module made, set by the loader (modules/load-model-module.ts) before the container is
   * composed: importing is asynchronous, composing is not.
   */
  loaded?: ChatModel;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
    throw new ConfigError(`Invalid configuration:\n${problems}`);
  }
  const e = parsed.data;
  const config: AppConfig = {
    auth:
      e.AUTH_MODE === 'cognito'
        ? {
            mode: 'cognito',
            region: e.AWS_REGION,
            userPoolId: e.COGNITO_USER_POOL_ID!,
            clientId: e.COGNITO_CLIENT_ID!,
            ...(e.COGNITO_ENDPOINT && { endpoint: e.COGNITO_ENDPOINT.replace(/\/$/, '') }),
          }
        : {
            mode: 'local',
            issuer: e.LOCAL_AUTH_ISSUER,
            clientId: e.LOCAL_AUTH_CLIENT_ID,
            tokenLifetimeSeconds: e.LOCAL_TOKEN_LIFETIME_SECONDS,
            admins: e.LOCAL_ADMINS,
          },
    store:
      e.STORE === 'memory'
        ? { kind: 'memory' }
        : {
            kind: e.STORE,
            region: e.AWS_REGION,
            chatHistoryTable: e.CHAT_HISTORY_TABLE,
            fileMetadataTable: e.FILE_METADATA_TABLE,
            usageTable: e.USAGE_TABLE,
            uploadBucket: e.UPLOAD_BUCKET,
            ...(e.AWS_ENDPOINT_URL_DYNAMODB && { dynamoDbEndpoint: e.AWS_ENDPOINT_URL_DYNAMODB }),
            ...(e.AWS_ENDPOINT_URL_S3 && { s3Endpoint: e.AWS_ENDPOINT_URL_S3 }),
            dataDir: e.DATA_DIR,
          },
    model: modelConfig(e),
    chat: {
      systemPrompt: e.SYSTEM_PROMPT,
      maxMessageChars: e.MAX_MESSAGE_CHARS,
      maxFilesPerMessage: e.MAX_FILES_PER_MESSAGE,
      modelIdleTimeoutMs: e.MODEL_IDLE_TIMEOUT_MS,
    },
    files: {
      maxInlineBytes: e.MAX_INLINE_FILE_BYTES,
      maxUploadBytes: e.MAX_UPLOAD_FILE_BYTES,
      maxExtractedChars: e.MAX_EXTRACTED_CHARS,
      uploadUrlTtlSeconds: e.UPLOAD_URL_TTL_SECONDS,
      textCacheBytes: Math.round(e.FILE_TEXT_CACHE_MB * MiB),
    },
    extraction: {
      maxPdfPages: e.MAX_PDF_PAGES,
      maxCsvRows: e.MAX_CSV_ROWS,
      maxArchiveExpandedBytes: e.MAX_ARCHIVE_EXPANDED_BYTES,
      timeoutMs: e.EXTRACTION_TIMEOUT_MS,
    },
    allowedOrigins: e.ALLOWED_ORIGINS,
    pricing: {
      inputPerMTok: e.MODEL_PRICE_INPUT_PER_MTOK,
      outputPerMTok: e.MODEL_PRICE_OUTPUT_PER_MTOK,
      // Divided, not multiplied by 0.1: 3 * 0.1 is 0.30000000000000004.
      cacheReadPerMTok: e.MODEL_PRICE_CACHE_READ_PER_MTOK ?? e.MODEL_PRICE_INPUT_PER_MTOK / 10,
      cacheWritePerMTok: e.MODEL_PRICE_CACHE_WRITE_PER_MTOK ?? e.MODEL_PRICE_INPUT_PER_MTOK * 1.25,
      currency: 'USD',
    },
    limits: {
      ...(e.USAGE_LIMIT_USD_PER_MONTH !== undefined && { usageUsdPerMonth: e.USAGE_LIMIT_USD_PER_MONTH }),
      ...(e.RATE_LIMIT_MESSAGES_PER_MINUTE !== undefined && { messagesPerMinute: e.RATE_LIMIT_MESSAGES_PER_MINUTE }),
      ...(e.STORAGE_LIMIT_MB_PER_USER !== undefined && { storageBytesPerUser: Math.round(e.STORAGE_LIMIT_MB_PER_USER * MiB) }),
    },
    logLevel: e.LOG_LEVEL,
  };
  if (e.PUBLIC_URL) config.publicUrl = e.PUBLIC_URL.replace(/\/$/, '');
  if (e.ORIGIN_VERIFY_SECRET) config.originVerifySecret = e.ORIGIN_VERIFY_SECRET;
  return config;
}

type ParsedEnv = z.output<typeof EnvSchema>;

function modelConfig(e: ParsedEnv): ModelConfig {
  const choice = e.MODEL_PROVIDER;
  switch (choice.provider) {
    case 'offline':
      return { provider: 'offline', wordDelayMs: e.OFFLINE_MODEL_WORD_DELAY_MS };
    case 'module':
      return { provider: 'module', path: choice.path };
    case 'openai':
      return {
        ...modelSettings(e, 'openai'),
        provider: 'openai',
        baseUrl: e.OPENAI_BASE_URL!,
        ...(e.OPENAI_API_KEY && { apiKey: e.OPENAI_API_KEY }),
      };
    case 'bedrock':
      return bedrockConfig(e);
    default:
      return unhandledProvider(choice);
  }
}

/** The shared settings of the built-in adapters that call a model service. */
function modelSettings(e: ParsedEnv, provider: 'bedrock' | 'openai'): ModelSettings {
  const modelId = e.MODEL_ID ?? DEFAULT_BEDROCK_MODEL_ID;
  const settings: ModelSettings = {
    modelId,
    limits: {
      contextWindowTokens: e.MODEL_CONTEXT_WINDOW_TOKENS ?? defaultContextWindow(provider)!,
      maxOutputTokens: e.MODEL_MAX_OUTPUT_TOKENS,
    },
    retry: { maxAttempts: e.MODEL_MAX_ATTEMPTS, budgetMs: e.MODEL_RETRY_BUDGET_MS, baseDelayMs: e.MODEL_RETRY_BASE_DELAY_MS },
  };
  if (e.MODEL_TEMPERATURE !== undefined) settings.temperature = e.MODEL_TEMPERATURE;
  const titleModelId = e.TITLE_MODEL_ID ?? defaultTitleModel(provider, modelId);
  if (titleModelId !== 'none') settings.titleModelId = titleModelId;
  return settings;
}

function defaultTitleModel(provider: 'bedrock' | 'openai', modelId: string): string {
  switch (provider) {
    case 'bedrock':
      return smallBedrockModel(modelId);
    case 'openai':
      return modelId;
    default:
      return unhandledProvider(provider);
  }
}

function bedrockConfig(e: ParsedEnv): ModelConfig {
  const bedrock: ModelConfig = { ...modelSettings(e, 'bedrock'), provider: 'bedrock', region: e.BEDROCK_REGION ?? e.AWS_REGION };
  if (e.MODEL_PROMPT_CACHING !== 'auto') bedrock.promptCaching = e.MODEL_PROMPT_CACHING === 'on';
  if (e.AWS_ENDPOINT_URL_BEDROCK_RUNTIME) {
    bedrock.endpoint = e.AWS_ENDPOINT_URL_BEDROCK_RUNTIME;
    // The server may read a given environment rather than process.env (tests, scripts): the SDK's
    // own chain would not see these keys there, and would go on to the instance metadata service.
    if (e.AWS_ACCESS_KEY_ID && e.AWS_SECRET_ACCESS_KEY) {
      bedrock.credentials = {
        accessKeyId: e.AWS_ACCESS_KEY_ID,
        secretAccessKey: e.AWS_SECRET_ACCESS_KEY,
        ...(e.AWS_SESSION_TOKEN && { sessionToken: e.AWS_SESSION_TOKEN }),
      };
    }
  }
  return bedrock;
}
