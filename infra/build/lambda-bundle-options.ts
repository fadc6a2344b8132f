import type { BuildOptions } from 'esbuild';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * How a Lambda entry is bundled, shared by `npm run build` (bundle-lambdas.ts) and by the tests
 * that read what a bundle holds (bundle-inputs.ts): what they inspect is what is deployed.
 */
export const ENTRY_DIR = 'src/entrypoints/lambda';
const NOT_ENTRIES = new Set(['services.ts', 'warm-up.ts']);

/** The entry modules' file names (`chat.ts`, ...): one function each. */
export function lambdaEntries(): string[] {
  return readdirSync(ENTRY_DIR).filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts') && !NOT_ENTRIES.has(file));
}

export const common: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  minify: true,
  // Source maps stay out of the zips, in bundle-lambdas.ts's MAPS_DIR: `npm run decode-stack` turns
  // a logged stack trace into lines of src/. Shipped and read with --enable-source-maps, they made
  // each zip more than twice as large and each cold start longer, and esbuild's keepNames, for
  // readable names without them, longer still (figures in bench/README.md, lambda-bundles).
  sourcemap: 'external',
  sourcesContent: false,
  legalComments: 'none',
  // CommonJS dependencies inside an ESM bundle still call require().
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
};

/** One entry's function bundle: index.mjs in `outdir`, and the chunks it loads lazily beside it. */
export function entryBundle(file: string, outdir: string): BuildOptions {
  return {
    ...common,
    entryPoints: { index: join(ENTRY_DIR, file) },
    outdir,
    // Code splitting: what the dependencies import on demand (the AWS SDK's credential providers,
    // for one) becomes chunks that a function loads only when it uses them.
    splitting: true,
    // Chunks beside index.mjs: modules resolve files relative to themselves (the extraction worker).
    chunkNames: '[name]-[hash]',
    outExtension: { '.js': '.mjs' },
  };
}

/** The chat function's file name under ENTRY_DIR, and the name a team's model module gets beside it. */
export const CHAT_ENTRY = 'chat.ts';
export const MODEL_MODULE_BUNDLE_NAME = 'model-module';

/**
 * The chat function with a team's model module (stack config `chat:modelModule`) as a second entry
 * of the same build, `model-module.mjs` beside index.mjs: what both import from src/ (DomainError,
 * the model helpers) lands in shared chunks, loaded once, so that the errors the module throws are
 * the domain's own to the chat service (`instanceof` holds across the two).
 */
export function chatBundleWithModelModule(modulePath: string, outdir: string): BuildOptions {
  return { ...entryBundle(CHAT_ENTRY, outdir), entryPoints: { index: join(ENTRY_DIR, CHAT_ENTRY), [MODEL_MODULE_BUNDLE_NAME]: modulePath } };
}
