import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleInputs } from '../../infra/build/bundle-inputs.js';
import { ENTRY_DIR, lambdaEntries } from '../../infra/build/lambda-bundle-options.js';
import { runStackWithMocks, type Registered } from '../support/pulumi-stack.js';
import { reachableSdkExports, sourceProgram, type SdkExport } from '../support/reachable-sdk-exports.js';

/*
 * Each function's role against what its code can send, derived rather than listed: the modules
 * of its bundle as `npm run build` makes it (esbuild), the AWS SDK commands its handler can reach
 * in them (the TypeScript checker), and the IAM actions of those commands (the table below).
 */

/**
 * The IAM actions of each SDK command the code sends. A command missing here fails the tests
 * below, so that none goes ungranted: add it, with the actions its operation needs.
 */
const ACTIONS_OF_COMMANDS: Record<string, Record<string, string[]>> = {
  '@aws-sdk/lib-dynamodb': {
    GetCommand: ['dynamodb:GetItem'],
    PutCommand: ['dynamodb:PutItem'],
    UpdateCommand: ['dynamodb:UpdateItem'],
    DeleteCommand: ['dynamodb:DeleteItem'],
    QueryCommand: ['dynamodb:Query'],
    BatchWriteCommand: ['dynamodb:BatchWriteItem'],
    BatchGetCommand: ['dynamodb:BatchGetItem'],
  },
  '@aws-sdk/client-dynamodb': {
    GetItemCommand: ['dynamodb:GetItem'],
    PutItemCommand: ['dynamodb:PutItem'],
    UpdateItemCommand: ['dynamodb:UpdateItem'],
    DeleteItemCommand: ['dynamodb:DeleteItem'],
    QueryCommand: ['dynamodb:Query'],
    BatchWriteItemCommand: ['dynamodb:BatchWriteItem'],
    // The warm-up's call at init (modules/dynamodb-stores.ts): names no table.
    DescribeEndpointsCommand: ['dynamodb:DescribeEndpoints'],
  },
  '@aws-sdk/client-s3': {
    // The code tells a missing key by S3's 404 (NoSuchKey, NotFound), which S3 gives only to a
    // role that may list the bucket: to any other it answers 403 AccessDenied.
    GetObjectCommand: ['s3:GetObject', 's3:ListBucket'],
    HeadObjectCommand: ['s3:GetObject', 's3:ListBucket'],
    PutObjectCommand: ['s3:PutObject'],
    DeleteObjectCommand: ['s3:DeleteObject'],
    DeleteObjectsCommand: ['s3:DeleteObject'],
    ListObjectsV2Command: ['s3:ListBucket'],
    // The warm-up's call at init (modules/s3-blobs.ts).
    HeadBucketCommand: ['s3:ListBucket'],
  },
  '@aws-sdk/client-bedrock-runtime': {
    ConverseCommand: ['bedrock:InvokeModel'],
    ConverseStreamCommand: ['bedrock:InvokeModelWithResponseStream'],
    InvokeModelCommand: ['bedrock:InvokeModel'],
    InvokeModelWithResponseStreamCommand: ['bedrock:InvokeModelWithResponseStream'],
  },
  // A model module's settings (src/entrypoints/modules/model-settings.ts), read at the chat function's init.
  '@aws-sdk/client-ssm': { GetParameterCommand: ['ssm:GetParameter'] },
  '@aws-sdk/client-secrets-manager': { GetSecretValueCommand: ['secretsmanager:GetSecretValue'] },
};

/**
 * Actions the code sends only with a stack setting this stack does not set, and that the stack
 * grants only then, on that one resource: reading a model module's settings (chat:modelSettings,
 * chat:modelSettingsSecretArn; model-module-stack.test.ts checks the grant).
 */
const ONLY_WITH_THEIR_SETTING = new Set(['ssm:GetParameter', 'secretsmanager:GetSecretValue']);

/** SDK exports, neither commands, clients nor errors, that call no AWS API themselves. */
const CALLS_NO_API = new Set([
  // Signs the command it is given (counted itself: a presigned PUT is the function's PutObject).
  '@aws-sdk/s3-request-presigner getSignedUrl',
]);

