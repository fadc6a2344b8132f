import { ContainerModule } from 'inversify';
import type { ChatModel } from '../../domain/ports/chat-model.js';
import { ConfigError, type ModuleModelConfig } from '../config.js';
import { TOKENS } from '../tokens.js';
import type { AdapterFamily } from './adapter-family.js';

/**
 * A team's own adapter (`MODEL_PROVIDER=module:<path>`), written outside the project: the model its
 * module made, loaded before composing (modules/load-model-module.ts). It names no conversation, so it
 * binds no title model.
 */
export const moduleModel: AdapterFamily = {
  name: 'module model',
  serves: ['model'],
  moduleFor: ({ model }) => (model.provider === 'module' ? moduleModelModule(model) : undefined),
};

function moduleModelModule({ path, loaded }: ModuleModelConfig): ContainerModule {
  if (!loaded) {
    // Composing cannot import (it is synchronous): an entry that forgot to load first learns it here, at start.
    throw new ConfigError(`MODEL_PROVIDER=module:${path}: the module was not loaded before the app was composed (see loadModelModule).`);
  }
  return new ContainerModule(({ bind }) => {
    bind<ChatModel>(TOKENS.ChatModel).toConstantValue(loaded);
  });
}
