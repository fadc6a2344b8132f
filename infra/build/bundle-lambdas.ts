import { build, type BuildOptions } from 'esbuild';
import { mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { API_ROUTES, routeKey } from '../../src/entrypoints/http/routes.js';

/**
 * One ESM bundle per Lambda entrypoint (src/entrypoints/lambda/*.ts) in dist/lambda/<name>/,
 * for Node.js 22 on arm64. Everything the function imports is bundled, so the deployment does not
 * depend on the SDK version the runtime happens to carry.
 *
 * A function that reads PDF and DOCX files runs pdf.js and mammoth in a worker thread
 * (src/adapters/extract/worker-readers.ts looks for `readers/extraction-worker.mjs` beside its
 * module, which in a bundle is the chunk beside index.mjs): its bundle gets that worker as a
 * second entry, with pdf.js's own worker code preloaded, because a bundle has no node_modules to
 * load it from at run time. The native @napi-rs/canvas that pdf.js would like is not shipped:
 * text extraction never renders, and the one thing pdf.js needs from it as it loads, DOMMatrix,
 * comes from readers/dom-matrix-stand-in.mjs. test/build/lambda-bundles.test.ts runs the result.
 */
const ENTRY_DIR = 'src/entrypoints/lambda';
const OUT_DIR = (process.argv[2] ?? 'dist/lambda').replace(/\/+$/, '');
/** Where each function's source maps go: beside the bundles, never inside what is deployed. */
const MAPS_DIR = `${OUT_DIR}-maps`;
const NOT_ENTRIES = new Set(['services.ts']);
/**
 * The routes that extract text: POST /files reads the base64 document inline, process reads an
 * uploaded one. The functions that serve them, taken from the route table (so moving a route
 * cannot leave its new function without the worker), are the ones whose bundle gets it.
 */
const EXTRACTING_ROUTES = new Set(['POST /files', 'POST /files/{id}/process']);
const EXTRACTING = new Set(
  API_ROUTES.filter((route) => EXTRACTING_ROUTES.has(routeKey(route.method, route.resource))).map((route) => entryName(route.function)),
);
const EXTRACTION_WORKER = 'src/adapters/extract/readers/extraction-worker.mjs';
/** pdf.js's worker module: it defines `globalThis.pdfjsWorker`, which pdf.js then runs in-thread. */
const PDFJS_WORKER = 'node_modules/pdf-parse/dist/worker/pdf.worker.mjs';

const common: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  minify: true,
  // Source maps stay out of the zips, in MAPS_DIR: `npm run decode-stack` turns a logged stack
  // trace into lines of src/. Shipped and read with --enable-source-maps, they made each zip 2.4
  // times larger (chat: 805 KB instead of 335) and each cold start 15-18 ms (16%) longer;
  // esbuild's keepNames, for readable names without them, cost 7 ms more.
  sourcemap: 'external',
  sourcesContent: false,
  legalComments: 'none',
  // CommonJS dependencies inside an ESM bundle still call require().
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
};

const entries = readdirSync(ENTRY_DIR).filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts') && !NOT_ENTRIES.has(file));

const missing = [...EXTRACTING].filter((name) => !entries.includes(`${name}.ts`));
if (missing.length > 0) throw new Error(`No entrypoint in ${ENTRY_DIR} for the extracting function(s) ${missing.join(', ')}.`);

rmSync(OUT_DIR, { recursive: true, force: true });
rmSync(MAPS_DIR, { recursive: true, force: true });
for (const file of entries) {
  const name = basename(file, '.ts');
  const outfile = join(OUT_DIR, name, 'index.mjs');
  // Code splitting: what the composition root imports lazily (the model's SDK, S3, the document
  // readers; see src/adapters/lazy) becomes chunks that a function loads only when it uses them.
  await build({
    ...common,
    entryPoints: { index: join(ENTRY_DIR, file) },
    outdir: join(OUT_DIR, name),
    splitting: true,
    // Chunks beside index.mjs: modules resolve files relative to themselves (the extraction worker).
    chunkNames: '[name]-[hash]',
    outExtension: { '.js': '.mjs' },
  });
  report(outfile);
  if (EXTRACTING.has(name)) {
    const worker = join(OUT_DIR, name, 'readers', 'extraction-worker.mjs');
    await build({ ...common, entryPoints: [EXTRACTION_WORKER], outfile: worker, inject: [PDFJS_WORKER] });
    report(worker);
  }
}

moveSourceMaps(OUT_DIR, MAPS_DIR);

/** Moves every `.map` under `from` to the same place under `to`. */
function moveSourceMaps(from: string, to: string): void {
  for (const entry of readdirSync(from, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.map')) continue;
    const source = join(entry.parentPath, entry.name);
    const target = join(to, relative(from, source));
    mkdirSync(dirname(target), { recursive: true });
    renameSync(source, target);
  }
}

/** `fileProcessor` (the route table's name) is src/entrypoints/lambda/file-processor.ts. */
function entryName(functionName: string): string {
  return functionName.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

function report(outfile: string): void {
  console.log(`${outfile.padEnd(56)} ${(statSync(outfile).size / 1024).toFixed(1).padStart(8)} KB`);
}
