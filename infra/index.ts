import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import { Api } from './components/api.js';
import { Auth } from './components/auth.js';
import { Firewall } from './components/firewall.js';
import { Frontend } from './components/frontend.js';
import { Functions } from './components/functions.js';
import { Monitoring } from './components/monitoring.js';
import { Storage } from './components/storage.js';
import { customDomainFrom } from './custom-domain.js';
import { allowedEmailDomainsFrom } from './email-domains.js';
import { deployedModelModule } from './model-module.js';
import { fromProjectRoot } from './project-root.js';
import { smallBedrockModel } from '../src/entrypoints/config.js';

/**
 * The stack: reads configuration and composes the components, nothing else. `npm run deploy`
 * checks the prerequisites, builds (the Lambda bundles in dist/lambda, the SPA in web/dist) and
 * runs `pulumi up`; the settings are listed in the README's Deploy section.
 */
const config = new pulumi.Config('chat');
if (config.get('allowedOrigins') !== undefined) {
  throw new Error('chat:allowedOrigins is gone: the site calls the API on its own origin. Name other origins (a dev server) in chat:devOrigins.');
}
const devOrigins = config.getObject<string[]>('devOrigins') ?? [];
const logRetentionDays = config.getNumber('logRetentionDays') ?? 30;
const forceDestroy = config.getBoolean('forceDestroy') ?? false;
const customDomain = customDomainFrom(config.get('customDomain'), config.get('certificateArn'));
const bundles = { bundleDir: fromProjectRoot(config.get('bundleDir') ?? 'dist/lambda'), logRetentionDays };
const region = new pulumi.Config('aws').require('region');
// A team's model module (chat:modelModule), bundled with the chat function and loaded once here.
const modelModule = await deployedModelModule(config, { bundleDir: bundles.bundleDir, region });
// What users see each answer cost, and what their budgets are counted in. A module's own prices
// (its `pricing` export) apply unless the stack sets prices: the operator's word wins.
// Claude Sonnet 4.5's list prices, as the functions' own defaults.
const DEFAULT_PRICES = { inputPerMTok: 3, outputPerMTok: 15 };
const inputPerMTok = config.getNumber('modelPriceInputPerMTok');
const outputPerMTok = config.getNumber('modelPriceOutputPerMTok');
const pricedByStack = inputPerMTok !== undefined || outputPerMTok !== undefined || !modelModule;
const modelPrices = pricedByStack ? { inputPerMTok: inputPerMTok ?? DEFAULT_PRICES.inputPerMTok, outputPerMTok: outputPerMTok ?? DEFAULT_PRICES.outputPerMTok } : undefined;

const storage = new Storage('chat', { uploadExpiryDays: 90, forceDestroy });
const auth = new Auth('chat', {
  // Invitation only unless the stack says otherwise: every user can spend on the model.
  selfSignUp: config.getBoolean('selfSignUp') ?? false,
  allowedEmailDomains: allowedEmailDomainsFrom(config.getObject<string[]>('allowedEmailDomains')),
  ...(customDomain && { siteUrl: `https://${customDomain.name}` }),
  bundles,
  tokenLifetimeMinutes: config.getNumber('tokenLifetimeMinutes') ?? 60,
  refreshTokenLifetimeDays: config.getNumber('refreshTokenLifetimeDays') ?? 30,
  mfa: config.get('mfa') === 'OPTIONAL' ? 'OPTIONAL' : 'OFF',
  forceDestroy,
});
// Kept in the stack's state (encrypted): CloudFront sends it to the API, which refuses requests without it.
const originVerifySecret = new random.RandomPassword('chat-origin-verify', { length: 48, special: false }).result;
const functions = new Functions('chat', {
  bundleDir: bundles.bundleDir,
  chatHistoryTable: storage.chatHistory,
  fileMetadataTable: storage.fileMetadata,
  usageTable: storage.usage,
  uploadBucket: storage.uploads,
  userPoolId: auth.userPool.id,
  clientId: auth.client.id,
  devOrigins,
  originVerifySecret,
  modelProvider: config.get('modelProvider') ?? 'offline',
  // A module's model is its own: chat:modelId is then neither needed nor used.
  ...(modelModule ? { modelModule, titleModelId: 'none' } : {
    modelId: config.require('modelId'),
    // A small model names new conversations: Claude Haiku in the chat model's geography by default.
    titleModelId: config.get('titleModelId') ?? smallBedrockModel(config.require('modelId')),
  }),
  ...(modelPrices && { modelPrices }),
  limits: {
    usageUsdPerMonth: config.getNumber('usageLimitUsdPerMonth'),
    messagesPerMinute: config.getNumber('rateLimitMessagesPerMinute'),
    storageMbPerUser: config.getNumber('storageLimitMbPerUser'),
  },
  chatReservedConcurrency: config.getNumber('chatReservedConcurrency'),
  logRetentionDays,
});
const api = new Api('chat', {
  functions: functions.byName,
  userPoolArn: auth.userPool.arn,
  ...(devOrigins[0] && { devOrigin: devOrigins[0] }),
  throttle: { rateLimit: config.getNumber('apiRateLimit') ?? 50, burstLimit: config.getNumber('apiBurstLimit') ?? 100 },
  logRetentionDays,
  manageAccountLogsRole: config.getBoolean('manageApiGatewayLogsRole') ?? true,
});
const firewall = config.getBoolean('waf') ? new Firewall('chat', { requestsPerFiveMinutesPerIp: config.getNumber('wafRateLimit') ?? 1000 }) : undefined;

