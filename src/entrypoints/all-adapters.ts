import type { AdapterLoaders } from './adapter-loaders.js';

/** Every adapter, for the local server and tests: one process serves every route. */
export const ALL_ADAPTERS: Required<AdapterLoaders> = {
  bedrock: () => import('../adapters/model/bedrock-chat-model.js'),
  openai: () => import('../adapters/model/openai-chat-model.js'),
  s3: () => Promise.all([import('../adapters/aws/s3-client.js'), import('../adapters/blobs/s3-blob-store.js')]),
  documents: () => import('../adapters/extract/document-text-extractor.js'),
};
