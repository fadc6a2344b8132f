import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { explainBedrockError } from '../../infra/deploy/checks/bedrock-errors.js';
import { checkLambdaConcurrency, type AccountConcurrency } from '../../infra/deploy/checks/lambda.js';
import { checkPassphrase, checkPulumiStack } from '../../infra/deploy/checks/pulumi.js';
import type { CommandResult } from '../../infra/deploy/checks/run-command.js';
import { readStackConfig, requestedStack } from '../../infra/deploy/checks/stack-config.js';

const repoRoot = resolve(import.meta.dirname, '../..');
const preflight = join(repoRoot, 'infra/deploy/preflight.ts');
const PROFILE_ID = 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0';
/** The stack file overrides the project's model, so the stand-in sees which one won. */
const STACK_PROFILE_ID = 'eu.anthropic.claude-haiku-4-5-20251001-v1:0';

const temps: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
};
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A bin folder holding only `node`, so nothing else on this machine (a real pulumi) is found. */
function binWithNodeOnly(): string {
  const bin = tempDir('preflight-bin-');
  symlinkSync(process.execPath, join(bin, 'node'));
  return bin;
}

/** A fake `pulumi` answering `version`, `whoami --verbose` and `stack ls --json` (dev selected) as the real one does. */
function fakePulumiBin(backendUrl: string): string {
  const bin = tempDir('preflight-pulumi-');
  const script = [
    '#!/bin/sh',
    'case "$1" in',
    "  version) printf 'v3.150.0\\n' ;;",
    `  whoami) printf 'User: newcomer\\nOrganizations: newcomer\\nBackend URL: %s\\n' '${backendUrl}' ;;`,
    `  stack) printf '%s\\n' '[{"name":"dev","current":true}]' ;;`,
    "  *) printf 'fake pulumi: unexpected %s\\n' \"$*\" >&2; exit 2 ;;",
    'esac',
    '',
  ].join('\n');
  writeFileSync(join(bin, 'pulumi'), script);
  chmodSync(join(bin, 'pulumi'), 0o755);
  return bin;
}

/** A Pulumi project of its own, so the tests do not depend on the repository's stack settings. */
function projectDir(stackLines: string[] = []): string {
  const dir = tempDir('preflight-project-');
  writeFileSync(
    join(dir, 'Pulumi.yaml'),
    ['name: preflight-test', 'runtime: nodejs', 'config:', '  aws:region: eu-west-1', `  chat:modelId: ${PROFILE_ID}`, '  chat:modelProvider: bedrock', ''].join('\n'),
  );
  writeFileSync(join(dir, 'Pulumi.dev.yaml'), ['config:', `  chat:modelId: ${STACK_PROFILE_ID}`, ...stackLines, ''].join('\n'));
  return dir;
}

/**
 * The environment of a newcomer's machine: nothing of AWS or Pulumi set, an empty HOME (no
 * ~/.aws, no ~/.pulumi), and no instance metadata lookups: a test never leaves 127.0.0.1.
 */
function cleanEnv(path: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('AWS_') && !key.startsWith('PULUMI_')) env[key] = value;
  }
  return { ...env, PATH: path, HOME: tempDir('preflight-home-'), AWS_EC2_METADATA_DISABLED: 'true', ...extra };
}

interface Run {
  code: number | null;
  output: string;
}

function runPreflight(env: NodeJS.ProcessEnv, project: string): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', preflight, '--cwd', project], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', fail);
    child.once('close', (code) => done({ code, output }));
  });
}

type StandInReply = 'answer' | 'accessDenied';

/**
 * Bedrock Runtime's Converse on 127.0.0.1 (test/support/fake-bedrock.ts speaks ConverseStream
 * only): the JSON answer, or the 403 Bedrock gives before the Marketplace subscription exists.
 */
async function startConverseStandIn() {
  const requests: { modelId: string; body: Record<string, unknown> }[] = [];
  let reply: StandInReply = 'answer';
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const match = /^\/model\/([^/]+)\/converse$/.exec(req.url ?? '');
      if (req.method !== 'POST' || !match) {
        res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-ErrorType': 'UnknownOperationException' }).end('{}');
        return;
      }
      requests.push({ modelId: decodeURIComponent(match[1]!), body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> });
      if (reply === 'accessDenied') {
        res.writeHead(403, { 'content-type': 'application/json', 'x-amzn-ErrorType': 'AccessDeniedException' });
        res.end(
          JSON.stringify({
            message:
              'Model access is denied due to IAM user or service role is not authorized to perform the required AWS Marketplace actions (aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe) to enable access to this model.',
          }),
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          output: { message: { role: 'assistant', content: [{ text: 'o' }] } },
          stopReason: 'max_tokens',
          usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
          metrics: { latencyMs: 5 },
        }),
      );
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    replyWith: (next: StandInReply) => (reply = next),
    close: () =>
      new Promise<void>((closed) => {
        server.close(() => closed());
        server.closeAllConnections();
      }),
  };
}

