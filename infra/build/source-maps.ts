import { mkdirSync, readdirSync, renameSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/**
 * Moves every `.map` under `from` to the same place under `to`: source maps stay beside the
 * bundles for `npm run decode-stack`, never inside what is deployed (lambda-bundle-options.ts says why).
 */
export function moveSourceMaps(from: string, to: string): void {
  for (const entry of readdirSync(from, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.map')) continue;
    const source = join(entry.parentPath, entry.name);
    const target = join(to, relative(from, source));
    mkdirSync(dirname(target), { recursive: true });
    renameSync(source, target);
  }
}
