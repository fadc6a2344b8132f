import type { ContainerModule } from 'inversify';
import type { AppConfig } from '../config.js';

/** The ports a family of adapters serves: a composed container has one family for each. */
export type PortGroup = 'stores' | 'blobs' | 'model' | 'auth' | 'extractor';

/**
 * One family of adapters (DynamoDB stores, the Bedrock model, Cognito sign-in...) and its
 * bindings. Each family lives in a file of its own that imports its adapters statically, so a
 * Lambda entry that imports a family ships it, and one that does not ships none of its code.
 */
export interface AdapterFamily {
  /** How a reader, and an error about a function built without it, names it. */
  name: string;
  serves: readonly PortGroup[];
  /** Its bindings when the configuration chooses it (MODEL_PROVIDER, STORE, AUTH_MODE); else undefined. */
  moduleFor(config: AppConfig): ContainerModule | undefined;
}
