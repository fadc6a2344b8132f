import type { AdapterLoaders } from './adapter-loaders.js';

/** The Bedrock model adapter and its SDK. One loader a module: importing it pulls in this chunk only. */
export const loadBedrock: Required<AdapterLoaders>['bedrock'] = () => import('../../adapters/chat-model/bedrock-chat-model.js');
