import { build } from 'esbuild';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { entryBundle } from './lambda-bundle-options.js';

/**
 * The project's own modules (paths under src/, relative to the repository) whose code ends up in
 * the bundle of one Lambda entry (`chat.ts`), its lazily loaded chunks included: the bundle of
 * `npm run build`, made in memory. A module that tree shaking dropped entirely (only its types
 * were used) is not in it.
 */
export async function bundleInputs(entryFile: string): Promise<string[]> {
  // Nothing is written: the directory only names the outputs, which splitting requires.
  const { metafile } = await build({ ...entryBundle(entryFile, join(tmpdir(), 'bundle-inputs')), write: false, metafile: true });
  const modules = new Set<string>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      if (input.startsWith('src/') && bytesInOutput > 0) modules.add(input);
    }
  }
  return [...modules].sort();
}
