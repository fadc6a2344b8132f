import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { chatBundleWithModelModule } from './lambda-bundle-options.js';
import { moveSourceMaps } from './source-maps.js';

/**
 * Builds the chat function with a team's model module (see chatBundleWithModelModule) into
 * `outdir`, its source maps into `mapsDir`. Run by the Pulumi program itself when the stack sets
 * `chat:modelModule`, so that the setting alone is enough: `npm run build` knows no stack.
 * `root` is the repository, which the entries' paths are relative to (Pulumi runs in infra/).
 */
export async function bundleChatWithModelModule({ modulePath, outdir, mapsDir, root }: { modulePath: string; outdir: string; mapsDir: string; root: string }): Promise<void> {
  rmSync(outdir, { recursive: true, force: true });
  rmSync(mapsDir, { recursive: true, force: true });
  // esbuild prints what it found; the error names the module for the deploy's one line.
  await build({ ...chatBundleWithModelModule(modulePath, outdir), absWorkingDir: root, logLevel: 'silent' });
  moveSourceMaps(outdir, mapsDir);
}
