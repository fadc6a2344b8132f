import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join } from 'node:path';

/**
 * `npm run decode-stack -- <function> < trace.txt`: a stack trace from a function's logs with
 * every `/var/task/<file>.mjs:line:column` also given as the src/ line it came from, read from the
 * source maps the last `npm run build` kept in dist/lambda-maps (they are not deployed). Decode
 * with the maps of the build that was deployed.
 */
const [fn] = process.argv.slice(2);
if (!fn) {
  console.error('Usage: npm run decode-stack -- <function, e.g. chat> < stack-trace.txt');
  process.exit(2);
}
const mapsDir = join('dist/lambda-maps', fn);
if (!existsSync(mapsDir)) {
  console.error(`No source maps in ${mapsDir}: run npm run build first.`);
  process.exit(2);
}

const maps = new Map<string, SourceMap | undefined>();
function mapOf(file: string): SourceMap | undefined {
  if (!maps.has(file)) {
    const path = join(mapsDir, `${file}.map`);
    maps.set(file, existsSync(path) ? new SourceMap(JSON.parse(readFileSync(path, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]) : undefined);
  }
  return maps.get(file);
}

const FRAME = /(?:file:\/\/)?\/var\/task\/([\w./-]+\.mjs):(\d+):(\d+)/g;
const trace = readFileSync(0, 'utf8');
process.stdout.write(
  trace.replace(FRAME, (frame: string, file: string, line: string, column: string) => {
    // Stack traces count from 1; source maps from 0.
    const entry = mapOf(file)?.findEntry(Number(line) - 1, Number(column) - 1);
    if (!entry || !('originalSource' in entry)) return frame;
    const source = entry.originalSource.replace(/^(\.\.\/)+/, '');
    return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  }),
);
