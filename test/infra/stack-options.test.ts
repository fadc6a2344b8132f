import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/entrypoints/config.js';
import { MOCK_ACCOUNT, MOCK_REGION } from '../support/pulumi-mocks.mjs';
import { runStackWithMocks, type Registered } from '../support/pulumi-stack.js';

const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/0d1e2f';
let registered: Registered[] = [];
const ofType = (type: string) => registered.filter((resource) => resource.type === type);
const only = (type: string) => {
  const found = ofType(type);
  expect(found, type).toHaveLength(1);
  return found[0]!.inputs;
};
const named = (type: string, name: string) => {
  const found = ofType(type).find((resource) => resource.name === name);
  if (!found) throw new Error(`no ${type} named ${name}`);
  return found.inputs;
};
const variablesOf = (inputs: Record<string, unknown>) => (inputs.environment as { variables: Record<string, string> }).variables;
/** The functions behind the API: not the expiry sweeper, nor Cognito's sign-up guard. */
const apiFunctions = () => ofType('aws:lambda/function:Function').filter((fn) => !['chat-history-expiry', 'chat-sign-up-guard'].includes(fn.name));
const mockArn = (name: string) => `arn:aws:mock:${MOCK_REGION}:${MOCK_ACCOUNT}:${name}`;

beforeAll(async () => {
  registered = await runStackWithMocks({
    config: {
      'aws:profile': 'deployer',
      'aws:allowedAccountIds': ['123456789012'],
      'chat:waf': true,
      'chat:wafRateLimit': 600,
      'chat:customDomain': 'chat.example.com',
      'chat:certificateArn': CERTIFICATE,
      'chat:devOrigins': ['http://localhost:5173'],
      'chat:allowedEmailDomains': ['example.org', '@Team.Example.com'],
      'chat:usageLimitUsdPerMonth': 5,
      'chat:rateLimitMessagesPerMinute': 10,
      'chat:storageLimitMbPerUser': 500,
      'chat:chatReservedConcurrency': 20,
    },
  });
}, 60_000);

