import { beforeAll, describe, expect, it } from 'vitest';
import { runStackWithMocks, type Registered } from '../support/pulumi-stack.js';

const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/0d1e2f';
let registered: Registered[] = [];
const ofType = (type: string) => registered.filter((resource) => resource.type === type);
const only = (type: string) => {
  const found = ofType(type);
  expect(found, type).toHaveLength(1);
  return found[0]!.inputs;
};

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
    for (const fn of ofType('aws:lambda/function:Function').filter((fn) => fn.name !== 'chat-history-expiry')) {
      expect((fn.inputs.environment as { variables: Record<string, string> }).variables.ALLOWED_ORIGINS, fn.name).toBe('http://localhost:5173');
    }
  });
});
