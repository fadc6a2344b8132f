import { ContainerModule } from 'inversify';
import { OpenAiChatModel } from '../../adapters/chat-model/openai-chat-model.js';
import type { ChatModel } from '../../domain/ports/chat-model.js';
import type { ModelConfig } from '../config.js';
import { TOKENS } from '../tokens.js';
import type { AdapterFamily } from './adapter-family.js';

type OpenAiModelConfig = Extract<ModelConfig, { provider: 'openai' }>;

/**
 * A server that speaks OpenAI's chat completions (`MODEL_PROVIDER=openai`: Ollama, vLLM, llama.cpp,
 * OpenAI itself): the answers, and the titles when TITLE_MODEL_ID names a model.
 */
export const openAiModel: AdapterFamily = {
  name: 'OpenAI-compatible model',
  serves: ['model'],
  moduleFor: ({ model }) => (model.provider === 'openai' ? openAiModelModule(model) : undefined),
};

function openAiModelModule(model: OpenAiModelConfig): ContainerModule {
  const answeringWith = (modelId: string) => () =>
    new OpenAiChatModel({
      baseUrl: model.baseUrl,
      modelId,
      limits: model.limits,
      retry: model.retry,
      ...(model.apiKey && { apiKey: model.apiKey }),
      ...(model.temperature !== undefined && { temperature: model.temperature }),
    });
  return new ContainerModule(({ bind }) => {
    bind<ChatModel>(TOKENS.ChatModel).toResolvedValue(answeringWith(model.modelId));
    if (model.titleModelId) bind<ChatModel>(TOKENS.TitleModel).toResolvedValue(answeringWith(model.titleModelId));
  });
}