/**
 * Granted by the stack for AWS's own use of a role, not for anything the code sends: the Lambda
 * runtime writes each function's logs with it, and the event source mapping reads the history
 * table's stream with the expiry function's.
 */
const RUNTIME_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'];
const STREAM_READ_ACTIONS = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'];
const INFRA_ACTIONS: Record<string, string[]> = { 'history-expiry': STREAM_READ_ACTIONS };

const functionNames = lambdaEntries().map((file) => basename(file, '.ts'));
const entryOf = (name: string) => join(ENTRY_DIR, `${name}.ts`);
let bundledModules: Record<string, string[]> = {};
let sdkExports: Record<string, SdkExport[]> = {};
let registered: Registered[] = [];

beforeAll(async () => {
  // esbuild works in its own process while TypeScript reads the sources in this one.
  const inputs = Promise.all(functionNames.map((name) => bundleInputs(`${name}.ts`)));
  const program = sourceProgram([...functionNames.map(entryOf), join(ENTRY_DIR, 'awslambda.d.ts')]);
  bundledModules = Object.fromEntries((await inputs).map((modules, i) => [functionNames[i]!, modules]));
  sdkExports = Object.fromEntries(functionNames.map((name) => [name, reachableSdkExports(program, entryOf(name), bundledModules[name]!)]));
  // The stack only checks that the site and the bundles are there: what they hold is read above.
  // Allowed domains add the sign-up guard, deployed only then: its role is checked with the others.
  registered = await runStackWithMocks({ config: { 'chat:allowedEmailDomains': ['example.org'] } });
}, 120_000);

/** What the function's code can send, as IAM actions. */
function actionsOfCode(name: string): string[] {
  const unknown: string[] = [];
  const actions = (sdkExports[name] ?? []).flatMap(({ pkg, name: exported, kind }) => {
    if (kind === 'client' || kind === 'error' || CALLS_NO_API.has(`${pkg} ${exported}`)) return [];
    const known = kind === 'command' ? ACTIONS_OF_COMMANDS[pkg]?.[exported] : undefined;
    if (!known) unknown.push(`${exported} (${pkg})`);
    return known ?? [];
  });
  if (unknown.length > 0) {
    throw new Error(
      `The ${name} function's code uses ${unknown.join(', ')}, unknown to this test: add each command to ACTIONS_OF_COMMANDS with the IAM actions it needs (or, if it calls no AWS API, to CALLS_NO_API).`,
    );
  }
  return actions;
}

function grantedActions(name: string): string[] {
  const policy = registered.find((resource) => resource.type === 'aws:iam/rolePolicy:RolePolicy' && resource.name === `chat-${name}-policy`);
  if (!policy) throw new Error(`no role policy chat-${name}-policy`);
  const statements = (JSON.parse(policy.inputs.policy as string) as { Statement: Array<{ Action: string | string[] }> }).Statement;
  return statements.flatMap((statement) => statement.Action);
}

describe('IAM: each function may do what its code does, and nothing else', () => {
  it('deploys every Lambda entry, and nothing else', () => {
    const deployed = registered
      .filter((resource) => resource.type === 'aws:lambda/function:Function')
      .map((resource) => resource.name.replace(/^chat-/, ''));
    // Every entry is a deployed function: an entry no stack deploys is dead code.
    expect(deployed.sort()).toEqual([...functionNames].sort());
  });

  it.each(functionNames)('grants %s exactly the actions its code sends, and those AWS uses the role for', (name) => {
    const needed = new Set([...actionsOfCode(name), ...RUNTIME_ACTIONS, ...(INFRA_ACTIONS[name] ?? [])]);
    const granted = new Set(grantedActions(name));
    const missing = [...needed].filter((action) => !granted.has(action) && !ONLY_WITH_THEIR_SETTING.has(action)).sort();
    const extra = [...granted].filter((action) => !needed.has(action)).sort();
    const commands = (sdkExports[name] ?? []).filter((found) => found.kind === 'command').map((found) => found.name);
    expect({ missing, extra }, `${name} sends ${commands.sort().join(', ') || 'no command'}`).toEqual({ missing: [], extra: [] });
  });

  it('ships the creation of tables and buckets, for local servers only, in no function', () => {
    for (const name of functionNames) expect(bundledModules[name], name).not.toContain('src/adapters/aws/ensure-resources.ts');
  });
});
