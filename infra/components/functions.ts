import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { Env } from '../../src/entrypoints/config.js';
import type { FunctionName } from '../../src/entrypoints/http/routes.js';

export interface FunctionsArgs {
  /** dist/lambda as written by `npm run build`, an absolute path. */
  bundleDir: string;
  chatHistoryTable: aws.dynamodb.Table;
  fileMetadataTable: aws.dynamodb.Table;
  uploadBucket: aws.s3.Bucket;
  userPoolId: pulumi.Input<string>;
  clientId: pulumi.Input<string>;
  /** Origins other than the site's own that may call the API (a dev server); usually none. */
  devOrigins: string[];
  /** What CloudFront sends in the X-Origin-Verify header; anything else is refused. */
  originVerifySecret: pulumi.Input<string>;
  modelProvider: string;
  modelId: string;
  logRetentionDays: number;
}

interface FunctionSpec {
  /** Folder under dist/lambda (the entry module's name). */
  bundle: string;
  timeoutSeconds: number;
  memoryMb: number;
  /** What the function may do, and to which resources; nothing else. */
  grants: Array<{ actions: string[]; resources: pulumi.Input<string>[] }>;
  /** Settings of this function only, on top of the ones every function gets. */
  environment?: Partial<Record<keyof Env, string>>;
}

/**
 * The deadlines of a document read, innermost first. API Gateway gives a proxy integration 29 s
 * (its default and, without a quota raise, its maximum) before it answers 504 itself; the read is
 * stopped well before that, so that the user gets the clear 422 EXTRACTION_TIMEOUT with the
 * remaining seconds left for a cold start, S3 (a 50 MB upload and its text) and DynamoDB. The
 * function outlives the gateway, so it is never killed mid-read: a Lambda timeout would leave an
 * uploaded file "uploading" instead of "failed" with its reason, and the user with a bare 502.
 */
export const EXTRACTION_TIMEOUT_MS = 20_000;
const FILE_PROCESSOR_TIMEOUT_SECONDS = 60;

/**
 * One Lambda per entrypoint (Node.js 22, arm64, one bundled ESM file each), each with its own
 * role that allows only the actions it uses on the resources it uses, and its own log group.
 */
export class Functions extends pulumi.ComponentResource {
  readonly byName: Record<FunctionName, aws.lambda.Function>;
  /** Not behind the API: removes the messages of conversations TTL deleted, from the table's stream. */
  readonly historyExpiry: aws.lambda.Function;

