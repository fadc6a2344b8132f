import { build } from 'esbuild';
import { rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { API_ROUTES, routeKey } from '../../src/entrypoints/http/routes.js';
import { common, ENTRY_DIR, entryBundle, lambdaEntries } from './lambda-bundle-options.js';
import { moveSourceMaps } from './source-maps.js';

/**
 * One ESM bundle per Lambda entrypoint (src/entrypoints/lambda/*.ts) in dist/lambda/<name>/,
 * for Node.js 22 on arm64. Everything the function imports is bundled, so the deployment does not
 * depend on the SDK version the runtime happens to carry.
 *
 * A function that reads PDF and DOCX files runs pdf.js and mammoth in a worker thread
 * (src/adapters/text-extractor/worker-readers.ts looks for `readers/extraction-worker.mjs` beside its
 * module, which in a bundle is the chunk beside index.mjs): its bundle gets that worker as a
 * second entry, with pdf.js's own worker code preloaded, because a bundle has no node_modules to
 * load it from at run time. The native @napi-rs/canvas that pdf.js would like is not shipped:
 * text extraction never renders, and the one thing pdf.js needs from it as it loads, DOMMatrix,
 * comes from readers/dom-matrix-stand-in.mjs. test/build/lambda-bundles.test.ts runs the result.
 */
const OUT_DIR = (process.argv[2] ?? 'dist/lambda').replace(/\/+$/, '');
/** Where each function's source maps go: beside the bundles, never inside what is deployed. */
const MAPS_DIR = `${OUT_DIR}-maps`;
/**
 * The routes that extract text: POST /files reads the base64 document inline, process reads an
 * uploaded one. The functions that serve them, taken from the route table (so moving a route
 * cannot leave its new function without the worker), are the ones whose bundle gets it.
 */
const EXTRACTING_ROUTES = new Set(['POST /files', 'POST /files/{id}/process']);
const EXTRACTING = new Set(
  API_ROUTES.filter((route) => EXTRACTING_ROUTES.has(routeKey(route.method, route.resource))).map((route) => entryName(route.function)),
);
const EXTRACTION_WORKER = 'src/adapters/text-extractor/readers/extraction-worker.mjs';
/** pdf.js's worker module: it defines `globalThis.pdfjsWorker`, which pdf.js then runs in-thread. */
const PDFJS_WORKER = 'node_modules/pdf-parse/dist/worker/pdf.worker.mjs';

const entries = lambdaEntries();

const missing = [...EXTRACTING].filter((name) => !entries.includes(`${name}.ts`));
if (missing.length > 0) throw new Error(`No entrypoint in ${ENTRY_DIR} for the extracting function(s) ${missing.join(', ')}.`);

rmSync(OUT_DIR, { recursive: true, force: true });
rmSync(MAPS_DIR, { recursive: true, force: true });
for (const file of entries) {
  const name = basename(file, '.ts');
  const outfile = join(OUT_DIR, name, 'index.mjs');
  await build(entryBundle(file, join(OUT_DIR, name)));
  report(outfile);
  if (EXTRACTING.has(name)) {
    const worker = join(OUT_DIR, name, 'readers', 'extraction-worker.mjs');
    await build({ ...common, entryPoints: [EXTRACTION_WORKER], outfile: worker, inject: [PDFJS_WORKER] });
    report(worker);
  }
}

moveSourceMaps(OUT_DIR, MAPS_DIR);

/** `fileProcessor` (the route table's name) is src/entrypoints/lambda/file-processor.ts. */
function entryName(functionName: string): string {
  return functionName.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

function report(outfile: string): void {
  console.log(`${outfile.padEnd(56)} ${(statSync(outfile).size / 1024).toFixed(1).padStart(8)} KB`);
}
