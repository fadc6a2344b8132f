import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryBlobStore } from '../../src/adapters/blob-store/memory-blob-store.js';
import { S3BlobStore } from '../../src/adapters/blob-store/s3-blob-store.js';
import { DynamoDbConversationStore } from '../../src/adapters/conversation-store/dynamodb-conversation-store.js';
import { UploadTypeCheck } from '../../src/adapters/text-extractor/upload-type-check.js';
import { ConfigError, loadConfig } from '../../src/entrypoints/config.js';
import { composeContainer, servicesOf } from '../../src/entrypoints/container.js';
import { cognitoAuth } from '../../src/entrypoints/modules/cognito-auth.js';
import { lambdaServices } from '../../src/entrypoints/lambda/services.js';
import { documentExtractors } from '../../src/entrypoints/modules/document-extractors.js';
import { dynamoDbStores } from '../../src/entrypoints/modules/dynamodb-stores.js';
import { memoryStores } from '../../src/entrypoints/modules/memory-stores.js';
import { s3Blobs } from '../../src/entrypoints/modules/s3-blobs.js';
import { uploadTypeCheck } from '../../src/entrypoints/modules/upload-type-check.js';
import { TOKENS } from '../../src/entrypoints/tokens.js';
import { FixedClock, SequentialIds } from '../support/fakes.js';

/** What the stack gives every function (infra/components/functions.ts); nothing here is called. */
const STACK_ENV = {
  STORE: 'aws',
  AUTH_MODE: 'cognito',
  COGNITO_USER_POOL_ID: 'eu-west-1_example',
  COGNITO_CLIENT_ID: 'example',
  AWS_REGION: 'eu-west-1',
  CHAT_HISTORY_TABLE: 'chat-history',
  LOG_LEVEL: 'SILENT',
};

/** Private dependencies of a service, read for these tests only. */
const depsOf = (service: unknown) => (service as { deps: Record<string, unknown> }).deps;

describe('the composition', () => {
  it('serves a function composed without a family as long as it asks for nothing that family serves', () => {
    // The conversations function: DynamoDB and Cognito only (src/entrypoints/lambda/conversations.ts).
    const container = composeContainer(loadConfig(STACK_ENV), [dynamoDbStores, cognitoAuth]);
    const services = servicesOf(container);
    expect(services.conversations).toBeDefined();
    expect(services.usage).toBeDefined();
    expect(services.verifier).toBeDefined();
    expect(container.isBound(TOKENS.ChatModel)).toBe(false);
    expect(container.isBound(TOKENS.BlobStore)).toBe(false);
    expect(container.isBound(TOKENS.TextExtractor)).toBe(false);
    // Asking for what it lacks is a wiring mistake, and says which port is missing.
    expect(() => services.files).toThrow(/TextExtractor|BlobStore/);
    expect(services.localIssuer).toBeUndefined();
  });

  it('resolves each service once, and shares the stores between the services that use them', () => {
    const container = composeContainer(loadConfig(STACK_ENV), [dynamoDbStores, s3Blobs, cognitoAuth, uploadTypeCheck]);
    const services = servicesOf(container);
    expect(services.files).toBe(services.files);
    expect(depsOf(services.files).blobs).toBeInstanceOf(S3BlobStore);
    expect(depsOf(services.files).extractor).toBeInstanceOf(UploadTypeCheck);
    expect(container.get(TOKENS.ConversationStore)).toBeInstanceOf(DynamoDbConversationStore);
    expect(container.get(TOKENS.RateCounter)).toBe(container.get(TOKENS.UsageLedger));
  });

  it('refuses at start a configuration the function was not built for, naming the setting', () => {
    const memory = loadConfig({ ...STACK_ENV, STORE: 'memory' });
    expect(() => composeContainer(memory, [dynamoDbStores, s3Blobs, cognitoAuth])).toThrow(ConfigError);
    expect(() => composeContainer(memory, [dynamoDbStores, s3Blobs, cognitoAuth])).toThrow(
      'This function was built with DynamoDB stores for its stores, and STORE chooses none of them.',
    );
    const local = loadConfig({ ...STACK_ENV, AUTH_MODE: 'local' });
    expect(() => composeContainer(local, [dynamoDbStores, cognitoAuth])).toThrow('and AUTH_MODE chooses none of them');
  });

  it('refuses two families for one port group: the composition would depend on their order', () => {
    expect(() => composeContainer(loadConfig(STACK_ENV), [dynamoDbStores, cognitoAuth, documentExtractors, uploadTypeCheck])).toThrow(
      'Both document readers and upload type check serve the extractor',
    );
  });

  it('hands the memory blob store that takes local uploads to the file service itself', () => {
    const services = servicesOf(composeContainer(loadConfig({ STORE: 'memory', LOG_LEVEL: 'SILENT' }), [memoryStores, uploadTypeCheck]));
    expect(services.localUploads).toBeInstanceOf(MemoryBlobStore);
    expect(depsOf(services.files).blobs).toBe(services.localUploads);
  });

  it('replaces the clock and the ids everywhere they are used', () => {
    const clock = new FixedClock();
    const ids = new SequentialIds();
    const services = servicesOf(
      composeContainer(loadConfig({ STORE: 'memory', LOG_LEVEL: 'SILENT' }), [memoryStores, uploadTypeCheck], { clock, ids }),
    );
    expect(depsOf(services.files).clock).toBe(clock);
    expect(depsOf(services.files).ids).toBe(ids);
    expect(depsOf(services.usage).clock).toBe(clock);
  });
});