// The SPA reaches the API through CloudFront, on its own origin (see Frontend).
const frontend = new Frontend('chat', {
  siteBucket: storage.site,
  apiUrl: api.url,
  originVerifySecret,
  cognitoRegion: region,
  uploadsHost: storage.uploads.bucketRegionalDomainName,
  // selfSignUp: whether the SPA offers "Create an account": the pool's own setting (chat:selfSignUp, or chat:allowedEmailDomains set).
  siteConfig: pulumi.all([auth.userPool.id, auth.client.id, auth.userPool.adminCreateUserConfig, modelModule?.info]).apply(([userPoolId, clientId, invitations, moduleModel]) => ({
    auth: { mode: 'cognito' as const, region, userPoolId, clientId, selfSignUp: !invitations?.allowAdminCreateUserOnly },
    // What the SPA shows under each answer: its cost and how full the context is, of the model that answers.
    model: {
      id: moduleModel?.id ?? config.require('modelId'),
      contextWindowTokens: moduleModel?.contextWindowTokens ?? config.getNumber('modelContextWindowTokens') ?? 200_000,
      // What the chat function counts: the stack's prices, else the module's, else its defaults
      // (the two the SPA shows: the cache's follow from them).
      pricing: pricesShown(modelPrices ?? moduleModel?.pricing ?? DEFAULT_PRICES),
    },
  })),
  distDir: fromProjectRoot(config.get('webDistDir') ?? 'web/dist'),
  ...(customDomain && { customDomain }),
  ...(firewall && { webAclArn: firewall.webAcl.arn }),
});

storage.allowUploadsFrom([frontend.url, ...devOrigins]);

const alarmEmail = config.get('alarmEmail');
const monitoring = new Monitoring('chat', {
  functions: functions.byName,
  apiName: api.restApi.name,
  apiStage: api.stage.stageName,
  tables: [storage.chatHistory, storage.fileMetadata, storage.usage],
  dailyTokenBudget: config.getNumber('dailyTokenBudget') ?? 5_000_000,
  ...(alarmEmail && { alarmEmail }),
});

function pricesShown({ inputPerMTok, outputPerMTok }: { inputPerMTok: number; outputPerMTok: number }) {
  return { inputPerMTok, outputPerMTok, currency: 'USD' };
}

export const siteUrl = frontend.url;
/** Where to point the custom domain's DNS record (CNAME, or a Route 53 alias). */
export const distributionDomain = frontend.distribution.domainName;
/** CloudFront's origin for `/api/*`: it refuses whatever does not come through CloudFront. */
export const apiUrl = api.url;
export const awsRegion = region;
export const userPoolId = auth.userPool.id;
export const userPoolClientId = auth.client.id;
export const uploadBucket = storage.uploads.bucket;
export const siteBucket = storage.site.bucket;
export const alarmTopic = monitoring.topic.arn;
