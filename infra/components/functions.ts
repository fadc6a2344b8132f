import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { Env } from '../../src/entrypoints/config.js';
import type { FunctionName } from '../../src/entrypoints/http/routes.js';
import type { ModelSettingsVariable } from '../../src/entrypoints/modules/model-settings.js';
import { MODULE_PROVIDER, type DeployedModelModule } from '../model-module.js';
import { bundledFunction, type FunctionSpec as BundledSpec } from './bundled-function.js';

export interface FunctionsArgs {
  /** dist/lambda as written by `npm run build`, an absolute path. */
  bundleDir: string;
  chatHistoryTable: aws.dynamodb.Table;
  fileMetadataTable: aws.dynamodb.Table;
  usageTable: aws.dynamodb.Table;
  uploadBucket: aws.s3.Bucket;
  userPoolId: pulumi.Input<string>;
  clientId: pulumi.Input<string>;
  /** Origins other than the site's own that may call the API (a dev server); usually none. */
  devOrigins: string[];
  /** What CloudFront sends in the X-Origin-Verify header; anything else is refused. */
  originVerifySecret: pulumi.Input<string>;
  modelProvider: string;
  /** Unset with a model module, whose model is its own. */
  modelId?: string;
  /** The small model that names new conversations (the chat function's TITLE_MODEL_ID); `none`: no model call. */
  titleModelId: string;
  /**
   * A team's model module, bundled with the chat function: it replaces modelProvider, modelId and
   * the title model, and its settings are read at init from where the stack keeps them.
   */
  modelModule?: Pick<DeployedModelModule, 'chatCodeDir' | 'settings' | 'settingsSecretArn'>;
  /**
   * USD per million tokens: what each answer costs, against the users' budgets. Unset only with a
   * model module, which then prices its answers itself (its `pricing` export).
   */
  modelPrices?: { inputPerMTok: number; outputPerMTok: number };
  /** Spending control, per user; each one unset is unlimited. */
  limits: { usageUsdPerMonth?: number; messagesPerMinute?: number; storageMbPerUser?: number };
  /** Instances of the chat function reserved for it, and the most answers running at once. Unset: none. */
  chatReservedConcurrency?: number;
  logRetentionDays: number;
}

/** The composition root's variables, and where the chat function finds a model module's settings. */
type FunctionEnv = Partial<Record<keyof Env | ModelSettingsVariable, pulumi.Input<string>>>;

interface FunctionSpec extends BundledSpec {
  /** Settings of this function only, on top of the ones every function gets. */
  environment?: FunctionEnv;
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
    const usage = args.usageTable.arn;
    const usageIndexes = pulumi.interpolate`${usage}/index/*`;
    const region = aws.getRegionOutput().region;
    const account = aws.getCallerIdentityOutput().accountId;
    const moduleSettings = args.modelModule && this.moduleSettings(name, args.modelModule);
    // A cross-region inference profile (eu.…) routes to the model in several regions: AWS offers
    // nothing narrower than the model's ARN in any region. A model module is the model: no Bedrock.
    const modelIds = args.modelModule ? [] : [args.modelId, args.titleModelId];
    const invoked = [...new Set(modelIds.filter((id): id is string => id !== undefined && id !== 'none'))];
    const model = invoked.flatMap((modelId) => [
      pulumi.interpolate`arn:aws:bedrock:${region}:${account}:inference-profile/${modelId}`,
      `arn:aws:bedrock:*::foundation-model/${modelId.replace(/^(eu|us|apac|global)\./, '')}`,
    ]);
    const readHistory = { actions: ['dynamodb:GetItem', 'dynamodb:Query'], resources: [history, historyIndexes] };
    const readFiles = { actions: ['dynamodb:GetItem'], resources: [files] };
    // The warm-up's call at init, which opens the connection to DynamoDB: it reads no table, and
    // IAM offers nothing narrower than every resource for it.
    const warmDynamoDb = { actions: ['dynamodb:DescribeEndpoints'], resources: ['*'] };

