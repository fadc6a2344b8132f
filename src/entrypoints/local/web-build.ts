import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The newest modification time under a path (a file, or a folder walked whole). */
function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/**
 * `npm start` on a fresh clone has no web/dist: build the SPA first (a second or two), and again
 * whenever its sources are newer than the build. Offline: Vite and every dependency are local.
 */
export function ensureWebBuilt(webDir = 'web'): void {
  const built = join(webDir, 'dist', 'index.html');
  const sources = Math.max(newest(join(webDir, 'src')), newest(join(webDir, 'index.html')), newest(join(webDir, 'public')), newest(join(webDir, 'vite.config.ts')));
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  console.log('Building the web app (web/dist)…');
  const result = spawnSync(process.execPath, [join('node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join(webDir, 'vite.config.ts'), '--logLevel', 'warn'], {
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('The web app did not build: see the messages above, or run npm run build:web.');
}
