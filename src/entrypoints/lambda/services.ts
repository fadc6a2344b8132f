import type { AdapterLoaders } from '../loaders/adapter-loaders.js';
import { buildServices, type AppServices } from '../container.js';
import { loadConfig } from '../config.js';

/**
 * A function's services, built once per cold start at module scope and shared by its
 * invocations. Each entry names the heavy adapters it uses (see ../loaders/adapter-loaders.ts): the
 * loaders it imports decide what its bundle holds.
 */
export function lambdaServices(loaders: AdapterLoaders): AppServices {
  return buildServices(loadConfig(process.env), {}, loaders);
}