/** The stack's optional settings, all switched on (stack.test.ts has the defaults, all off). */
describe('the stack with its options set', () => {
  it('puts a WAF web ACL on the distribution: AWS common rules and a per-IP rate limit, in us-east-1', () => {
    const acl = ofType('aws:wafv2/webAcl:WebAcl')[0]!;
    expect(acl.inputs).toMatchObject({ scope: 'CLOUDFRONT', defaultAction: { allow: {} } });
    const rules = acl.inputs.rules as Array<{ name: string; statement: Record<string, Record<string, unknown>> }>;
    expect(rules.find((rule) => rule.statement.rateBasedStatement)?.statement.rateBasedStatement).toMatchObject({ aggregateKeyType: 'IP', limit: 600 });
    const common = rules.find((rule) => rule.statement.managedRuleGroupStatement)!.statement.managedRuleGroupStatement!;
    expect(common).toMatchObject({ vendorName: 'AWS', name: 'AWSManagedRulesCommonRuleSet' });
    // Chat messages are long and full of code, paths and URLs: the body rules count instead of blocking them.
    expect(common.ruleActionOverrides).toEqual(
      ['SizeRestrictions_BODY', 'CrossSiteScripting_BODY', 'GenericLFI_BODY', 'GenericRFI_BODY', 'EC2MetaDataSSRF_BODY'].map((name) => ({ name, actionToUse: { count: {} } })),
    );
    // In us-east-1, as CloudFront requires, but in the stack's account, with its credentials.
    const provider = ofType('pulumi:providers:aws').find((resource) => resource.name.endsWith('us-east-1'));
    expect(provider?.inputs).toMatchObject({ region: 'us-east-1', profile: 'deployer' });
    expect(JSON.parse(provider?.inputs.allowedAccountIds as string)).toEqual(['123456789012']);
    expect(only('aws:cloudfront/distribution:Distribution').webAclId).toContain('web-acl');
  });

  it('serves the site on the custom domain with its own certificate, so TLS 1.2 is the minimum', () => {
    const cdn = only('aws:cloudfront/distribution:Distribution');
    expect(cdn.aliases).toEqual(['chat.example.com']);
    expect(cdn.viewerCertificate).toEqual({ acmCertificateArn: CERTIFICATE, sslSupportMethod: 'sni-only', minimumProtocolVersion: 'TLSv1.2_2021' });
  });

  it('lets uploads and the API answer the configured dev origin besides the site', () => {
    const cors = only('aws:s3/bucketCorsConfiguration:BucketCorsConfiguration');
    expect(cors.corsRules).toEqual([expect.objectContaining({ allowedOrigins: ['https://chat.example.com', 'http://localhost:5173'] })]);
    const preflights = ofType('aws:apigateway/integrationResponse:IntegrationResponse');
    expect(preflights.length).toBeGreaterThan(0);
    for (const preflight of preflights) {
      expect((preflight.inputs.responseParameters as Record<string, string>)['method.response.header.Access-Control-Allow-Origin']).toBe("'http://localhost:5173'");
    }
    for (const fn of apiFunctions()) {
      expect((fn.inputs.environment as { variables: Record<string, string> }).variables.ALLOWED_ORIGINS, fn.name).toBe('http://localhost:5173');
    }
  });

  it('gives every API function the per-user limits, as the composition root reads them', () => {
    expect(apiFunctions()).toHaveLength(6);
    for (const fn of apiFunctions()) {
      const variables = variablesOf(fn.inputs);
      expect(variables, fn.name).toMatchObject({ USAGE_LIMIT_USD_PER_MONTH: '5', RATE_LIMIT_MESSAGES_PER_MINUTE: '10', STORAGE_LIMIT_MB_PER_USER: '500' });
      expect(loadConfig(variables).limits, fn.name).toEqual({ usageUsdPerMonth: 5, messagesPerMinute: 10, storageBytesPerUser: 500 * 1024 * 1024 });
    }
  });

  it('reserves the configured concurrency for the chat function, and for no other', () => {
    for (const fn of ofType('aws:lambda/function:Function')) {
      expect(fn.inputs.reservedConcurrentExecutions, fn.name).toBe(fn.name === 'chat-chat' ? 20 : undefined);
    }
  });

  it('lets people at the allowed domains sign up themselves, checked by a pre-sign-up trigger', () => {
    const pool = only('aws:cognito/userPool:UserPool');
    expect(pool.adminCreateUserConfig).toMatchObject({ allowAdminCreateUserOnly: false });
    const guard = named('aws:lambda/function:Function', 'chat-sign-up-guard');
    expect(pool.lambdaConfig).toEqual({ preSignUp: mockArn('chat-sign-up-guard') });
    // The domains as the handler compares them; nothing of the pool, which names the function first.
    expect(variablesOf(guard)).toEqual({ ALLOWED_EMAIL_DOMAINS: 'example.org,team.example.com' });
    expect(guard).toMatchObject({ runtime: 'nodejs22.x', handler: 'index.handler' });
    const policy = JSON.parse(named('aws:iam/rolePolicy:RolePolicy', 'chat-sign-up-guard-policy').policy as string) as { Statement: Array<{ Action: string[] }> };
    expect(policy.Statement.flatMap((statement) => statement.Action)).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
    const invokedByCognito = ofType('aws:lambda/permission:Permission').filter((permission) => permission.inputs.principal === 'cognito-idp.amazonaws.com');
    expect(invokedByCognito.map((permission) => permission.inputs)).toEqual([
      expect.objectContaining({ action: 'lambda:InvokeFunction', function: 'chat-sign-up-guard', sourceArn: mockArn('chat-users') }),
    ]);
  });

  it('invites users to the custom domain, the site address known before the deploy', () => {
    const config = only('aws:cognito/userPool:UserPool').adminCreateUserConfig as { inviteMessageTemplate: { emailMessage: string } };
    expect(config.inviteMessageTemplate.emailMessage).toContain('https://chat.example.com');
  });
});
