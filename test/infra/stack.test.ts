import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/entrypoints/config.js';
import { ADMINS_GROUP } from '../../src/entrypoints/handlers/usage.js';
import { runStackWithMocks, type Registered } from '../support/pulumi-stack.js';

let registered: Registered[] = [];

/** A built SPA as Vite lays it out, for the upload of the site's files. */
const webDist = mkdtempSync(join(tmpdir(), 'web-dist-'));
mkdirSync(join(webDist, 'assets'));
writeFileSync(
  join(webDist, 'index.html'),
  '<!doctype html><html><head><script type="module" crossorigin src="/assets/index-3f9a.js"></script>\n    <link rel="modulepreload" crossorigin href="/assets/runtime-11aa.js">\n  </head><body></body></html>',
);
mkdirSync(join(webDist, '.vite'));
writeFileSync(
  join(webDist, '.vite', 'manifest.json'),
  JSON.stringify({
    'index.html': { file: 'assets/index-3f9a.js', imports: ['_runtime-11aa.js'] },
    '_runtime-11aa.js': { file: 'assets/runtime-11aa.js' },
    'src/auth/cognito-auth.ts': { file: 'assets/cognito-auth-9c2e.js', imports: ['_runtime-11aa.js'] },
  }),
);
writeFileSync(join(webDist, 'assets', 'index-3f9a.js'), 'export {};');
writeFileSync(join(webDist, 'assets', 'index-77c1.css'), 'body{}');

beforeAll(async () => {
  registered = await runStackWithMocks({ webDist });
}, 60_000);

const ofType = (type: string) => registered.filter((resource) => resource.type === type);
const one = (type: string, nameEnd: string) => {
  const found = ofType(type).find((resource) => resource.name.endsWith(nameEnd));
  if (!found) throw new Error(`no ${type} named *${nameEnd}`);
  return found.inputs;
};

