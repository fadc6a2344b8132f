import type { AdapterLoaders } from './adapter-loaders.js';
import { loadBedrock } from './bedrock.js';
import { loadDocuments } from './documents.js';
import { loadOpenAi } from './openai.js';
import { loadS3 } from './s3.js';

/** Every adapter, for the local server and tests: one process serves every route. */
export const ALL_ADAPTERS: Required<AdapterLoaders> = { bedrock: loadBedrock, openai: loadOpenAi, s3: loadS3, documents: loadDocuments };
