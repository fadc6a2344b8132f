import { ContainerModule } from 'inversify';
import { OfflineChatModel } from '../../adapters/chat-model/offline-chat-model.js';
import type { ChatModel } from '../../domain/ports/chat-model.js';
import { TOKENS } from '../tokens.js';
import type { AdapterFamily } from './adapter-family.js';

/**
 * The offline demo model (`MODEL_PROVIDER=offline`, the default): it echoes the question and names
 * the attached files, with no network. Its titles are the question's first words, so it binds no
 * title model.
 */
export const offlineModel: AdapterFamily = {
  name: 'offline model',
  serves: ['model'],
  moduleFor: ({ model }) =>
    model.provider === 'offline'
      ? new ContainerModule(({ bind }) => {
          bind<ChatModel>(TOKENS.ChatModel).toResolvedValue(() => new OfflineChatModel({ wordDelayMs: model.wordDelayMs }));
        })
      : undefined,
};
