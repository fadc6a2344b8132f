import { build } from 'esbuild';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

/**
 * One small ESM file per Lambda entrypoint (src/entrypoints/lambda/*.ts) in dist/lambda/<name>/,
 * for Node.js 22 on arm64. Everything the function imports is bundled, so the deployment does not
 * depend on the SDK version the runtime happens to carry.
 */
const ENTRY_DIR = 'src/entrypoints/lambda';
const OUT_DIR = 'dist/lambda';
const NOT_ENTRIES = new Set(['services.ts']);

const entries = readdirSync(ENTRY_DIR).filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts') && !NOT_ENTRIES.has(file));

rmSync(OUT_DIR, { recursive: true, force: true });
for (const file of entries) {
  const name = basename(file, '.ts');
  const outfile = join(OUT_DIR, name, 'index.mjs');
  await build({
    entryPoints: [join(ENTRY_DIR, file)],
    outfile,
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
  });
  console.log(`${outfile.padEnd(40)} ${(statSync(outfile).size / 1024).toFixed(1).padStart(8)} KB`);
}
