import type { AdapterLoaders } from './adapter-loaders.js';

/** The OpenAI-compatible model adapter. One loader a module: importing it pulls in this chunk only. */
export const loadOpenAi: Required<AdapterLoaders>['openai'] = () => import('../../adapters/chat-model/openai-chat-model.js');
