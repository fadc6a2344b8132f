import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

export interface FirewallArgs {
  /** Requests one IP address may make in 5 minutes before it is blocked for a while. */
  requestsPerFiveMinutesPerIp: number;
}

/**
 * The common rule set's rules that inspect request bodies: counted, not blocked. A chat message is
 * user text of up to 100,000 characters, often code, HTML, paths (`../`) and URLs, and an inline
 * file is up to 4 MB: these rules would refuse exactly that. The size and shape of bodies are the
 * API's own checks (400 and 413 with a reason); the rules on URIs, query strings and headers block.
 */
const BODY_RULES = ['SizeRestrictions_BODY', 'CrossSiteScripting_BODY', 'GenericLFI_BODY', 'GenericRFI_BODY', 'EC2MetaDataSSRF_BODY'];

/** The stack's `aws:` settings that decide which account and credentials a provider uses. */
function stackAccountSettings(): aws.ProviderArgs {
  const config = new pulumi.Config('aws');
  const settings: aws.ProviderArgs = {};
  const profile = config.get('profile');
  if (profile) settings.profile = profile;
  const lists = ['allowedAccountIds', 'forbiddenAccountIds', 'sharedConfigFiles', 'sharedCredentialsFiles'] as const;
  for (const key of lists) {
    const value = config.getObject<string[]>(key);
    if (value) settings[key] = value;
  }
  const assumeRoles = config.getObject<aws.types.input.ProviderAssumeRole[]>('assumeRoles');
  if (assumeRoles) settings.assumeRoles = assumeRoles;
  return settings;
}

/**
 * An opt-in WAFv2 web ACL for the CloudFront distribution (`chat:waf: true`): AWS's managed common
 * rule set, and a per-IP rate limit. It costs a monthly fee per web ACL and rule even when idle,
 * which is why it is not on by default.
 */
export class Firewall extends pulumi.ComponentResource {
  readonly webAcl: aws.wafv2.WebAcl;

  constructor(name: string, args: FirewallArgs, opts?: pulumi.ComponentResourceOptions) {
    super('chat:index:Firewall', name, {}, opts);
    // A web ACL for CloudFront lives in us-east-1, whatever the stack's region; with the account
    // settings the stack's default provider has (an explicit provider reads none of them itself).
    const usEast1 = new aws.Provider(`${name}-us-east-1`, { ...stackAccountSettings(), region: 'us-east-1' }, { parent: this });
    const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });
    this.webAcl = new aws.wafv2.WebAcl(
      `${name}-web-acl`,
      {
        scope: 'CLOUDFRONT',
        defaultAction: { allow: {} },
        visibilityConfig: visibility(`${name}-web-acl`),
        rules: [
          {
            name: 'rate-per-ip',
            priority: 0,
            action: { block: {} },
            statement: { rateBasedStatement: { aggregateKeyType: 'IP', limit: args.requestsPerFiveMinutesPerIp, evaluationWindowSec: 300 } },
            visibilityConfig: visibility(`${name}-rate-per-ip`),
          },
          {
            name: 'aws-common-rules',
            priority: 1,
            overrideAction: { none: {} },
            statement: {
              managedRuleGroupStatement: {
                vendorName: 'AWS',
                name: 'AWSManagedRulesCommonRuleSet',
                ruleActionOverrides: BODY_RULES.map((rule) => ({ name: rule, actionToUse: { count: {} } })),
              },
            },
            visibilityConfig: visibility(`${name}-aws-common-rules`),
          },
        ],
      },
      { parent: this, provider: usEast1 },
    );
    this.registerOutputs({ webAclArn: this.webAcl.arn });
  }
}