describe('the upload type check of the functions that read no files', () => {
  it('accepts what the document readers accept, by name and declared type', () => {
    const check = new UploadTypeCheck();
    expect(check.accepts('report.pdf', 'application/pdf')).toBe(true);
    expect(check.accepts('notes.md', 'text/markdown')).toBe(true);
    expect(check.accepts('setup.exe', 'application/x-msdownload')).toBe(false);
    expect(check.accepts('photo.png', 'text/plain')).toBe(false);
  });

  it('says it was composed without the readers when asked to read', async () => {
    await expect(new UploadTypeCheck().extract()).rejects.toThrow('composed without the document readers');
  });
});

/**
 * Every setting infra/components/functions.ts gives the functions, with names of the shapes the
 * stack's resources have. The model and title settings vary below, as the stack's do.
 */
const DEPLOYED_ENV = {
  ...STACK_ENV,
  FILE_METADATA_TABLE: 'file-metadata',
  USAGE_TABLE: 'usage',
  UPLOAD_BUCKET: 'chat-uploads-example',
  ALLOWED_ORIGINS: 'http://localhost:5173',
  ORIGIN_VERIFY_SECRET: 'an-origin-secret-of-32-characters',
  MODEL_ID: 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0',
  MODEL_PRICE_INPUT_PER_MTOK: '3',
  MODEL_PRICE_OUTPUT_PER_MTOK: '15',
  // The file processor's own.
  EXTRACTION_TIMEOUT_MS: '20000',
};

/** The model settings a stack can deploy: `modelProvider` and `titleModelId` of its Pulumi config. */
const MODEL_SETTINGS: Record<string, Record<string, string | undefined>> = {
  'Bedrock, a title model named': { MODEL_PROVIDER: 'bedrock', TITLE_MODEL_ID: 'eu.anthropic.claude-haiku-4-5-20251001-v1:0' },
  'Bedrock, titles from the first words': { MODEL_PROVIDER: 'bedrock', TITLE_MODEL_ID: 'none' },
  'Bedrock, TITLE_MODEL_ID unset': { MODEL_PROVIDER: 'bedrock', TITLE_MODEL_ID: undefined },
  'the offline model (no model access)': { MODEL_PROVIDER: 'offline', TITLE_MODEL_ID: 'eu.anthropic.claude-haiku-4-5-20251001-v1:0' },
  'the offline model, TITLE_MODEL_ID unset': { MODEL_PROVIDER: 'offline', TITLE_MODEL_ID: undefined },
};

/** Each Lambda entry as infra/build bundles it: importing one runs its init phase. */
const ENTRIES = {
  chat: () => import('../../src/entrypoints/lambda/chat.js'),
  conversations: () => import('../../src/entrypoints/lambda/conversations.js'),
  files: () => import('../../src/entrypoints/lambda/files.js'),
  'file-processor': () => import('../../src/entrypoints/lambda/file-processor.js'),
  usage: () => import('../../src/entrypoints/lambda/usage.js'),
  health: () => import('../../src/entrypoints/lambda/health.js'),
  'history-expiry': () => import('../../src/entrypoints/lambda/history-expiry.js'),
  'sign-up-guard': () => import('../../src/entrypoints/lambda/sign-up-guard.js'),
};

