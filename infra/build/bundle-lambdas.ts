import { build, type BuildOptions } from 'esbuild';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

/**
 * One ESM bundle per Lambda entrypoint (src/entrypoints/lambda/*.ts) in dist/lambda/<name>/,
 * for Node.js 22 on arm64. Everything the function imports is bundled, so the deployment does not
 * depend on the SDK version the runtime happens to carry.
 *
 * The function that reads PDF and DOCX files runs pdf.js and mammoth in a worker thread
 * (src/adapters/extract/worker-readers.ts looks for `readers/extraction-worker.mjs` beside its
 * module): its bundle gets that worker as a second entry, with pdf.js's own worker code
 * preloaded, because a bundle has no node_modules to load it from at run time.
 */
const ENTRY_DIR = 'src/entrypoints/lambda';
const OUT_DIR = process.argv[2] ?? 'dist/lambda';
const NOT_ENTRIES = new Set(['services.ts']);
// POST /files (inline) and POST /files/{id}/process: the file processor reads documents; no other function does.
const EXTRACTING = new Set(['file-processor']);
const EXTRACTION_WORKER = 'src/adapters/extract/readers/extraction-worker.mjs';
/** pdf.js's worker module: it defines `globalThis.pdfjsWorker`, which pdf.js then runs in-thread. */
const PDFJS_WORKER = 'node_modules/pdf-parse/dist/worker/pdf.worker.mjs';

const common: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  // CommonJS dependencies inside an ESM bundle still call require().
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
};

const entries = readdirSync(ENTRY_DIR).filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts') && !NOT_ENTRIES.has(file));

rmSync(OUT_DIR, { recursive: true, force: true });
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

function report(outfile: string): void {
  console.log(`${outfile.padEnd(56)} ${(statSync(outfile).size / 1024).toFixed(1).padStart(8)} KB`);
}
