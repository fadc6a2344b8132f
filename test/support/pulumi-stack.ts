import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { lambdaEntries } from '../../infra/build/lambda-bundle-options.js';
import { MOCK_REGION, recordingMocks, type Registered } from './pulumi-mocks.mjs';

export type { Registered } from './pulumi-mocks.mjs';

/**
 * The Pulumi program (infra/index.ts) under mocks: no CLI, no cloud. Every resource it declares
 * is recorded with its inputs (see pulumi-mocks.mjs). `config` adds to or replaces the stack
 * config below; `webDist` is the built SPA (by default one index.html, the least the stack takes). The Lambda bundles are stand-ins, one per entry as `npm run build` lays them out
 * (language-host.test.ts runs the program on real ones). Call once per test file: the program is
 * a module, imported once.
 */
export async function runStackWithMocks({ webDist = minimalSite(), config = {} }: { webDist?: string; config?: Record<string, unknown> } = {}): Promise<Registered[]> {
  const registered: Registered[] = [];
  const stackConfig: Record<string, unknown> = {
    'chat:webDistDir': webDist,
    'chat:bundleDir': standInBundles(),
    'aws:region': MOCK_REGION,
    'chat:modelId': 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0',
    ...config,
  };
  pulumi.runtime.setAllConfig(
    Object.fromEntries(Object.entries(stackConfig).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)])),
  );
  await pulumi.runtime.setMocks(recordingMocks(registered), 'claude-serverless-chat', 'dev', false);
  const stack = await import('../../infra/index.js');
  await new Promise<void>((resolve) => stack.apiUrl.apply(() => resolve()));
  // Let the last registrations land: wait until the count stops moving.
  for (let last = -1; last !== registered.length; ) {
    last = registered.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return registered;
}

function minimalSite(): string {
  const dir = mkdtempSync(join(tmpdir(), 'web-dist-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html>');
  return dir;
}

/** dist/lambda with an index.mjs for each entry of src/entrypoints/lambda. */
function standInBundles(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lambda-bundles-'));
  for (const entry of lambdaEntries()) {
    mkdirSync(join(dir, basename(entry, '.ts')));
    writeFileSync(join(dir, basename(entry, '.ts'), 'index.mjs'), 'export const handler = () => {};');
  }
  return dir;
}
