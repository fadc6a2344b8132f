import type { AppConfig } from '../config.js';
import { composeContainer, servicesOf, type AppServices, type Overrides } from '../container.js';
import type { AdapterFamily } from './adapter-family.js';
import { bedrockModel } from './bedrock-model.js';
import { cognitoAuth } from './cognito-auth.js';
import { documentExtractors } from './document-extractors.js';
import { dynamoDbStores } from './dynamodb-stores.js';
import { localAuth } from './local-auth.js';
import { memoryStores } from './memory-stores.js';
import { moduleModel } from './module-model.js';
import { offlineModel } from './offline-model.js';
import { openAiModel } from './openai-model.js';
import { s3Blobs } from './s3-blobs.js';

/**
 * Every family, for a process that serves every route and any configuration: the local server,
 * the tests, the benchmarks. The configuration picks one family per port group among them.
 * A Lambda entry lists its own few instead, so that its bundle holds only those.
 */
export const ALL_FAMILIES: readonly AdapterFamily[] = [
  memoryStores,
  dynamoDbStores,
  s3Blobs,
  offlineModel,
  bedrockModel,
  openAiModel,
  moduleModel,
  localAuth,
  cognitoAuth,
  documentExtractors,
];

/** The services of one process that has every family: what tests, benchmarks and examples drive directly. */
export function servicesFromAllFamilies(config: AppConfig, overrides: Overrides = {}): AppServices {
  return servicesOf(composeContainer(config, ALL_FAMILIES, overrides));
}