describe('the Pulumi stack (mocks)', () => {
  it('declares the tables exactly as the adapters expect them', () => {
    const history = one('aws:dynamodb/table:Table', 'chat-history');
    expect(history).toMatchObject({
      billingMode: 'PAY_PER_REQUEST',
      hashKey: 'user_id',
      rangeKey: 'sk',
      ttl: { attributeName: 'ttl', enabled: true },
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true },
    });
    expect(history.globalSecondaryIndexes).toEqual([
      expect.objectContaining({
        name: 'timestamp-index',
        keySchemas: [
          { attributeName: 'user_id', keyType: 'HASH' },
          { attributeName: 'timestamp', keyType: 'RANGE' },
        ],
      }),
    ]);
    const files = one('aws:dynamodb/table:Table', 'file-metadata');
    expect(files).toMatchObject({ hashKey: 'file_id', ttl: { attributeName: 'ttl', enabled: true }, pointInTimeRecovery: { enabled: true } });
    expect(files.globalSecondaryIndexes).toEqual([expect.objectContaining({ name: 'user-files-index' })]);
    const usage = one('aws:dynamodb/table:Table', 'chat-usage');
    expect(usage).toMatchObject({
      billingMode: 'PAY_PER_REQUEST',
      hashKey: 'user_id',
      rangeKey: 'sk',
      ttl: { attributeName: 'ttl', enabled: true },
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true },
    });
    expect(usage.attributes).toEqual(expect.arrayContaining([{ name: 'month', type: 'S' }]));
    expect(usage.globalSecondaryIndexes).toEqual([
      {
        name: 'month-index',
        keySchemas: [
          { attributeName: 'month', keyType: 'HASH' },
          { attributeName: 'user_id', keyType: 'RANGE' },
        ],
        projectionType: 'ALL',
      },
    ]);
  });

  it("keeps both buckets private and encrypted, uploads expiring after 90 days with CORS for the site's own origin only", () => {
    const blocks = ofType('aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock');
    expect(blocks).toHaveLength(2);
    for (const block of blocks) {
      expect(block.inputs).toMatchObject({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    }
    expect(ofType('aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration')).toHaveLength(2);
    const lifecycle = one('aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration', 'uploads-expiry');
    expect(lifecycle.rules).toContainEqual(expect.objectContaining({ expiration: { days: 90 } }));
    const cors = one('aws:s3/bucketCorsConfiguration:BucketCorsConfiguration', 'uploads-cors');
    // The headers the presigned PUT signs: its content type and the write-once condition.
    expect(cors.corsRules).toEqual([
      expect.objectContaining({ allowedMethods: ['PUT'], allowedOrigins: ['https://d111.cloudfront.net'], allowedHeaders: ['content-type', 'if-none-match'] }),
    ]);
    expect(one('aws:s3/bucketVersioning:BucketVersioning', 'site-versioning')).toMatchObject({ versioningConfiguration: { status: 'Enabled' } });
  });

  it('sweeps the messages of conversations TTL removed, from a keys-only stream filtered to those removals', () => {
    expect(one('aws:dynamodb/table:Table', 'chat-history')).toMatchObject({ streamEnabled: true, streamViewType: 'KEYS_ONLY' });
    const mapping = one('aws:lambda/eventSourceMapping:EventSourceMapping', 'history-expiry-stream');
    expect(mapping).toMatchObject({ functionResponseTypes: ['ReportBatchItemFailures'], bisectBatchOnFunctionError: true });
    const filters = (mapping.filterCriteria as { filters: Array<{ pattern: string }> }).filters;
    expect(filters.map((filter) => JSON.parse(filter.pattern) as unknown)).toEqual([
      expect.objectContaining({ eventName: ['REMOVE'], userIdentity: { type: ['Service'], principalId: ['dynamodb.amazonaws.com'] } }),
    ]);
  });

  it('has a user pool with email sign-in and a secretless client allowing SRP and refresh only', () => {
    expect(one('aws:cognito/userPool:UserPool', 'users')).toMatchObject({ usernameAttributes: ['email'], autoVerifiedAttributes: ['email'], mfaConfiguration: 'OFF' });
    expect(one('aws:cognito/userPoolClient:UserPoolClient', 'web')).toMatchObject({
      generateSecret: false,
      explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      idTokenValidity: 60,
      accessTokenValidity: 60,
    });
  });

  it('is invitation only by default: admins create the users, Cognito mails them a temporary password', () => {
    const pool = one('aws:cognito/userPool:UserPool', 'users');
    const config = pool.adminCreateUserConfig as { allowAdminCreateUserOnly: boolean; inviteMessageTemplate: { emailSubject: string; emailMessage: string } };
    expect(config.allowAdminCreateUserOnly).toBe(true);
    expect(config.inviteMessageTemplate.emailSubject).toMatch(/invitation/i);
    // Cognito refuses a template without both placeholders.
    expect(config.inviteMessageTemplate.emailMessage).toContain('{username}');
    expect(config.inviteMessageTemplate.emailMessage).toContain('{####}');
    // No trigger: without allowed domains nobody signs up themselves, so there is nothing to check.
    expect(pool.lambdaConfig).toBeUndefined();
    expect(ofType('aws:lambda/function:Function').map((fn) => fn.name)).not.toContain('chat-sign-up-guard');
    expect(ofType('aws:lambda/permission:Permission').filter((permission) => permission.inputs.principal !== 'apigateway.amazonaws.com')).toEqual([]);
  });

  it("has an admins group in the pool, the group the code reads from the token's cognito:groups", () => {
    const groups = ofType('aws:cognito/userGroup:UserGroup');
    expect(groups.map((group) => group.inputs)).toEqual([expect.objectContaining({ name: ADMINS_GROUP, userPoolId: 'chat-users-id' })]);
  });

  it('runs one Node.js 22 arm64 function per entrypoint, each with a log group', () => {
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
      expect(fn.inputs).toMatchObject({ runtime: 'nodejs22.x', architectures: ['arm64'], handler: 'index.handler' });
    }
    expect(ofType('aws:cloudwatch/logGroup:LogGroup').length).toBeGreaterThanOrEqual(functions.length);
    expect(one('aws:lambda/function:Function', 'file-processor')).toMatchObject({ timeout: 60, memorySize: 2048 });
    expect(one('aws:lambda/function:Function', 'chat-usage')).toMatchObject({ timeout: 10, memorySize: 512 });
    // Nothing reserved unless the stack says so: a new account may have no concurrency to reserve.
    for (const fn of functions) expect(fn.inputs.reservedConcurrentExecutions, fn.name).toBeUndefined();
  });

  it('gives every role only named actions on named resources', () => {
    const policies = ofType('aws:iam/rolePolicy:RolePolicy').map((policy) => JSON.parse(policy.inputs.policy as string) as {
      Statement: Array<{ Action: string[]; Resource: string[] }>;
    });
    expect(policies).toHaveLength(7);
    // The one exception: DescribeEndpoints (the warm-up's call) touches no resource, and IAM names none for it.
    const onNoResource = new Set(['dynamodb:DescribeEndpoints']);
    for (const statement of policies.flatMap((policy) => policy.Statement)) {
      for (const action of statement.Action) expect(action).not.toContain('*');
      const allActionsOnNoResource = statement.Action.every((action) => onNoResource.has(action));
      for (const resource of statement.Resource) if (!allActionsOnNoResource) expect(resource).not.toBe('*');
    }
    const chat = JSON.stringify(policies);
    expect(chat).toContain('inference-profile/eu.anthropic.claude-sonnet-4-5-20250929-v1:0');
    // The small model that names conversations, in the same geography, and what the function is told to call.
    expect(chat).toContain('inference-profile/eu.anthropic.claude-haiku-4-5-20251001-v1:0');
    expect(chat).toContain('foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0');
    const environment = (one('aws:lambda/function:Function', 'chat-chat').environment as { variables: Record<string, string> }).variables;
    expect(environment).toMatchObject({ MODEL_ID: 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0', TITLE_MODEL_ID: 'eu.anthropic.claude-haiku-4-5-20251001-v1:0' });
  });

  it('lets only the chat and usage functions at the usage table: the chat counts, the usage function reports and sets limits', () => {
    const usageTable = 'arn:aws:mock:eu-west-1:123456789012:chat-usage';
    // iam-actions.test.ts checks each role's actions; these are the ones on this table, by resource.
    const onUsage = (fn: string) => {
      const policy = JSON.parse(one('aws:iam/rolePolicy:RolePolicy', `chat-${fn}-policy`).policy as string) as {
        Statement: Array<{ Action: string[]; Resource: string[] }>;
      };
      const actionsOn = (resource: string) => policy.Statement.filter((statement) => statement.Resource.includes(resource)).flatMap((statement) => statement.Action);
      return { table: actionsOn(usageTable).sort(), indexes: actionsOn(`${usageTable}/index/*`).sort() };
    };
    expect(onUsage('chat')).toEqual({ table: ['dynamodb:BatchGetItem', 'dynamodb:UpdateItem'], indexes: [] });
    expect(onUsage('usage')).toEqual({
      table: ['dynamodb:BatchGetItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem'],
      indexes: ['dynamodb:Query'],
    });
    for (const fn of ['conversations', 'files', 'file-processor', 'health', 'history-expiry']) expect(onUsage(fn), fn).toEqual({ table: [], indexes: [] });
  });

  it('refuses plain HTTP on both buckets, presigned uploads included', () => {
    for (const name of ['chat-uploads-policy', 'site-policy']) {
      const policy = JSON.parse(one('aws:s3/bucketPolicy:BucketPolicy', name).policy as string) as { Statement: Array<Record<string, unknown>> };
      const deny = policy.Statement.find((statement) => statement.Effect === 'Deny');
      expect(deny, name).toMatchObject({ Principal: '*', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
      const [bucket, objects] = deny!.Resource as string[];
      expect(objects, name).toBe(`${bucket}/*`);
    }
  });

  it('serves the SPA through CloudFront: private origin, HTTPS, HTTP/2 and 3, SPA fallback, security headers, config.json', () => {
    const cdn = one('aws:cloudfront/distribution:Distribution', 'cdn');
    expect(cdn).toMatchObject({ httpVersion: 'http2and3', defaultRootObject: 'index.html' });
    expect((cdn.defaultCacheBehavior as { viewerProtocolPolicy: string }).viewerProtocolPolicy).toBe('redirect-to-https');
    // SPA routes get index.html from a function on the site behaviour only: the API's 403/404 stay as they are.
    expect(cdn.customErrorResponses ?? []).toEqual([]);
    const spaRoutes = one('aws:cloudfront/function:Function', 'spa-routes');
    expect(spaRoutes).toMatchObject({ runtime: 'cloudfront-js-2.0', publish: true });
    expect((cdn.defaultCacheBehavior as { functionAssociations: unknown[] }).functionAssociations).toEqual([
      { eventType: 'viewer-request', functionArn: expect.stringContaining('spa-routes') },
    ]);
    for (const behavior of cdn.orderedCacheBehaviors as Array<{ functionAssociations?: unknown[] }>) {
      expect(behavior.functionAssociations ?? []).toEqual([]);
    }
    const handler = runInNewContext(`${spaRoutes.code as string}; handler`) as (event: { request: { uri: string } }) => { uri: string };
    const rewrite = (uri: string) => handler({ request: { uri } }).uri;
    expect(rewrite('/c/01JD8Z')).toBe('/index.html');
    expect(rewrite('/sign-in')).toBe('/index.html');
    expect(rewrite('/assets/index-3f9a.js')).toBe('/assets/index-3f9a.js');
    expect(rewrite('/config.json')).toBe('/config.json');
    // The API on the site's own origin, under the stage's name: no CORS, and no SPA route can collide with it.
    expect(cdn.orderedCacheBehaviors).toEqual([expect.objectContaining({ pathPattern: '/api/*', targetOriginId: 'api', cachePolicyId: expect.any(String) })]);
    const apiOrigin = (cdn.origins as Array<{ originId: string; domainName: string; originPath?: string }>).find((origin) => origin.originId === 'api');
    expect(apiOrigin).toMatchObject({ domainName: 'chat-stage.execute-api.eu-west-1.amazonaws.com' });
    expect(apiOrigin?.originPath ?? '').toBe('');
    expect(one('aws:apigateway/stage:Stage', 'stage').stageName).toBe('api');
    const security = one('aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy', 'security-headers').securityHeadersConfig as Record<string, Record<string, unknown>>;
    expect(security.contentSecurityPolicy?.contentSecurityPolicy).toContain("frame-ancestors 'none'");
    expect(security.frameOptions).toMatchObject({ frameOption: 'DENY' });
    expect(security.strictTransportSecurity).toBeDefined();
    const policy = JSON.parse(one('aws:s3/bucketPolicy:BucketPolicy', 'site-policy').policy as string);
    expect(policy.Statement[0]).toMatchObject({ Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject' });
    const config = JSON.parse(one('aws:s3/bucketObjectv2:BucketObjectv2', 'config-json').content as string);
    expect(config).toEqual({
      apiUrl: '/api',
      // Invitation only by default: the SPA offers no sign-up.
      auth: { mode: 'cognito', region: 'eu-west-1', userPoolId: expect.any(String), clientId: expect.any(String), selfSignUp: false },
      model: {
        id: 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0',
        contextWindowTokens: 200_000,
        pricing: { inputPerMTok: 3, outputPerMTok: 15, currency: 'USD' },
      },
      // What the functions accept, so that the SPA sends and offers files as they will take them.
      files: { maxInlineBytes: 4 * 1024 * 1024, extensions: expect.objectContaining({ pdf: ['pdf'], docx: ['docx'], code: expect.arrayContaining(['py', 'ts']) }) },
    });
  });

  it('is same-origin and free of the options by default: no CORS on the API, no WAF, the CloudFront certificate', () => {
    expect(ofType('aws:apigateway/method:Method').filter((method) => method.inputs.httpMethod === 'OPTIONS')).toEqual([]);
    expect(ofType('aws:apigateway/response:Response')).toEqual([]);
    expect(ofType('aws:wafv2/webAcl:WebAcl')).toEqual([]);
    const cdn = one('aws:cloudfront/distribution:Distribution', 'cdn');
    expect(cdn.webAclId).toBeUndefined();
    expect(cdn.aliases ?? []).toEqual([]);
    expect(cdn.viewerCertificate).toEqual({ cloudfrontDefaultCertificate: true });
    for (const fn of ofType('aws:lambda/function:Function').filter((fn) => fn.name !== 'chat-history-expiry')) {
      expect((fn.inputs.environment as { variables: Record<string, string> }).variables.ALLOWED_ORIGINS, fn.name).toBe('');
    }
  });

  it('keeps data when the stack is destroyed, unless the stack says otherwise', () => {
    for (const bucket of ofType('aws:s3/bucket:Bucket')) expect(bucket.inputs.forceDestroy, bucket.name).toBe(false);
    for (const table of ofType('aws:dynamodb/table:Table')) expect(table.inputs.deletionProtectionEnabled, table.name).toBe(true);
    expect(one('aws:cognito/userPool:UserPool', 'users').deletionProtection).toBe('ACTIVE');
  });

  it('uploads the built SPA with content types, hashed assets cached for a year and index.html never', () => {
    const objects = ofType('aws:s3/bucketObjectv2:BucketObjectv2').map((object) => object.inputs);
    const byKey = Object.fromEntries(objects.map((object) => [object.key as string, object]));
    expect(byKey['index.html']).toMatchObject({ contentType: 'text/html; charset=utf-8', cacheControl: 'no-cache' });
    expect(byKey['assets/index-3f9a.js']).toMatchObject({ contentType: 'text/javascript; charset=utf-8', cacheControl: 'public, max-age=31536000, immutable' });
    expect(byKey['assets/index-77c1.css']).toMatchObject({ contentType: 'text/css; charset=utf-8' });
    expect(byKey['config.json']).toMatchObject({ contentType: 'application/json', cacheControl: 'no-cache' });
    expect(byKey['.vite/manifest.json']).toBeUndefined();
  });

  it('preloads the Cognito chunk from index.html, once, as every visit on AWS loads it', () => {
    const index = ofType('aws:s3/bucketObjectv2:BucketObjectv2').find((object) => object.inputs.key === 'index.html')!.inputs;
    const html = index.content as string;
    expect(html).toContain('<link rel="modulepreload" crossorigin href="/assets/cognito-auth-9c2e.js">');
    // The runtime it needs is preloaded by Vite already: not twice.
    expect(html.match(/runtime-11aa\.js/g)).toHaveLength(1);
    expect(html.indexOf('cognito-auth-9c2e.js')).toBeLessThan(html.indexOf('</head>'));
  });

  it('puts the Cognito authorizer on every route but /health, and streams the chat function’s routes', () => {
    const methods = ofType('aws:apigateway/method:Method').filter((method) => method.inputs.httpMethod !== 'OPTIONS');
    expect(methods).toHaveLength(17);
    for (const method of methods) {
      const isHealth = method.name.endsWith('-get-health');
      expect(method.inputs.authorization, method.name).toBe(isHealth ? 'NONE' : 'COGNITO_USER_POOLS');
    }
    const chat = one('aws:apigateway/integration:Integration', 'post-chat-integration');
    expect(chat).toMatchObject({ type: 'AWS_PROXY', responseTransferMode: 'STREAM' });
    expect(chat.uri).toMatch(/response-streaming-invocations$/);
    // A resumed answer and its Stop: the chat function's too, on the same streaming integration.
    for (const slug of ['get-chat-streams-messageId', 'post-chat-streams-messageId-stop']) {
      const integration = one('aws:apigateway/integration:Integration', `${slug.toLowerCase()}-integration`);
      expect(integration, slug).toMatchObject({ type: 'AWS_PROXY', responseTransferMode: 'STREAM', uri: chat.uri });
    }
    const stage = one('aws:apigateway/stage:Stage', 'stage');
    expect(stage.accessLogSettings).toBeDefined();
    expect(one('aws:apigateway/methodSettings:MethodSettings', 'throttling')).toMatchObject({ methodPath: '*/*' });
  });

  it('sets the account CloudWatch role access logs need, and redeploys when what is deployed changes', () => {
    expect(one('aws:apigateway/account:Account', 'account').cloudwatchRoleArn).toContain('cloudwatch-role');
    const attachment = one('aws:iam/rolePolicyAttachment:RolePolicyAttachment', 'cloudwatch-policy');
    expect(attachment.policyArn).toBe('arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs');
    const triggers = one('aws:apigateway/deployment:Deployment', 'deployment').triggers as Record<string, string>;
    expect(triggers.redeployment).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('the stack and the code agree', () => {
  it('gives every function an environment the composition root accepts, naming the stack tables and bucket', () => {
    const apiFunctions = ofType('aws:lambda/function:Function').filter((fn) => fn.name !== 'chat-history-expiry');
    expect(apiFunctions).toHaveLength(6);
    for (const fn of apiFunctions) {
      const variables = (fn.inputs.environment as { variables: Record<string, string> }).variables;
      const config = loadConfig(variables);
      expect(config.auth.mode, fn.name).toBe('cognito');
      expect(config.store, fn.name).toMatchObject({
        kind: 'aws',
        chatHistoryTable: expect.stringContaining('chat-history'),
        fileMetadataTable: expect.stringContaining('file-metadata'),
        usageTable: 'chat-usage',
        uploadBucket: expect.stringContaining('uploads'),
      });
      // Spending is counted at the prices the site shows; no limit unless the stack sets one.
      expect(config.pricing, fn.name).toMatchObject({ inputPerMTok: 3, outputPerMTok: 15 });
      expect(config.limits, fn.name).toEqual({});
    }
  });

  it('tells the expiry sweeper, which reads no configuration but its table, the stack table', () => {
    const variables = (one('aws:lambda/function:Function', 'history-expiry').environment as { variables: Record<string, string> }).variables;
    expect(variables.CHAT_HISTORY_TABLE).toContain('chat-history');
  });

  it('allows no wildcard origin in the CSP', () => {
    const security = one('aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy', 'security-headers').securityHeadersConfig as {
      contentSecurityPolicy: { contentSecurityPolicy: string };
    };
    expect(security.contentSecurityPolicy.contentSecurityPolicy).not.toContain('*');
  });
});