/**
 * A cold start of `entry` with `env`: a fresh module graph, so that its module scope runs again
 * with these settings. Any fetch (Cognito's keys, a model) fails the test: init builds, it calls nothing.
 */
async function coldStart(entry: keyof typeof ENTRIES, env: Record<string, string | undefined>): Promise<{ handler: unknown }> {
  vi.resetModules();
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  vi.stubGlobal('awslambda', { streamifyResponse: (handler: unknown) => handler, HttpResponseStream: { from: (stream: unknown) => stream } });
  vi.stubGlobal('fetch', () => Promise.reject(new Error('init must call nothing')));
  return ENTRIES[entry]();
}

describe('each Lambda entry, composed with what the stack gives it', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.unstubAllGlobals();
  });

  for (const [setting, modelEnv] of Object.entries(MODEL_SETTINGS)) {
    for (const entry of Object.keys(ENTRIES) as Array<keyof typeof ENTRIES>) {
      it(`${entry}: builds everything its handler uses at init, with ${setting}`, async () => {
        // Its module scope resolved the services its handler reads (lambda/services.ts): a missing
        // family or setting would have thrown here, at the cold start.
        const { handler } = await coldStart(entry, { ...DEPLOYED_ENV, ...modelEnv });
        expect(handler).toBeTypeOf('function');
      });
    }
  }

  it('fails the cold start, not the first request, of a function deployed with settings it was not built for', async () => {
    await expect(coldStart('chat', { ...DEPLOYED_ENV, STORE: 'memory' })).rejects.toThrow(
      'This function was built with DynamoDB stores for its stores, and STORE chooses none of them.',
    );
    await expect(coldStart('usage', { ...DEPLOYED_ENV, AUTH_MODE: 'local' })).rejects.toThrow('and AUTH_MODE chooses none of them');
    await expect(coldStart('chat', { ...DEPLOYED_ENV, MODEL_PROVIDER: 'openai' })).rejects.toThrow(
      'OPENAI_BASE_URL: required when MODEL_PROVIDER=openai',
    );
  });

  // The stack gives every function the same MODEL_PROVIDER; only the chat function loads the module.
  for (const entry of (Object.keys(ENTRIES) as Array<keyof typeof ENTRIES>).filter((name) => name !== 'chat')) {
    it(`${entry}: starts with a model module deployed, which it neither loads nor needs`, async () => {
      const { handler } = await coldStart(entry, { ...DEPLOYED_ENV, MODEL_PROVIDER: 'module:./model-module.mjs', TITLE_MODEL_ID: 'none' });
      expect(handler).toBeTypeOf('function');
    });
  }

  it('chat: loads a model module at init, resolved from the task root, and composes its model', async () => {
    const { handler } = await coldStart('chat', {
      ...DEPLOYED_ENV,
      MODEL_PROVIDER: 'module:test/fixtures/settings-model-module.ts',
      TITLE_MODEL_ID: 'none',
      LAMBDA_TASK_ROOT: process.cwd(),
      // As if read from the module's settings (model-settings.test.ts reads them from moto).
      SETTINGS_MODEL_API_KEY: 'composition-key',
    });
    expect(handler).toBeTypeOf('function');
  });

  it('chat: reads no module settings for a built-in provider, whatever variables it is given', async () => {
    // Port 9 (discard) refuses: a read would fail the cold start.
    const unreachable = { MODEL_SETTINGS_PARAMETER: '/chat/model-settings', AWS_ENDPOINT_URL_SSM: 'http://127.0.0.1:9', MODEL_SETTINGS_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:x' };
    const { handler } = await coldStart('chat', { ...DEPLOYED_ENV, MODEL_PROVIDER: 'bedrock', ...unreachable });
    expect(handler).toBeTypeOf('function');
  });

  it('builds the services an entry names at once: a family the entry forgot fails there, naming the port', () => {
    vi.stubEnv('STORE', 'aws');
    vi.stubEnv('AUTH_MODE', 'cognito');
    vi.stubEnv('COGNITO_USER_POOL_ID', 'eu-west-1_example');
    vi.stubEnv('COGNITO_CLIENT_ID', 'example');
    // The files function without S3 and without its type check.
    expect(() => lambdaServices([dynamoDbStores, cognitoAuth], ['config', 'verifier', 'files'])).toThrow(/TextExtractor|BlobStore/);
    expect(lambdaServices([dynamoDbStores, cognitoAuth], ['config', 'verifier', 'conversations']).conversations).toBeDefined();
  });
});
