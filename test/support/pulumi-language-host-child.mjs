// The Node side of `pulumi up` with mocks in place of the engine. Pulumi's Node.js language host
// starts `node <Pulumi.yaml nodeargs> @pulumi/pulumi/cmd/run --monitor <engine> --pwd <program
// folder> <entry point>`; this script is started with the same Node arguments, installs the
// mocks, and hands the same flags to cmd/run (whose index runs them when required), with `mock`
// as the monitor. Plain JavaScript, so that only what Pulumi.yaml gives Node loads the program.
// Writes every declared resource to LANGUAGE_HOST_OUTPUT; cmd/run's own handlers set a non-zero
// exit code when the program cannot be loaded or fails.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { recordingMocks } from './pulumi-mocks.mjs';

const flags = process.argv.slice(2);
const { LANGUAGE_HOST_OUTPUT: output, LANGUAGE_HOST_PROJECT_ROOT: projectRoot, PULUMI_NODEJS_PROJECT: project, PULUMI_NODEJS_STACK: stack } = process.env;
// The project's own copy of the SDK: the one the program imports, so that the mocks are its monitor.
const require = createRequire(join(projectRoot, 'package.json'));
const pulumi = require('@pulumi/pulumi');
const settings = require('@pulumi/pulumi/runtime/settings.js');

const registered = [];
await pulumi.runtime.setMocks(recordingMocks(registered), project, stack, true);
// At the end cmd/run tells the engine it is done; the mock monitor has no such call.
settings.getMonitor().signalAndWaitForShutdown = (_request, callback) => callback(null);

// Written once the program's work is done. A program that failed exits non-zero all the same
// (cmd/run's own handlers see to it), and the caller then reads nothing of this.
let written = false;
process.on('beforeExit', () => {
  if (written) return;
  written = true;
  void Promise.all(registered.map(plain)).then((resources) => writeFileSync(output, JSON.stringify({ cwd: process.cwd(), resources })));
});

process.argv = [process.argv[0], require.resolve('@pulumi/pulumi/cmd/run'), '--monitor', 'mock', ...flags];
require('@pulumi/pulumi/cmd/run');

/** A registration as JSON: assets and archives become `{ asset | archive, path }`. */
async function plain(resource) {
  return { ...resource, inputs: await plainValue(resource.inputs) };
}

async function plainValue(value) {
  if (pulumi.asset.Asset.isInstance(value)) return { asset: value.constructor.name, path: await value.path };
  if (pulumi.asset.Archive.isInstance(value)) return { archive: value.constructor.name, path: await value.path };
  if (Array.isArray(value)) return Promise.all(value.map(plainValue));
  if (value && typeof value === 'object') {
    return Object.fromEntries(await Promise.all(Object.entries(value).map(async ([key, inner]) => [key, await plainValue(inner)])));
  }
  return value;
}
