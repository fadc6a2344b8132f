import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORIGIN_VERIFY_HEADER } from '../../src/entrypoints/http/origin-verify.js';
import { PROJECT_ROOT } from '../../infra/project-root.js';
import { MOCK_DISTRIBUTION_DOMAIN } from '../support/pulumi-mocks.mjs';
import { runAsPulumiCli, type ProgramRun } from '../support/pulumi-language-host.js';

/** What `pulumi up` needs of the repository: the program, the code it imports, the project files. */
const PROJECT_FILES = ['package.json', 'tsconfig.json', 'Pulumi.yaml', 'Pulumi.dev.yaml', 'infra', 'src'];

/**
 * The dev stack's program run the way the Pulumi CLI runs it, in a copy of the project built as
 * `npm run build` leaves it: Pulumi.yaml's Node arguments, `infra/` as the working directory, the
 * config of Pulumi.yaml and Pulumi.dev.yaml. Vitest's own run of the program (stack.test.ts)
 * cannot see a program that the CLI fails to load, or paths that only work from the root.
 */
describe('the Pulumi program, run as the Pulumi CLI runs it', () => {
  let project: string;
  let program: ProgramRun;
  let siteFiles: string[];
  const ofType = (type: string) => program.resources.filter((resource) => resource.type === type);
  const onDisk = (path: string) => resolve(program.cwd, path);

  beforeAll(async () => {
    project = mkdtempSync(join(tmpdir(), 'pulumi-project-'));
    for (const entry of PROJECT_FILES) cpSync(join(PROJECT_ROOT, entry), join(project, entry), { recursive: true });
    symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(project, 'node_modules'), 'dir');
    // `npm run build`: the real Lambda bundles, and the SPA as Vite lays it out (a real one is slow to build).
    await promisify(execFile)(process.execPath, ['--import', 'tsx', 'infra/build/bundle-lambdas.ts'], { cwd: project });
    const web = join(project, 'web', 'dist');
    mkdirSync(join(web, 'assets'), { recursive: true });
    mkdirSync(join(web, '.vite'));
    writeFileSync(join(web, 'index.html'), '<!doctype html><html><head><script type="module" src="/assets/index-1a2b.js"></script></head></html>');
    writeFileSync(join(web, 'assets', 'index-1a2b.js'), 'export {};');
    writeFileSync(join(web, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(web, '.vite', 'manifest.json'), JSON.stringify({ 'index.html': { file: 'assets/index-1a2b.js' } }));
    siteFiles = ['assets/index-1a2b.js', 'favicon.svg', 'index.html'];

    program = await runAsPulumiCli(project, 'dev');
  }, 180_000);
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it('loads the TypeScript program from infra/, its working directory', () => {
    expect(program.cwd).toBe(join(project, 'infra'));
    expect(ofType('aws:lambda/function:Function').length).toBeGreaterThan(0);
  });

  it('names Lambda archives that exist: each a built bundle', () => {
    const functions = ofType('aws:lambda/function:Function');
    expect(functions.map((fn) => fn.name).sort()).toEqual([
      'chat-chat',
      'chat-conversations',
      'chat-file-processor',
      'chat-files',
      'chat-health',
      'chat-history-expiry',
      'chat-usage',
    ]);
    for (const fn of functions) {
      const code = fn.inputs.code as { archive: string; path: string };
      expect(code.archive, fn.name).toBe('FileArchive');
      expect(existsSync(join(onDisk(code.path), 'index.mjs')), `${fn.name}: ${code.path}`).toBe(true);
    }
    // Built for every stack, deployed by those that allow sign-up domains (the dev stack does not).
    expect(existsSync(join(project, 'dist', 'lambda', 'sign-up-guard', 'index.mjs'))).toBe(true);
  });

  it('makes the dev stack invitation only, with concurrency reserved for the chat', () => {
    const pool = ofType('aws:cognito/userPool:UserPool')[0]!.inputs;
    expect(pool.adminCreateUserConfig).toMatchObject({ allowAdminCreateUserOnly: true });
    expect(pool.lambdaConfig).toBeUndefined();
    for (const fn of ofType('aws:lambda/function:Function')) {
      expect(fn.inputs.reservedConcurrentExecutions, fn.name).toBe(fn.name === 'chat-chat' ? 10 : undefined);
    }
  });

  it('uploads every file of the built SPA, from where the build put it', () => {
    const objects = ofType('aws:s3/bucketObjectv2:BucketObjectv2').map((object) => object.inputs);
    const fromFiles = objects.filter((object) => object.key !== 'config.json');
    expect(fromFiles.map((object) => object.key).sort()).toEqual(siteFiles);
    for (const object of fromFiles) {
      const source = object.source as { asset: string; path: string } | undefined;
      // index.html is sent as content (the stack adds a preload to it); the rest as files.
      if (object.key === 'index.html') expect(object.content).toContain('<script type="module"');
      else expect(source && existsSync(onDisk(source.path)) && statSync(onDisk(source.path)).isFile(), String(object.key)).toBe(true);
    }
  });

  it("lets the browser upload from the site's own origin only: no localhost in the dev stack", () => {
    const cors = ofType('aws:s3/bucketCorsConfiguration:BucketCorsConfiguration')[0]!.inputs;
    expect(cors.corsRules).toEqual([expect.objectContaining({ allowedMethods: ['PUT'], allowedOrigins: [`https://${MOCK_DISTRIBUTION_DOMAIN}`] })]);
    expect(JSON.stringify(program.resources)).not.toMatch(/localhost|127\.0\.0\.1/);
  });

  it('makes the dev stack one that `npm run destroy` removes whole', () => {
    for (const bucket of ofType('aws:s3/bucket:Bucket')) expect(bucket.inputs.forceDestroy, bucket.name).toBe(true);
    for (const table of ofType('aws:dynamodb/table:Table')) expect(table.inputs.deletionProtectionEnabled, table.name).toBe(false);
    expect(ofType('aws:cognito/userPool:UserPool')[0]!.inputs.deletionProtection).toBe('INACTIVE');
  });

  it('sends the API the origin secret from CloudFront, and gives the functions the same one', () => {
    const cdn = ofType('aws:cloudfront/distribution:Distribution')[0]!.inputs;
    const api = (cdn.origins as Array<{ originId: string; customHeaders?: Array<{ name: string; value: string }> }>).find((origin) => origin.originId === 'api')!;
    const secret = api.customHeaders?.find((header) => header.name === ORIGIN_VERIFY_HEADER)?.value;
    expect(secret).toEqual(expect.any(String));
    for (const fn of ofType('aws:lambda/function:Function').filter((fn) => fn.name !== 'chat-history-expiry')) {
      expect((fn.inputs.environment as { variables: Record<string, string> }).variables.ORIGIN_VERIFY_SECRET, fn.name).toBe(secret);
    }
  });

  it('leaves nothing of the run in the repository copy but what the build made', () => {
    const made = readdirSync(project).filter((entry) => !PROJECT_FILES.includes(entry));
    expect(made.sort()).toEqual(['dist', 'node_modules', 'web']);
    expect(relative(project, program.cwd)).toBe('infra');
  });
});
