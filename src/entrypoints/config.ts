import * as z from 'zod';

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
    AWS_REGION: z.string().default('eu-west-1'),
    LOCAL_AUTH_ISSUER: z.url().default('https://local-auth.localhost/claude-serverless-chat'),
    LOCAL_AUTH_CLIENT_ID: z.string().min(1).default('local-web'),
    LOCAL_TOKEN_LIFETIME_SECONDS: count(3600),

    /**
     * `embedded`: the local server starts dynalite and s3rver, persisting under DATA_DIR.
     * `aws`: DynamoDB and S3 (or whatever AWS_ENDPOINT_URL_DYNAMODB / _S3 point at).
     * `memory`: in-process maps, nothing persists.
     */
    STORE: z.enum(['embedded', 'aws', 'memory']).default('aws'),
    CHAT_HISTORY_TABLE: z.string().min(3).default('chat-history'),
    FILE_METADATA_TABLE: z.string().min(3).default('file-metadata'),
    UPLOAD_BUCKET: z.string().min(3).default('chat-uploads'),
    AWS_ENDPOINT_URL_DYNAMODB: z.url().optional(),
    AWS_ENDPOINT_URL_S3: z.url().optional(),
    DATA_DIR: z.string().min(1).default('.data'),
    MODEL_PROVIDER: z.enum(['offline']).default('offline'),
    OFFLINE_MODEL_WORD_DELAY_MS: z.coerce.number().int().min(0).default(15),
    SYSTEM_PROMPT: z.string().min(1).default(DEFAULT_SYSTEM_PROMPT),

    MAX_MESSAGE_CHARS: count(100_000),
    MAX_FILES_PER_MESSAGE: count(10),
    MAX_INLINE_FILE_BYTES: count(4 * MiB),
    MAX_UPLOAD_FILE_BYTES: count(50 * MiB),
    MAX_EXTRACTED_CHARS: count(1_000_000),
    UPLOAD_URL_TTL_SECONDS: count(900),

    ALLOWED_ORIGINS: list,
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
  });

export type Env = z.input<typeof EnvSchema>;

export interface AppConfig {
  auth:
    | { mode: 'local'; issuer: string; clientId: string; tokenLifetimeSeconds: number }
    | { mode: 'cognito'; region: string; userPoolId: string; clientId: string };
  store:
    | { kind: 'memory' }
    | {
        kind: 'aws' | 'embedded';
        region: string;
        chatHistoryTable: string;
        fileMetadataTable: string;
        uploadBucket: string;
        dynamoDbEndpoint?: string;
        s3Endpoint?: string;
        dataDir: string;
      };
  model: { provider: 'offline'; wordDelayMs: number };
  chat: { systemPrompt: string; maxMessageChars: number; maxFilesPerMessage: number };
  files: { maxInlineBytes: number; maxUploadBytes: number; maxExtractedChars: number; uploadUrlTtlSeconds: number };
  allowedOrigins: string[];
  logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  publicUrl?: string;
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
        ? { mode: 'cognito', region: e.AWS_REGION, userPoolId: e.COGNITO_USER_POOL_ID!, clientId: e.COGNITO_CLIENT_ID! }
        : { mode: 'local', issuer: e.LOCAL_AUTH_ISSUER, clientId: e.LOCAL_AUTH_CLIENT_ID, tokenLifetimeSeconds: e.LOCAL_TOKEN_LIFETIME_SECONDS },
    store:
      e.STORE === 'memory'
        ? { kind: 'memory' }
        : {
            kind: e.STORE,
            region: e.AWS_REGION,
            chatHistoryTable: e.CHAT_HISTORY_TABLE,
            fileMetadataTable: e.FILE_METADATA_TABLE,
            uploadBucket: e.UPLOAD_BUCKET,
            ...(e.AWS_ENDPOINT_URL_DYNAMODB && { dynamoDbEndpoint: e.AWS_ENDPOINT_URL_DYNAMODB }),
            ...(e.AWS_ENDPOINT_URL_S3 && { s3Endpoint: e.AWS_ENDPOINT_URL_S3 }),
            dataDir: e.DATA_DIR,
          },
    model: { provider: e.MODEL_PROVIDER, wordDelayMs: e.OFFLINE_MODEL_WORD_DELAY_MS },
    chat: { systemPrompt: e.SYSTEM_PROMPT, maxMessageChars: e.MAX_MESSAGE_CHARS, maxFilesPerMessage: e.MAX_FILES_PER_MESSAGE },
    files: {
      maxInlineBytes: e.MAX_INLINE_FILE_BYTES,
      maxUploadBytes: e.MAX_UPLOAD_FILE_BYTES,
      maxExtractedChars: e.MAX_EXTRACTED_CHARS,
      uploadUrlTtlSeconds: e.UPLOAD_URL_TTL_SECONDS,
    },
    allowedOrigins: e.ALLOWED_ORIGINS,
    logLevel: e.LOG_LEVEL,
  };
  if (e.PUBLIC_URL) config.publicUrl = e.PUBLIC_URL.replace(/\/$/, '');
  return config;
}