    const specs: Record<FunctionName, FunctionSpec> = {
      health: { bundle: 'health', timeoutSeconds: 3, memoryMb: 128, grants: [] },
      chat: {
        bundle: 'chat',
        ...(args.modelModule && { codeDir: args.modelModule.chatCodeDir }),
        // Answers of 4,000 tokens stream for a minute or two: far beyond a 30 s timeout.
        timeoutSeconds: 300,
        // Mostly waiting on the model, and billed for the wait: memory is the cost lever
        // (bench/README.md, cost-model). 512 MB leaves room for documents in the prompt.
        memoryMb: 512,
        ...(args.chatReservedConcurrency !== undefined && { reservedConcurrency: args.chatReservedConcurrency }),
        grants: [
          // Delete: a message written to a conversation deleted meanwhile is taken back.
          { actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'], resources: [history] },
          readFiles,
          { actions: ['s3:GetObject'], resources: [objects] },
          // Without ListBucket S3 answers a missing key with 403 AccessDenied instead of 404.
          { actions: ['s3:ListBucket'], resources: [args.uploadBucket.arn] },
          // ConverseStream is the one call the model adapter makes; InvokeModel (Converse) is never sent.
          ...(model.length > 0 ? [{ actions: ['bedrock:InvokeModelWithResponseStream'], resources: model }] : []),
          // A model module's settings, read once at init: that one parameter or secret, nothing else.
          ...(moduleSettings?.grants ?? []),
          // The month's spending and the user's own limit, read together (one BatchGetItem) before
          // the model is called; the message counted (an atomic ADD) before, and the answer's cost after.
          { actions: ['dynamodb:BatchGetItem', 'dynamodb:UpdateItem'], resources: [usage] },
          warmDynamoDb,
        ],
        ...(moduleSettings && { environment: moduleSettings.environment }),
      },
      conversations: {
        bundle: 'conversations',
        timeoutSeconds: 10,
        memoryMb: 512,
        grants: [readHistory, { actions: ['dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'], resources: [history] }, warmDynamoDb],
      },
      files: {
        bundle: 'files',
        timeoutSeconds: 10,
        memoryMb: 512,
        grants: [
          { actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:Query'], resources: [files, filesIndexes] },
          // PutObject signs presigned uploads and seals a deleted file's key; List and Delete remove its objects.
          { actions: ['s3:PutObject', 's3:DeleteObject'], resources: [objects] },
          { actions: ['s3:ListBucket'], resources: [args.uploadBucket.arn] },
          warmDynamoDb,
        ],
      },
      fileProcessor: {
        bundle: 'file-processor',
        timeoutSeconds: FILE_PROCESSOR_TIMEOUT_SECONDS,
        // Room for a 50 MB PDF and its text beside the reading worker's own 512 MB heap, and the
        // CPU that comes with the memory (pdf.js is CPU-bound: bench/README.md, extraction).
        memoryMb: 2048,
        environment: { EXTRACTION_TIMEOUT_MS: String(EXTRACTION_TIMEOUT_MS) },
        grants: [
          { actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], resources: [files] },
          // The user's files listed, their sizes summed against the storage limit.
          { actions: ['dynamodb:Query'], resources: [filesIndexes] },
          // Delete: the text of a file deleted while it was being read goes too.
          { actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], resources: [objects] },
          // HeadObject on a key not uploaded yet must say 404 (UPLOAD_MISSING), which needs ListBucket.
          { actions: ['s3:ListBucket'], resources: [args.uploadBucket.arn] },
          warmDynamoDb,
        ],
      },
      usage: {
        bundle: 'usage',
        timeoutSeconds: 10,
        memoryMb: 512,
        grants: [
          // A user's month and limit; the limits admins set (Put) and clear (Delete).
          { actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'], resources: [usage] },
          // A month's users, from the month index only.
          { actions: ['dynamodb:Query'], resources: [usageIndexes] },
          warmDynamoDb,
        ],
      },
    };

    // Typed by the composition root's own variable names: a renamed setting fails to compile here.
    const environment: FunctionEnv = {
      STORE: 'aws',
      AUTH_MODE: 'cognito',
      COGNITO_USER_POOL_ID: args.userPoolId,
      COGNITO_CLIENT_ID: args.clientId,
      CHAT_HISTORY_TABLE: args.chatHistoryTable.name,
      FILE_METADATA_TABLE: args.fileMetadataTable.name,
      USAGE_TABLE: args.usageTable.name,
      UPLOAD_BUCKET: args.uploadBucket.bucket,
      ALLOWED_ORIGINS: args.devOrigins.join(','),
      ORIGIN_VERIFY_SECRET: args.originVerifySecret,
      MODEL_PROVIDER: args.modelModule ? MODULE_PROVIDER : args.modelProvider,
      // The model the role may invoke (above) is the model the code calls.
      ...(!args.modelModule && args.modelId !== undefined && { MODEL_ID: args.modelId }),
      TITLE_MODEL_ID: args.modelModule ? 'none' : args.titleModelId,
      // The prices the site shows under each answer are the ones the budgets are counted in.
      ...(args.modelPrices && {
        MODEL_PRICE_INPUT_PER_MTOK: String(args.modelPrices.inputPerMTok),
        MODEL_PRICE_OUTPUT_PER_MTOK: String(args.modelPrices.outputPerMTok),
      }),
      ...(args.limits.usageUsdPerMonth !== undefined && { USAGE_LIMIT_USD_PER_MONTH: String(args.limits.usageUsdPerMonth) }),
      ...(args.limits.messagesPerMinute !== undefined && { RATE_LIMIT_MESSAGES_PER_MINUTE: String(args.limits.messagesPerMinute) }),
      ...(args.limits.storageMbPerUser !== undefined && { STORAGE_LIMIT_MB_PER_USER: String(args.limits.storageMbPerUser) }),
    };

    const entries = Object.entries(specs) as Array<[FunctionName, FunctionSpec]>;
    this.byName = Object.fromEntries(
      entries.map(([fn, spec]) => [fn, bundledFunction(`${name}-${spec.bundle}`, spec, args, { ...environment, ...spec.environment }, this)]),
    ) as Record<FunctionName, aws.lambda.Function>;
    this.historyExpiry = bundledFunction(
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
      this,
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

  /**
   * Where the chat function reads a model module's settings, and its right to: `chat:modelSettings`
   * kept in an SSM SecureString parameter (the standard tier and AWS's own key cost nothing, where a
   * Secrets Manager secret costs $0.40 a month), or the team's own secret. The function's
   * environment, which anyone who may read its configuration sees, holds only the name.
   */
  private moduleSettings(name: string, { settings, settingsSecretArn }: NonNullable<FunctionsArgs['modelModule']>): { environment: FunctionEnv; grants: BundledSpec['grants'] } {
    if (settings) {
      const parameter = new aws.ssm.Parameter(
        `${name}-model-settings`,
        {
          type: 'SecureString',
          tier: 'Standard',
          description: 'The chat model module\'s settings (stack config chat:modelSettings), read by the chat function at init.',
          value: pulumi.secret(settings.apply((values) => JSON.stringify(values))),
        },
        { parent: this },
      );
      return { environment: { MODEL_SETTINGS_PARAMETER: parameter.name }, grants: [{ actions: ['ssm:GetParameter'], resources: [parameter.arn] }] };
    }
    if (settingsSecretArn) {
      return {
        environment: { MODEL_SETTINGS_SECRET_ARN: settingsSecretArn },
        grants: [{ actions: ['secretsmanager:GetSecretValue'], resources: [settingsSecretArn] }],
      };
    }
    return { environment: {}, grants: [] };
  }
}
