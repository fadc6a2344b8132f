import * as pulumi from '@pulumi/pulumi';
import { Api } from './components/api.js';
import { Auth } from './components/auth.js';
import { Frontend } from './components/frontend.js';
import { Functions } from './components/functions.js';
import { Monitoring } from './components/monitoring.js';
import { Storage } from './components/storage.js';

/**
 * The stack: reads configuration and composes the components, nothing else. Run `npm run build`
 * first (the Lambda bundles in dist/lambda), then `pulumi up`, or `npm run deploy` for both.
 */
const config = new pulumi.Config('chat');
const allowedOrigins = config.requireObject<string[]>('allowedOrigins');
const logRetentionDays = config.getNumber('logRetentionDays') ?? 30;

const storage = new Storage('chat', { uploadExpiryDays: 90 });
const auth = new Auth('chat', {
  selfSignUp: config.getBoolean('selfSignUp') ?? true,
  tokenLifetimeMinutes: config.getNumber('tokenLifetimeMinutes') ?? 60,
  refreshTokenLifetimeDays: config.getNumber('refreshTokenLifetimeDays') ?? 30,
  mfa: config.get('mfa') === 'OPTIONAL' ? 'OPTIONAL' : 'OFF',
});
const functions = new Functions('chat', {
  bundleDir: config.get('bundleDir') ?? 'dist/lambda',
  chatHistoryTable: storage.chatHistory,
  fileMetadataTable: storage.fileMetadata,
  uploadBucket: storage.uploads,
  userPoolId: auth.userPool.id,
  clientId: auth.client.id,
  allowedOrigins,
  modelProvider: config.get('modelProvider') ?? 'offline',
  modelId: config.require('modelId'),
  logRetentionDays,
});
const api = new Api('chat', {
  functions: functions.byName,
  userPoolArn: auth.userPool.arn,
  siteOrigin: allowedOrigins[0] ?? '',
  throttle: { rateLimit: config.getNumber('apiRateLimit') ?? 50, burstLimit: config.getNumber('apiBurstLimit') ?? 100 },
  logRetentionDays,
  manageAccountLogsRole: config.getBoolean('manageApiGatewayLogsRole') ?? true,
});

const region = new pulumi.Config('aws').require('region');
// The SPA reaches the API through CloudFront, on its own origin (see Frontend).
const frontend = new Frontend('chat', {
  siteBucket: storage.site,
  apiUrl: api.url,
  cognitoRegion: region,
  uploadsHost: storage.uploads.bucketRegionalDomainName,
  siteConfig: pulumi.all([auth.userPool.id, auth.client.id]).apply(([userPoolId, clientId]) => ({
    auth: { mode: 'cognito', region, userPoolId, clientId },
    // What the SPA shows under each answer: its cost and how full the context is.
    model: {
      id: config.require('modelId'),
      contextWindowTokens: config.getNumber('modelContextWindowTokens') ?? 200_000,
      pricing: {
        inputPerMTok: config.getNumber('modelPriceInputPerMTok') ?? 3,
        outputPerMTok: config.getNumber('modelPriceOutputPerMTok') ?? 15,
        currency: 'USD',
      },
    },
  })),
  distDir: config.get('webDistDir') ?? 'web/dist',
});

storage.allowUploadsFrom([frontend.url, ...allowedOrigins]);

const alarmEmail = config.get('alarmEmail');
const monitoring = new Monitoring('chat', {
  functions: functions.byName,
  apiName: api.restApi.name,
  apiStage: api.stage.stageName,
  tables: [storage.chatHistory, storage.fileMetadata],
  dailyTokenBudget: config.getNumber('dailyTokenBudget') ?? 5_000_000,
  ...(alarmEmail && { alarmEmail }),
});

export const siteUrl = frontend.url;
export const apiUrl = api.url;
export const awsRegion = region;
export const userPoolId = auth.userPool.id;
export const userPoolClientId = auth.client.id;
export const uploadBucket = storage.uploads.bucket;
export const siteBucket = storage.site.bucket;
export const alarmTopic = monitoring.topic.arn;
