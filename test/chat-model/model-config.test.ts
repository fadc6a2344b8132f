import { describe, expect, it } from 'vitest';
import { BedrockChatModel } from '../../src/adapters/chat-model/bedrock-chat-model.js';
import { OfflineChatModel } from '../../src/adapters/chat-model/offline-chat-model.js';
import { OpenAiChatModel } from '../../src/adapters/chat-model/openai-chat-model.js';
import { ConfigError, loadConfig } from '../../src/entrypoints/config.js';
import { composeContainer, servicesOf } from '../../src/entrypoints/container.js';
import { servicesFromAllFamilies } from '../../src/entrypoints/modules/all-families.js';
import { memoryStores } from '../../src/entrypoints/modules/memory-stores.js';
import { offlineModel } from '../../src/entrypoints/modules/offline-model.js';
import { openAiModel } from '../../src/entrypoints/modules/openai-model.js';
import { uploadTypeCheck } from '../../src/entrypoints/modules/upload-type-check.js';
import { ScriptedModel } from '../support/fakes.js';

const base = { STORE: 'memory', LOG_LEVEL: 'SILENT' };

function configError(env: Record<string, string>): string {
  try {
    loadConfig({ ...base, ...env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

/** What the container gives the chat service (private fields: read for these tests only). */
interface ChatDepsSeen {
  deps: { model: unknown; titles?: { deps: { model: unknown } } };
}
const chatDepsOf = (services: { chat: unknown }) => (services.chat as ChatDepsSeen).deps;
const modelOf = (env: Record<string, string>) => chatDepsOf(servicesFromAllFamilies(loadConfig({ ...base, ...env }))).model;

describe('model configuration', () => {
  it('is the offline model by default', () => {
    expect(loadConfig(base).model).toEqual({ provider: 'offline', wordDelayMs: 15 });
    expect(modelOf({})).toBeInstanceOf(OfflineChatModel);
  });

  it('gives Bedrock its defaults: the default Claude inference profile, AWS_REGION, 200k/4k, caching by model id', async () => {
    const config = loadConfig({ ...base, MODEL_PROVIDER: 'bedrock', AWS_REGION: 'eu-central-1' });
    expect(config.model).toEqual({
      provider: 'bedrock',
      modelId: 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0',
      titleModelId: 'eu.anthropic.claude-haiku-4-5-20251001-v1:0',
      region: 'eu-central-1',
      limits: { contextWindowTokens: 200_000, maxOutputTokens: 4_000 },
      retry: { maxAttempts: 4, budgetMs: 15_000, baseDelayMs: 500 },
    });
    const model = modelOf({ MODEL_PROVIDER: 'bedrock' });
    expect(model).toBeInstanceOf(BedrockChatModel);
    expect((model as BedrockChatModel).modelId).toBe('eu.anthropic.claude-sonnet-4-5-20250929-v1:0');
  });

  it('names conversations with Claude Haiku in the chat model\'s geography, the chat model elsewhere, or no model at all', () => {
    const titleModel = (env: Record<string, string>) => {
      const { model } = loadConfig({ ...base, ...env });
      return model.provider === 'bedrock' || model.provider === 'openai' ? model.titleModelId : model.provider;
    };
    expect(titleModel({ MODEL_PROVIDER: 'bedrock', MODEL_ID: 'us.anthropic.claude-opus-4-1-20250805-v1:0' })).toBe('us.anthropic.claude-haiku-4-5-20251001-v1:0');
    expect(titleModel({ MODEL_PROVIDER: 'bedrock', MODEL_ID: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0' })).toBe('global.anthropic.claude-haiku-4-5-20251001-v1:0');
    // No Haiku 4.5 profile assumed for other geographies, nor for other vendors' models.
    expect(titleModel({ MODEL_PROVIDER: 'bedrock', MODEL_ID: 'apac.anthropic.claude-sonnet-4-20250514-v1:0' })).toBe('apac.anthropic.claude-sonnet-4-20250514-v1:0');
    expect(titleModel({ MODEL_PROVIDER: 'bedrock', MODEL_ID: 'eu.amazon.nova-lite-v1:0' })).toBe('eu.amazon.nova-lite-v1:0');
    expect(titleModel({ MODEL_PROVIDER: 'bedrock', TITLE_MODEL_ID: 'eu.amazon.nova-micro-v1:0' })).toBe('eu.amazon.nova-micro-v1:0');
    expect(titleModel({ MODEL_PROVIDER: 'bedrock', TITLE_MODEL_ID: 'none' })).toBeUndefined();
    expect(titleModel({})).toBe('offline');
  });

  it('reads every Bedrock setting', () => {
    const config = loadConfig({
      ...base,
      MODEL_PROVIDER: 'bedrock',
      MODEL_ID: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
      BEDROCK_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: 'http://127.0.0.1:4010',
      AWS_ACCESS_KEY_ID: 'AKID',
      AWS_SECRET_ACCESS_KEY: 'secret',
      MODEL_CONTEXT_WINDOW_TOKENS: '100000',
      MODEL_MAX_OUTPUT_TOKENS: '2000',
      MODEL_TEMPERATURE: '0.2',
      MODEL_PROMPT_CACHING: 'off',
      MODEL_MAX_ATTEMPTS: '2',
      MODEL_RETRY_BUDGET_MS: '3000',
      MODEL_RETRY_BASE_DELAY_MS: '50',
    });
    expect(config.model).toEqual({
      provider: 'bedrock',
      modelId: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
      titleModelId: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:4010',
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
      limits: { contextWindowTokens: 100_000, maxOutputTokens: 2_000 },
      temperature: 0.2,
      promptCaching: false,
      retry: { maxAttempts: 2, budgetMs: 3000, baseDelayMs: 50 },
    });
  });

  it('leaves credentials to the SDK without an endpoint override (a Lambda role, a profile)', () => {
    const config = loadConfig({ ...base, MODEL_PROVIDER: 'bedrock', AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'secret' });
    expect(config.model).not.toHaveProperty('credentials');
  });

  it('treats an empty MODEL_TEMPERATURE as unset, not as 0', () => {
    expect(loadConfig({ ...base, MODEL_PROVIDER: 'bedrock', MODEL_TEMPERATURE: '' }).model).not.toHaveProperty('temperature');
  });

  it('reads the OpenAI-compatible settings, the key optional for a server on this machine', async () => {
    const config = loadConfig({ ...base, MODEL_PROVIDER: 'openai', OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1', MODEL_ID: 'llama3.2' });
    expect(config.model).toEqual({
      provider: 'openai',
      modelId: 'llama3.2',
      titleModelId: 'llama3.2',
      baseUrl: 'http://127.0.0.1:11434/v1',
      limits: { contextWindowTokens: 32_768, maxOutputTokens: 4_000 },
      retry: { maxAttempts: 4, budgetMs: 15_000, baseDelayMs: 500 },
    });
    expect(modelOf({ MODEL_PROVIDER: 'openai', OPENAI_BASE_URL: 'http://localhost:8000/v1', MODEL_ID: 'qwen' })).toBeInstanceOf(OpenAiChatModel);
  });

  it('names what the OpenAI-compatible provider is missing', () => {
    const message = configError({ MODEL_PROVIDER: 'openai' });
    expect(message).toContain('OPENAI_BASE_URL: required when MODEL_PROVIDER=openai');
    expect(message).toContain('MODEL_ID: required when MODEL_PROVIDER=openai');
    expect(configError({ MODEL_PROVIDER: 'openai', OPENAI_BASE_URL: 'https://api.openai.com/v1', MODEL_ID: 'gpt-4o' })).toContain(
      'OPENAI_API_KEY: required',
    );
    // Set, even empty, it is accepted: a server on another machine that needs no key.
    const keyless = loadConfig({ ...base, MODEL_PROVIDER: 'openai', OPENAI_BASE_URL: 'http://gpu-box:8000/v1', MODEL_ID: 'qwen', OPENAI_API_KEY: '' });
    expect(keyless.model).not.toHaveProperty('apiKey');
  });

  it('refuses an answer budget as large as the context window, and unknown providers', () => {
    expect(configError({ MODEL_PROVIDER: 'bedrock', MODEL_CONTEXT_WINDOW_TOKENS: '4000' })).toContain(
      'MODEL_MAX_OUTPUT_TOKENS: must be smaller than the context window (4000 tokens)',
    );
    expect(configError({ MODEL_PROVIDER: 'anthropic' })).toContain(
      'MODEL_PROVIDER: must be offline, bedrock, openai or module:<path to a module>, not "anthropic"',
    );
    expect(configError({ MODEL_PROVIDER: 'module:' })).toContain('MODEL_PROVIDER: must be');
    expect(configError({ MODEL_PROVIDER: 'bedrock', MODEL_PROMPT_CACHING: 'yes' })).toContain('MODEL_PROMPT_CACHING');
  });

  it('wires the title model beside the chat model, and none when TITLE_MODEL_ID is none or the model is offline', () => {
    const titles = (env: Record<string, string>) => chatDepsOf(servicesFromAllFamilies(loadConfig({ ...base, ...env }))).titles;
    const named = titles({ MODEL_PROVIDER: 'bedrock', MODEL_ID: 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0' })?.deps.model;
    expect(named).toBeInstanceOf(BedrockChatModel);
    expect((named as BedrockChatModel).modelId).toBe('eu.anthropic.claude-haiku-4-5-20251001-v1:0');
    expect(titles({ MODEL_PROVIDER: 'bedrock', TITLE_MODEL_ID: 'none' })).toBeUndefined();
    expect(titles({})).toBeUndefined();
  });

  it('keeps an override first, whatever the provider, and then needs no model family at all', () => {
    const scripted = new ScriptedModel();
    const services = servicesFromAllFamilies(loadConfig({ ...base, MODEL_PROVIDER: 'bedrock' }), { model: scripted });
    expect(chatDepsOf(services).model).toBe(scripted);
    // The configured title model went with the configured model: a replaced one names with `titleModel` only.
    expect(chatDepsOf(services).titles).toBeUndefined();
    const titler = new ScriptedModel();
    const withoutFamily = servicesOf(
      composeContainer(loadConfig({ ...base, MODEL_PROVIDER: 'bedrock' }), [memoryStores, uploadTypeCheck], { model: scripted, titleModel: titler }),
    );
    expect(chatDepsOf(withoutFamily).model).toBe(scripted);
    expect(chatDepsOf(withoutFamily).titles?.deps.model).toBe(titler);
  });

  it('refuses, at start, a provider the function was not built with, and names both', () => {
    const config = loadConfig({ ...base, MODEL_PROVIDER: 'bedrock' });
    expect(() => composeContainer(config, [memoryStores, openAiModel, offlineModel])).toThrow(ConfigError);
    expect(() => composeContainer(config, [memoryStores, openAiModel, offlineModel])).toThrow(
      'This function was built with OpenAI-compatible model, offline model for its model, and MODEL_PROVIDER chooses none of them.',
    );
  });

  it('takes module:<path> as a team\'s module, with no shared model settings and no title model', () => {
    expect(loadConfig({ ...base, MODEL_PROVIDER: 'module:./adapters/acme.mjs' }).model).toEqual({ provider: 'module', path: './adapters/acme.mjs' });
    expect(loadConfig({ ...base, MODEL_PROVIDER: 'module:/opt/acme/model.ts', TITLE_MODEL_ID: 'none' }).model).toEqual({
      provider: 'module',
      path: '/opt/acme/model.ts',
    });
    // The module's window is its own: no check against a default it does not have.
    expect(() => loadConfig({ ...base, MODEL_PROVIDER: 'module:m.mjs', MODEL_MAX_OUTPUT_TOKENS: '500000' })).not.toThrow();
    expect(configError({ MODEL_PROVIDER: 'module:m.mjs', TITLE_MODEL_ID: 'small' })).toContain('TITLE_MODEL_ID: is not used with MODEL_PROVIDER=module:<path>');
  });

  it('binds the loaded module model, with no title model, and says so when nothing loaded it', () => {
    const config = loadConfig({ ...base, MODEL_PROVIDER: 'module:m.mjs' });
    expect(() => servicesFromAllFamilies(config)).toThrow(ConfigError);
    expect(() => servicesFromAllFamilies(config)).toThrow('MODEL_PROVIDER=module:m.mjs: the module was not loaded');
    const loaded = new ScriptedModel();
    if (config.model.provider === 'module') config.model.loaded = loaded;
    const services = servicesFromAllFamilies(config);
    expect(chatDepsOf(services).model).toBe(loaded);
    expect(chatDepsOf(services).titles).toBeUndefined();
    expect(services.model).toEqual({ modelId: loaded.modelId, limits: loaded.limits });
  });

  it('exposes the bound model\'s own id and window, not the settings', () => {
    expect(servicesFromAllFamilies(loadConfig(base)).model).toEqual({
      modelId: 'offline-demo',
      limits: { contextWindowTokens: 200_000, maxOutputTokens: 4_000 },
    });
    const openai = servicesFromAllFamilies(
      loadConfig({ ...base, MODEL_PROVIDER: 'openai', OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1', MODEL_ID: 'llama3.2', MODEL_CONTEXT_WINDOW_TOKENS: '8192' }),
    );
    expect(openai.model).toEqual({ modelId: 'llama3.2', limits: { contextWindowTokens: 8192, maxOutputTokens: 4_000 } });
  });
});