/**
 * Lambda's GetAccountSettings (REST-JSON, GET /2016-08-19/account-settings) on 127.0.0.1, with
 * the account's concurrency quota and what is left unreserved.
 */
async function startLambdaStandIn() {
  const requests: { method?: string; url?: string; signed: boolean }[] = [];
  let account: AccountConcurrency = { limit: 1000, unreserved: 1000 };
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests.push({ method: req.method, url: req.url, signed: /^AWS4-HMAC-SHA256 /.test(req.headers.authorization ?? '') });
      if (req.method !== 'GET' || !/^\/2016-08-19\/account-settings\/?(\?|$)/.test(req.url ?? '')) {
        res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-ErrorType': 'ResourceNotFoundException' }).end('{"Message":"not stood in for"}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          AccountLimit: {
            TotalCodeSize: 80530636800,
            CodeSizeUnzipped: 262144000,
            CodeSizeZipped: 52428800,
            ConcurrentExecutions: account.limit,
            UnreservedConcurrentExecutions: account.unreserved,
          },
          AccountUsage: { TotalCodeSize: 0, FunctionCount: 0 },
        }),
      );
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    account: (next: AccountConcurrency) => (account = next),
    close: () =>
      new Promise<void>((closed) => {
        server.close(() => closed());
        server.closeAllConnections();
      }),
  };
}

