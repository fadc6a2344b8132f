import { buildServices, type AppServices } from '../container.js';
import { loadConfig } from '../config.js';

/** Built once per cold start, at module scope, and shared by every invocation of the function. */
export const services: AppServices = buildServices(loadConfig(process.env));