  constructor(name: string, args: FunctionsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('chat:index:Functions', name, {}, opts);
    const history = args.chatHistoryTable.arn;
    const historyIndexes = pulumi.interpolate`${history}/index/*`;
    const files = args.fileMetadataTable.arn;
    const filesIndexes = pulumi.interpolate`${files}/index/*`;
    const objects = pulumi.interpolate`${args.uploadBucket.arn}/*`;
    const region = aws.getRegionOutput().region;
    const account = aws.getCallerIdentityOutput().accountId;
    // A cross-region inference profile (eu.…) routes to the model in several regions: AWS offers
    // nothing narrower than the model's ARN in any region.
    const foundationModel = args.modelId.replace(/^(eu|us|apac|global)\./, '');
    const model = [
      pulumi.interpolate`arn:aws:bedrock:${region}:${account}:inference-profile/${args.modelId}`,
      `arn:aws:bedrock:*::foundation-model/${foundationModel}`,
    ];
    const readHistory = { actions: ['dynamodb:GetItem', 'dynamodb:Query'], resources: [history, historyIndexes] };
    const readFiles = { actions: ['dynamodb:GetItem'], resources: [files] };

    const specs: Record<FunctionName, FunctionSpec> = {
      health: { bundle: 'health', timeoutSeconds: 3, memoryMb: 128, grants: [] },
      chat: {
        bundle: 'chat',
        // Answers of 4,000 tokens stream for a minute or two: beyond the seed's 30 s.
        timeoutSeconds: 300,
        // Mostly waiting on the model, and billed for the wait: memory is the cost lever
        // (bench: cost model). 512 MB leaves room for documents in the prompt.
        memoryMb: 512,
        grants: [
          // Delete: a message written to a conversation deleted meanwhile is taken back.
          { actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'], resources: [history] },
          readFiles,
          { actions: ['s3:GetObject'], resources: [objects] },
          // Without ListBucket S3 answers a missing key with 403 AccessDenied instead of 404.
          { actions: ['s3:ListBucket'], resources: [args.uploadBucket.arn] },
          // ConverseStream is the one call the model adapter makes; InvokeModel (Converse) is never sent.
          { actions: ['bedrock:InvokeModelWithResponseStream'], resources: model },
        ],
      },
      conversations: {
        bundle: 'conversations',
        timeoutSeconds: 10,
        memoryMb: 512,
        grants: [readHistory, { actions: ['dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'], resources: [history] }],
      },
      files: {
        bundle: 'files',
        timeoutSeconds: 10,
        memoryMb: 512,
        grants: [
          { actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:Query'], resources: [files, filesIndexes] },
          // PutObject signs presigned uploads; List and Delete remove a file's objects.
          { actions: ['s3:PutObject', 's3:DeleteObject'], resources: [objects] },
          { actions: ['s3:ListBucket'], resources: [args.uploadBucket.arn] },
        ],
      },
      fileProcessor: {
        bundle: 'file-processor',
        timeoutSeconds: FILE_PROCESSOR_TIMEOUT_SECONDS,
        // Room for a 50 MB PDF and its text beside the reading worker's own 512 MB heap, and the
        // CPU that comes with the memory (pdf.js is CPU-bound: bench: extraction).
        memoryMb: 2048,
        environment: { EXTRACTION_TIMEOUT_MS: String(EXTRACTION_TIMEOUT_MS) },
        grants: [
          { actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], resources: [files] },
          // Delete: the text of a file deleted while it was being read goes too.
          { actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], resources: [objects] },
          // HeadObject on a key not uploaded yet must say 404 (UPLOAD_MISSING), which needs ListBucket.
          { actions: ['s3:ListBucket'], resources: [args.uploadBucket.arn] },
        ],
      },
    };

    // Typed by the composition root's own variable names: a renamed setting fails to compile here.
    const environment: Partial<Record<keyof Env, pulumi.Input<string>>> = {
      STORE: 'aws',
      AUTH_MODE: 'cognito',
      COGNITO_USER_POOL_ID: args.userPoolId,
      COGNITO_CLIENT_ID: args.clientId,
      CHAT_HISTORY_TABLE: args.chatHistoryTable.name,
      FILE_METADATA_TABLE: args.fileMetadataTable.name,
      UPLOAD_BUCKET: args.uploadBucket.bucket,
      ALLOWED_ORIGINS: args.devOrigins.join(','),
      ORIGIN_VERIFY_SECRET: args.originVerifySecret,
      MODEL_PROVIDER: args.modelProvider,
      // The model the role may invoke (above) is the model the code calls.
      MODEL_ID: args.modelId,
    };

    const entries = Object.entries(specs) as Array<[FunctionName, FunctionSpec]>;
    this.byName = Object.fromEntries(
      entries.map(([fn, spec]) => [fn, this.lambda(`${name}-${spec.bundle}`, spec, args, { ...environment, ...spec.environment })]),
    ) as Record<FunctionName, aws.lambda.Function>;
    this.historyExpiry = this.lambda(
      `${name}-history-expiry`,
      {
        bundle: 'history-expiry',
        timeoutSeconds: 60,
        memoryMb: 256,
        grants: [
          { actions: ['dynamodb:Query', 'dynamodb:BatchWriteItem'], resources: [history] },
          {
            actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'],
            resources: [args.chatHistoryTable.streamArn],
          },
        ],
      },
      args,
      { CHAT_HISTORY_TABLE: args.chatHistoryTable.name },
    );
    new aws.lambda.EventSourceMapping(
      `${name}-history-expiry-stream`,
      {
        eventSourceArn: args.chatHistoryTable.streamArn,
        functionName: this.historyExpiry.arn,
        startingPosition: 'LATEST',
        batchSize: 100,
        maximumRetryAttempts: 10,
        bisectBatchOnFunctionError: true,
        functionResponseTypes: ['ReportBatchItemFailures'],
        // Invoked only for TTL's deletions of conversation items (not messages, not users' deletes).
        filterCriteria: {
          filters: [
            {
              pattern: JSON.stringify({
                eventName: ['REMOVE'],
                userIdentity: { type: ['Service'], principalId: ['dynamodb.amazonaws.com'] },
                dynamodb: { Keys: { sk: { S: [{ prefix: 'CONV#' }] } } },
              }),
            },
          ],
        },
      },
      { parent: this, dependsOn: [this.historyExpiry] },
    );
    this.registerOutputs({ ...Object.fromEntries(entries.map(([fn]) => [fn, this.byName[fn].name])), historyExpiry: this.historyExpiry.name });
  }

  private lambda(name: string, spec: FunctionSpec, args: FunctionsArgs, environment: Record<string, pulumi.Input<string>>): aws.lambda.Function {
    const parent = { parent: this };
    const bundle = join(args.bundleDir, spec.bundle);
    if (!existsSync(join(bundle, 'index.mjs'))) {
      // Pulumi would only say so halfway through an update, after creating everything else.
      throw new Error(`The ${spec.bundle} function is not built (${bundle}/index.mjs is missing). Run \`npm run build\` first.`);
    }
    const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, { retentionInDays: args.logRetentionDays }, parent);
    const role = new aws.iam.Role(
      `${name}-role`,
      { assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: 'lambda.amazonaws.com' }) },
      parent,
    );
    const statements = [
      { actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [pulumi.interpolate`${logGroup.arn}:*`] },
      ...spec.grants,
    ];
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
        environment: { variables: environment },
        loggingConfig: { logFormat: 'JSON', logGroup: logGroup.name },
      },
      // Its permissions exist before it can run (an event source mapping checks them at creation).
      { parent: this, dependsOn: [policy] },
    );
  }
}
