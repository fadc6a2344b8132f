// Types only: erased from the bundles, so they pull no adapter into a function.
import type * as S3ClientModule from '../../adapters/blob-store/s3-client.js';
import type * as S3BlobStoreModule from '../../adapters/blob-store/s3-blob-store.js';
import type * as DocumentsModule from '../../adapters/text-extractor/document-text-extractor.js';
import type * as BedrockModule from '../../adapters/chat-model/bedrock-chat-model.js';
import type * as OpenAiModule from '../../adapters/chat-model/openai-chat-model.js';

/**
 * The adapters that weigh on a cold start (a model's SDK, S3's, the document readers), as
 * loaders that each entrypoint passes to `buildServices` for the ones it uses. esbuild bundles
 * what an entry can reach, dynamic imports included: each loader lives in a module of its own
 * here, and an entry (src/entrypoints/lambda) that imports none of it ships none of it, so the
 * conversations function ships no model and no PDF reader. The local server passes them all.
 */
export interface AdapterLoaders {
  bedrock?: () => Promise<typeof BedrockModule>;
  openai?: () => Promise<typeof OpenAiModule>;
  s3?: () => Promise<[typeof S3ClientModule, typeof S3BlobStoreModule]>;
  documents?: () => Promise<typeof DocumentsModule>;
}

/** A wiring mistake, found at the first use of the adapter: it names the missing loader. */
export function missingLoader(name: keyof AdapterLoaders): () => never {
  return () => {
    throw new Error(`This function was built without the ${name} adapter: add its loader to the buildServices call of its entrypoint.`);
  };
}
