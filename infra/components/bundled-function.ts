import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

export interface FunctionSpec {
  /** Folder under dist/lambda (the entry module's name). */
  bundle: string;
  /** The code's folder when it is not `bundleDir/bundle` (the chat function built with a model module). */
  codeDir?: string;
  timeoutSeconds: number;
  memoryMb: number;
  /** What the function may do, and to which resources; nothing else. */
  grants: Array<{ actions: string[]; resources: pulumi.Input<string>[] }>;
  /** Instances kept for this function alone, and the most it may run at once. Unset: none reserved. */
  reservedConcurrency?: number;
}

export interface BundleSettings {
  /** dist/lambda as written by `npm run build`, an absolute path. */
  bundleDir: string;
  logRetentionDays: number;
}

/**
 * A Lambda from one bundle of `npm run build` (Node.js 22, arm64, ESM), with its own log group and
 * its own role, which allows writing those logs and the spec's grants, nothing else.
 */
export function bundledFunction(
  name: string,
  spec: FunctionSpec,
  settings: BundleSettings,
  environment: Record<string, pulumi.Input<string>>,
  parentResource: pulumi.Resource,
): aws.lambda.Function {
  const parent = { parent: parentResource };
  const bundle = spec.codeDir ?? join(settings.bundleDir, spec.bundle);
  if (!existsSync(join(bundle, 'index.mjs'))) {
    // Pulumi would only say so halfway through an update, after creating everything else.
    throw new Error(`The ${spec.bundle} function is not built (${bundle}/index.mjs is missing). Run \`npm run build\` first.`);
  }
  const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, { retentionInDays: settings.logRetentionDays }, parent);
  const role = new aws.iam.Role(`${name}-role`, { assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: 'lambda.amazonaws.com' }) }, parent);
  const statements = [{ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [pulumi.interpolate`${logGroup.arn}:*`] }, ...spec.grants];
  const policy = new aws.iam.RolePolicy(
    `${name}-policy`,
    {
      role: role.id,
      policy: pulumi.output(statements).apply((resolved) =>
        JSON.stringify({
          Version: '2012-10-17',
          Statement: resolved.map((statement) => ({ Effect: 'Allow', Action: statement.actions, Resource: statement.resources })),
        }),
      ),
    },
    parent,
  );
  return new aws.lambda.Function(
    name,
    {
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      handler: 'index.handler',
      code: new pulumi.asset.FileArchive(bundle),
      role: role.arn,
      timeout: spec.timeoutSeconds,
      memorySize: spec.memoryMb,
      ...(spec.reservedConcurrency !== undefined && { reservedConcurrentExecutions: spec.reservedConcurrency }),
      environment: { variables: environment },
      loggingConfig: { logFormat: 'JSON', logGroup: logGroup.name },
    },
    // Its permissions exist before it can run (an event source mapping checks them at creation).
    { parent: parentResource, dependsOn: [policy] },
  );
}
