import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { ContainerModule } from 'inversify';
import { BedrockChatModel, createBedrockRuntimeClient } from '../../adapters/chat-model/bedrock-chat-model.js';
import type { ChatModel } from '../../domain/ports/chat-model.js';
import type { ModelConfig } from '../config.js';
import { TOKENS } from '../tokens.js';
import type { AdapterFamily } from './adapter-family.js';

type BedrockModelConfig = Extract<ModelConfig, { provider: 'bedrock' }>;

/** One runtime client per process, shared by the chat and title models; no other module uses it. */
const BEDROCK_RUNTIME = Symbol('BedrockRuntimeClient');

/** Claude (or another model) on Amazon Bedrock (`MODEL_PROVIDER=bedrock`): the answers, and the titles when TITLE_MODEL_ID names a model. */
export const bedrockModel: AdapterFamily = {
  name: 'Bedrock model',
  serves: ['model'],
  moduleFor: ({ model }) => (model.provider === 'bedrock' ? bedrockModelModule(model) : undefined),
};

function bedrockModelModule(model: BedrockModelConfig): ContainerModule {
  const answeringWith = (modelId: string) => (client: BedrockRuntimeClient) =>
    new BedrockChatModel(client, {
      modelId,
      region: model.region,
      limits: model.limits,
      retry: model.retry,
      ...(model.temperature !== undefined && { temperature: model.temperature }),
      ...(model.promptCaching !== undefined && { promptCaching: model.promptCaching }),
    });
  return new ContainerModule(({ bind }) => {
    bind<BedrockRuntimeClient>(BEDROCK_RUNTIME).toResolvedValue(() =>
      createBedrockRuntimeClient({
        region: model.region,
        ...(model.endpoint && { endpoint: model.endpoint }),
        ...(model.credentials && { credentials: model.credentials }),
      }),
    );
    bind<ChatModel>(TOKENS.ChatModel).toResolvedValue(answeringWith(model.modelId), [BEDROCK_RUNTIME]);
    if (model.titleModelId) bind<ChatModel>(TOKENS.TitleModel).toResolvedValue(answeringWith(model.titleModelId), [BEDROCK_RUNTIME]);
  });
}
