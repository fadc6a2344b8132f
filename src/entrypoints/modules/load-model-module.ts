import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as z from 'zod';
import type { ChatModel } from '../../domain/ports/chat-model.js';
import { ConfigError, type AppConfig } from '../config.js';

type Env = Record<string, string | undefined>;

/**
 * What a module may say its model costs (named export `pricing`), in USD per million tokens. The
 * cache prices default as the built-in ones do: a tenth of the input price to read, 1.25 times to write.
 */
const modulePricing = z.strictObject({
  inputPerMTok: z.number().nonnegative(),
  outputPerMTok: z.number().nonnegative(),
  cacheReadPerMTok: z.number().nonnegative().optional(),
  cacheWritePerMTok: z.number().nonnegative().optional(),
});
export type ModulePricing = z.output<typeof modulePricing>;

export interface LoadedModelModule {
  model: ChatModel;
  /** The module's `pricing` export, when it has one. */
  pricing?: ModulePricing;
}

/**
 * For an app configured with `MODEL_PROVIDER=module:<path>`: loads the module and puts what it made
 * into the configuration before the app is composed: the model, and the module's prices unless
 * `MODEL_PRICE_INPUT_PER_MTOK` / `MODEL_PRICE_OUTPUT_PER_MTOK` say otherwise (the operator's word
 * wins). Nothing happens for a built-in provider. Both the local server and the chat function start so.
 */
export async function loadConfiguredModel(config: AppConfig, env: Env, cwd = process.cwd()): Promise<void> {
  if (config.model.provider !== 'module') return;
  const { model, pricing } = await loadModelModule(config.model.path, env, cwd);
  config.model.loaded = model;
  const pricedByEnv = env.MODEL_PRICE_INPUT_PER_MTOK !== undefined || env.MODEL_PRICE_OUTPUT_PER_MTOK !== undefined;
  if (pricing && !pricedByEnv) {
    config.pricing = {
      inputPerMTok: pricing.inputPerMTok,
      outputPerMTok: pricing.outputPerMTok,
      cacheReadPerMTok: pricing.cacheReadPerMTok ?? pricing.inputPerMTok / 10,
      cacheWritePerMTok: pricing.cacheWritePerMTok ?? pricing.inputPerMTok * 1.25,
      currency: 'USD',
    };
  }
}

/**
 * Imports a team's adapter module (`MODEL_PROVIDER=module:<path>`) and makes its model: the default
 * export is a function `(env) => ChatModel` (or a promise of one), given the environment so that the
 * team's own settings (base URL, key, model id, window) are theirs to read. Whatever goes wrong
 * stops the start with one ConfigError naming the path and the fault: a model that half works
 * would otherwise fail on the first chat, far from its cause.
 */
export async function loadModelModule(path: string, env: Env, cwd = process.cwd()): Promise<LoadedModelModule> {
  const file = resolve(cwd, path);
  // The resolved file too when the path was relative: which folder it was resolved from is often the surprise.
  const named = file === path ? path : `${path} (${file})`;
  const fail = (problem: string) => new ConfigError(`MODEL_PROVIDER=module:${named}: ${problem}`);
  if (!existsSync(file)) throw fail('there is no such file.');
  let exports: { default?: unknown; pricing?: unknown };
  try {
    exports = (await import(pathToFileURL(file).href)) as { default?: unknown; pricing?: unknown };
  } catch (error) {
    throw fail(`the module could not be imported: ${messageOf(error)}`);
  }
  const make = exports.default;
  if (make === undefined) throw fail('the module has no default export; export default a function (env) => ChatModel.');
  if (typeof make !== 'function') throw fail(`the default export is ${describe(make)}, not a function (env) => ChatModel.`);
  let made: unknown;
  try {
    // A copy: the module reads its settings, it does not change the server's.
    made = await (make as (env: Env) => unknown)({ ...env });
  } catch (error) {
    throw fail(`its default export threw: ${messageOf(error)}`);
  }
  const faults = chatModelFaults(made);
  if (faults.length > 0) throw fail(`its default export did not return a ChatModel: ${faults.join('; ')}.`);
  if (exports.pricing === undefined) return { model: made as ChatModel };
  const pricing = modulePricing.safeParse(exports.pricing);
  if (!pricing.success) {
    throw fail(`its pricing export is not { inputPerMTok, outputPerMTok } in USD per million tokens: ${z.prettifyError(pricing.error).replaceAll('\n', ' ')}`);
  }
  return { model: made as ChatModel, pricing: pricing.data };
}

/** What keeps a value from being a ChatModel, in words; empty when it is one. */
export function chatModelFaults(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [`it returned ${describe(value)}, not an object`];
  const model = value as Partial<Record<keyof ChatModel, unknown>>;
  const faults: string[] = [];
  if (typeof model.modelId !== 'string' || model.modelId.trim() === '') faults.push('modelId must be a non-empty string');
  const limits = (typeof model.limits === 'object' && model.limits !== null ? model.limits : {}) as Record<string, unknown>;
  for (const key of ['contextWindowTokens', 'maxOutputTokens']) {
    if (!isPositiveNumber(limits[key])) faults.push(`limits.${key} must be a positive number`);
  }
  const { contextWindowTokens, maxOutputTokens } = limits;
  if (isPositiveNumber(contextWindowTokens) && isPositiveNumber(maxOutputTokens) && (maxOutputTokens as number) >= (contextWindowTokens as number)) {
    faults.push('limits.maxOutputTokens must be smaller than limits.contextWindowTokens (the answer is part of the window)');
  }
  if (typeof model.stream !== 'function') faults.push('stream must be a function (request, signal) => AsyncIterable<ModelEvent>');
  return faults;
}

const isPositiveNumber = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value) && value > 0;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
