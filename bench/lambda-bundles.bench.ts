import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import type { BenchResult } from './support/report.js';

const RUNS = 7;
/**
 * What the stack gives the functions (infra/components/functions.ts), with the Bedrock model: each
 * entry builds its handler's services at import, as in Lambda's init phase (nothing is called).
 */
const LAMBDA_ENV = {
  STORE: 'aws',
  AUTH_MODE: 'cognito',
  COGNITO_USER_POOL_ID: 'eu-west-1_example',
  COGNITO_CLIENT_ID: 'example',
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  CHAT_HISTORY_TABLE: 'chat-history',
  FILE_METADATA_TABLE: 'file-metadata',
  USAGE_TABLE: 'usage',
  UPLOAD_BUCKET: 'chat-uploads',
  MODEL_PROVIDER: 'bedrock',
  MODEL_ID: 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0',
  TITLE_MODEL_ID: 'eu.anthropic.claude-haiku-4-5-20251001-v1:0',
  LOG_LEVEL: 'SILENT',
};

/**
 * The Lambda bundles `npm run build` makes: deployed size (deflated, as in the zip Lambda gets) and
 * cold-start import time (a fresh `node` importing the bundle) against an empty handler. On Lambda
 * the import runs in the init phase, which has a full CPU; what a user waits for is init and the
 * first request, which loads the on-demand chunks: both are measured.
 */
export async function lambdaBundlesBench(): Promise<BenchResult> {
  execFileSync(process.execPath, ['--import', 'tsx', 'infra/build/bundle-lambdas.ts'], { stdio: 'ignore' });
  const dir = mkdtempSync(join(tmpdir(), 'empty-handler-'));
  const empty = join(dir, 'index.mjs');
  writeFileSync(empty, 'export const handler = async () => ({ statusCode: 200, body: "" });\n');
  try {
    const baseline = medianImportMs(empty);
    const rows = readdirSync('dist/lambda').map((name) => {
      const folder = join('dist/lambda', name);
      // What the function's zip holds (infra/components/functions.ts zips the whole folder; the
      // source maps are kept apart, in dist/lambda-maps), and what a cold start loads first.
      const code = filesUnder(folder);
      const zipped = code.reduce((sum, file) => sum + deflateRawSync(readFileSync(file), { level: 9 }).length, 0);
      const shipped = code.reduce((sum, file) => sum + statSync(file).size, 0);
      const entry = statSync(join(folder, 'index.mjs')).size;
      const importMs = medianImportMs(resolve(folder, 'index.mjs'));
      // A first request also loads whatever the function imports on demand: the chunks beside
      // index.mjs (the extraction worker, under readers/, runs in a thread of its own and is left out).
      const chunks = readdirSync(folder).filter((file) => file.endsWith('.mjs') && file !== 'index.mjs');
      const firstUseMs = medianImportMs(resolve(folder, 'index.mjs'), chunks.map((chunk) => resolve(folder, chunk)));
      return {
        function: name,
        'entry KB': entry / 1024,
        'all code KB': shipped / 1024,
        'zipped KB': zipped / 1024,
        'import ms': importMs,
        'empty handler ms': baseline,
        'over empty ms': importMs - baseline,
        'with on-demand chunks ms': firstUseMs,
      };
    });
    return {
      name: 'Lambda bundles',
      description: `esbuild ESM bundles for Node.js 22, one composition per function (the entry with the adapter families it imports, the chunks its dependencies load on demand, the extraction worker); import time is the median of ${RUNS} fresh node processes, alone and with every on-demand chunk loaded after it (an upper bound of what a first request adds) (goal: under 1 MB zipped, under 150 ms over an empty handler)`,
      rows,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Median time a fresh `node` takes to import `file`, then the `thenLoaded` modules one after another. */
function medianImportMs(file: string, thenLoaded: string[] = []): number {
  const imports = [file, ...thenLoaded].map((path) => `await import(${JSON.stringify(pathToFileURL(path).href)});`).join(' ');
  const script =
    'globalThis.awslambda = { streamifyResponse: (h) => h, HttpResponseStream: { from: (s) => s } };' +
    `const t = performance.now(); ${imports} console.log(performance.now() - t);`;
  const times = Array.from({ length: RUNS }, () =>
    Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, ...LAMBDA_ENV } }).toString().trim()),
  ).sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(folder, entry.name)) : [join(folder, entry.name)],
  );
}
