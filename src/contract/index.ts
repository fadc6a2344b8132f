/**
 * The HTTP API's wire contract: request and response bodies, the chat stream's events, the error
 * body and `/config.json`, each a zod schema with its type inferred from it. The server parses
 * requests with these schemas; the SPA imports the types only (and the zod-free values of
 * file-types.ts), so no schema code reaches its bundle. This module imports nothing but zod.
 * Error codes are the exception: tests keep them in step, not this module (see errors.ts).
 */
export * from './config.js';
export * from './errors.js';
export * from './events.js';
export * from './file-types.js';
export * from './requests.js';
export * from './responses.js';