describe('npm run deploy:check', () => {
  it('on a bare machine, names the Pulumi CLI and AWS credentials as missing and fails', async () => {
    const bin = binWithNodeOnly();
    expect(existsSync(join(bin, 'pulumi'))).toBe(false);

    const { code, output } = await runPreflight(cleanEnv(bin), projectDir());

    expect(code).not.toBe(0);
    expect(output).toMatch(/✘ Pulumi CLI: not found on PATH/);
    expect(output).toContain('https://www.pulumi.com/docs/install/');
    expect(output).toMatch(/– Pulumi backend login: not checked: needs the Pulumi CLI/);
    expect(output).toMatch(/✘ AWS credentials: none found/);
    expect(output).toMatch(/– Bedrock model access: not checked: needs AWS credentials/);
    expect(output).toMatch(/^Missing: the Pulumi CLI, AWS credentials$/m);
  });

  it('with a local (file://) backend and no passphrase, names PULUMI_CONFIG_PASSPHRASE as missing', async () => {
    const path = `${fakePulumiBin('file://~')}:${binWithNodeOnly()}`;

    const { code, output } = await runPreflight(cleanEnv(path), projectDir());

    expect(code).toBe(1);
    expect(output).toMatch(/✔ Pulumi CLI: v3\.150\.0/);
    expect(output).toMatch(/✔ Pulumi backend login: newcomer on file:\/\/~/);
    expect(output).toMatch(/✔ Pulumi stack: dev is selected/);
    expect(output).toMatch(/✘ Pulumi passphrase: .*PULUMI_CONFIG_PASSPHRASE is not set/);
    expect(output).toMatch(/^Missing: .*PULUMI_CONFIG_PASSPHRASE/m);
  });

  describe('with Bedrock and Lambda stood in for on 127.0.0.1', () => {
    let standIn: Awaited<ReturnType<typeof startConverseStandIn>>;
    let lambda: Awaited<ReturnType<typeof startLambdaStandIn>>;
    beforeAll(async () => {
      standIn = await startConverseStandIn();
      lambda = await startLambdaStandIn();
    });
    afterEach(() => {
      standIn.requests.length = 0;
      standIn.replyWith('answer');
      lambda.requests.length = 0;
    });
    afterAll(async () => {
      await standIn.close();
      await lambda.close();
    });

    const readyEnv = () =>
      cleanEnv(`${fakePulumiBin('file:///srv/pulumi-state')}:${binWithNodeOnly()}`, {
        PULUMI_CONFIG_PASSPHRASE: 'correct horse battery staple',
        AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        AWS_REGION: 'eu-west-1',
        AWS_ENDPOINT_URL_BEDROCK_RUNTIME: standIn.url,
        AWS_ENDPOINT_URL_LAMBDA: lambda.url,
      });

    it('when everything is in place, makes one one-token Converse call and succeeds', async () => {
      const { code, output } = await runPreflight(readyEnv(), projectDir());

      expect(output).toMatch(/✔ Pulumi passphrase: PULUMI_CONFIG_PASSPHRASE is set/);
      expect(output).toMatch(/✔ AWS credentials: access key AKIA…MPLE/);
      expect(output).toMatch(/✔ AWS region: eu-west-1/);
      expect(output).toMatch(new RegExp(`✔ Bedrock model access: ${STACK_PROFILE_ID.replaceAll('.', '\\.')} answered in eu-west-1`));
      expect(output).toMatch(/– Lambda concurrency: not needed: chat:chatReservedConcurrency is not set/);
      expect(lambda.requests).toHaveLength(0);
      expect(output).toMatch(/^Ready: stack dev can be deployed/m);
      expect(code).toBe(0);
      expect(standIn.requests).toHaveLength(1);
      expect(standIn.requests[0]!.modelId).toBe(STACK_PROFILE_ID);
      expect(standIn.requests[0]!.body).toMatchObject({ messages: [{ role: 'user' }], inferenceConfig: { maxTokens: 1 } });
    });

    it('explains a Marketplace AccessDeniedException in plain words and fails', async () => {
      standIn.replyWith('accessDenied');

      const { code, output } = await runPreflight(readyEnv(), projectDir());

      expect(code).toBe(1);
      expect(output).toMatch(/✘ Bedrock model access: no access to .* yet: Model access is denied/);
      expect(output).toContain('one-time use case form in the Bedrock console');
      expect(output).toContain('aws-marketplace:Subscribe, aws-marketplace:Unsubscribe and aws-marketplace:ViewSubscriptions');
      expect(output).toMatch(new RegExp(`^Missing: Bedrock access to ${STACK_PROFILE_ID.replaceAll('.', '\\.')}$`, 'm'));
    });

    it('with chat:chatReservedConcurrency set and room in the quota, reads the account settings once and succeeds', async () => {
      lambda.account({ limit: 1000, unreserved: 1000 });

      const { code, output } = await runPreflight(readyEnv(), projectDir(['  chat:chatReservedConcurrency: 10']));

      expect(output).toMatch(/✔ Lambda concurrency: reserving 10 leaves 990 of the account's 1000 concurrent executions unreserved in eu-west-1/);
      expect(output).toMatch(/^Ready: stack dev can be deployed/m);
      expect(code).toBe(0);
      expect(lambda.requests).toEqual([{ method: 'GET', url: expect.stringMatching(/^\/2016-08-19\/account-settings/), signed: true }]);
    });

    it("with a new account's quota of 10, names the Service Quotas raise and `pulumi config rm` and fails", async () => {
      lambda.account({ limit: 10, unreserved: 10 });

      const { code, output } = await runPreflight(readyEnv(), projectDir(['  chat:chatReservedConcurrency: 10']));

      expect(code).toBe(1);
      expect(output).toMatch(/✘ Lambda concurrency: the account's Lambda quota in eu-west-1 .* is 10 concurrent executions; reserving 10 for the chat would leave 0 unreserved/);
      expect(output).toMatch(/fix: ask for a higher "Concurrent executions" quota \(at least 110\) .*quota code L-B99A9384/);
      expect(output).toContain('or deploy without a reservation: `pulumi config rm chat:chatReservedConcurrency --stack dev`');
      expect(output).toMatch(/^Missing: Lambda concurrency for chat:chatReservedConcurrency$/m);
      expect(lambda.requests).toHaveLength(1);
    });
  });
});

describe('deploy check pieces', () => {
  it('reads the stack file over the project file, leaving secure values out', () => {
    const dir = projectDir();
    writeFileSync(join(dir, 'Pulumi.prod.yaml'), ['encryptionsalt: v1:abc', 'config:', '  aws:region: us-east-1', '  chat:apiKey:', '    secure: v1:xyz', ''].join('\n'));

    const config = readStackConfig(dir, 'prod');

    expect(config.values).toMatchObject({ 'aws:region': 'us-east-1', 'chat:modelId': PROFILE_ID, 'chat:modelProvider': 'bedrock' });
    expect(config.values).not.toHaveProperty('chat:apiKey');
    expect(config.usesPassphraseSecrets).toBe(true);
  });

  it('takes the stack asked for from --stack, then PULUMI_STACK', () => {
    expect(requestedStack(['--stack', 'prod'], { PULUMI_STACK: 'qa' })).toBe('prod');
    expect(requestedStack(['--stack=acme/chat/prod'], {})).toBe('prod');
    expect(requestedStack([], { PULUMI_STACK: 'qa' })).toBe('qa');
    expect(requestedStack([], {})).toBeUndefined();
  });

  it('checks the stack pulumi up would deploy: the one asked for, else the selected one', async () => {
    const listing = (stacks: object[]) => async (): Promise<CommandResult> => ({ notFound: false, timedOut: false, exitCode: 0, stdout: JSON.stringify(stacks), stderr: '' });
    const two = listing([{ name: 'acme/dev', current: false }, { name: 'acme/prod', current: true }]);
    expect(await checkPulumiStack(two, true, undefined)).toMatchObject({ stack: 'prod', result: { status: 'ok', detail: 'prod is selected' } });
    expect(await checkPulumiStack(two, true, 'dev')).toMatchObject({ stack: 'dev', result: { status: 'ok' } });
    expect(await checkPulumiStack(two, true, 'qa')).toMatchObject({ result: { status: 'missing', fix: 'run `pulumi stack init qa`' } });
    expect(await checkPulumiStack(listing([]), true, undefined)).toMatchObject({ result: { status: 'missing', detail: 'no stack yet' } });
    expect((await checkPulumiStack(listing([{ name: 'dev' }]), true, undefined)).result).toMatchObject({ status: 'missing', fix: 'run `pulumi stack select <name>`' });
    expect((await checkPulumiStack(two, false, undefined)).result.status).toBe('skipped');
    expect(await checkPulumiStack(two, true, undefined)).toMatchObject({ deployed: false });
    expect(await checkPulumiStack(listing([{ name: 'dev', current: true, resourceCount: 42 }]), true, 'dev')).toMatchObject({ deployed: true });
  });

  it('knows a file:// PULUMI_BACKEND_URL needs the passphrase even without the CLI', () => {
    const result = checkPassphrase({ env: { PULUMI_BACKEND_URL: 'file:///state' }, backendUrl: undefined, cliFound: false, stackUsesPassphrase: false });
    expect(result.status).toBe('missing');
    expect(checkPassphrase({ env: {}, backendUrl: 'https://app.pulumi.com/someone', cliFound: true, stackUsesPassphrase: false }).status).toBe('skipped');
  });

  it('does not count a deployed stack\'s own reservation twice, and skips what it need not check', async () => {
    const config = (reserved?: number) => ({ stack: 'dev', values: reserved === undefined ? {} : { 'chat:chatReservedConcurrency': reserved }, usesPassphraseSecrets: false });
    const check = (reserved: number | undefined, account: AccountConcurrency, more: { stackDeployed?: boolean; credentialsFound?: boolean } = {}) =>
      checkLambdaConcurrency({
        config: config(reserved),
        region: 'eu-west-1',
        credentialsFound: more.credentialsFound ?? true,
        stackDeployed: more.stackDeployed ?? false,
        env: {},
        read: async () => account,
      });
    // A quota of 110 once the chat function holds its 10: 100 left unreserved.
    const afterFirstDeploy = { limit: 110, unreserved: 100 };

    expect((await check(10, afterFirstDeploy, { stackDeployed: true })).status).toBe('ok');
    expect(await check(10, afterFirstDeploy)).toMatchObject({ status: 'missing', detail: expect.stringContaining('counted as a first deploy') });
    expect((await check(10, { limit: 110, unreserved: 110 })).status).toBe('ok');
    expect(await check(undefined, { limit: 10, unreserved: 10 })).toMatchObject({ status: 'skipped', detail: expect.stringMatching(/^not needed/) });
    expect(await check(10, { limit: 10, unreserved: 10 }, { credentialsFound: false })).toMatchObject({ status: 'skipped', detail: 'not checked: needs AWS credentials' });
  });

  it('words the other Bedrock failures for a newcomer', () => {
    const error = (name: string, message: string) => Object.assign(new Error(message), { name });
    const where = { modelId: 'anthropic.claude-sonnet-4-5-20250929-v1:0', region: 'eu-west-1' };

    expect(explainBedrockError(error('ValidationException', "Invocation of model ID anthropic.claude-sonnet-4-5-20250929-v1:0 with on-demand throughput isn't supported."), where).fix).toMatch(
      /inference profile available in eu-west-1/,
    );
    expect(explainBedrockError(error('AccessDeniedException', 'Model use case details have not been submitted for this account.'), where).fix).toMatch(
      /submit use case details/,
    );
    expect(explainBedrockError(error('ResourceNotFoundException', 'Model not found.'), where).detail).toMatch(/not found in eu-west-1/);
    expect(explainBedrockError(error('UnrecognizedClientException', 'The security token included in the request is invalid.'), where).detail).toMatch(
      /did not accept the credentials/,
    );
    expect(explainBedrockError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }), { ...where, endpoint: 'http://127.0.0.1:9' }).fix).toMatch(
      /AWS_ENDPOINT_URL_BEDROCK_RUNTIME/,
    );
  });
});
