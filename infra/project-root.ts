import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository's root folder. The Pulumi CLI runs the program with `infra/` as the working
 * directory (Pulumi.yaml's `main`), while `npm run build` writes dist/ and web/dist from the root:
 * every path the program reads is resolved from here, never from the working directory.
 */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A path from the stack config or a default, relative to the root unless it is absolute. */
export function fromProjectRoot(path: string): string {
  return isAbsolute(path) ? path : resolve(PROJECT_ROOT, path);
}
