import { missing, ok, type CheckItem, type CheckResult, type Env } from './check-result.js';
import { configString, type StackConfig } from './stack-config.js';
import { withTimeout } from './with-timeout.js';

export const AWS_CREDENTIALS: CheckItem = { label: 'AWS credentials', name: 'AWS credentials' };
export const AWS_REGION: CheckItem = { label: 'AWS region', name: 'an AWS region (aws:region)' };

const CREDENTIALS_FIX =
  'with the AWS CLI run `aws configure` (an access key) or `aws configure sso` and `aws sso login`, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; for a named profile also export AWS_PROFILE';

/** The SDK's default provider chain, as a client built with no explicit credentials holds it. */
export type ResolveCredentials = () => Promise<{ accessKeyId: string; expiration?: Date }>;

export interface CredentialsCheck {
  result: CheckResult;
  found: boolean;
}

/**
 * Finds credentials the way the deploy will (environment, profile, SSO, process, container or
 * instance role), bounded in time: off AWS the instance-metadata step can otherwise wait for
 * seconds. Finding them does not prove they are valid; the Bedrock call does that.
 */
export async function checkAwsCredentials(resolve: ResolveCredentials, env: Env, timeoutMs: number): Promise<CredentialsCheck> {
  try {
    const credentials = await withTimeout(resolve(), timeoutMs, 'looking for AWS credentials');
    const profile = env.AWS_PROFILE ? ` (profile ${env.AWS_PROFILE})` : '';
    const expiry = credentials.expiration ? `, valid until ${credentials.expiration.toISOString()}` : '';
    return { result: ok(AWS_CREDENTIALS, `access key ${maskKey(credentials.accessKeyId)}${profile}${expiry}`), found: true };
  } catch (error) {
    return { result: missing(AWS_CREDENTIALS, `none found: ${oneLine(error)}`, CREDENTIALS_FIX), found: false };
  }
}

export interface RegionCheck {
  result: CheckResult;
  /** Where the stack deploys and its functions call Bedrock; else the shell's region, for the Bedrock check alone. */
  region?: string;
}

/**
 * The stack's `aws:region` decides where `pulumi up` creates everything, and infra/index.ts
 * requires it; AWS_REGION / AWS_DEFAULT_REGION do not change it. So the region is taken from the
 * stack config, and the shell's region is only offered as the value to set when it is missing.
 */
export function checkRegion(config: StackConfig, env: Env): RegionCheck {
  const fromConfig = configString(config, 'aws:region');
  const fromEnv = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  const envName = env.AWS_REGION ? 'AWS_REGION' : 'AWS_DEFAULT_REGION';
  if (fromConfig) {
    const differs = fromEnv && fromEnv !== fromConfig ? ` (${envName}=${fromEnv} is not used: the stack deploys to aws:region)` : '';
    return { result: ok(AWS_REGION, `${fromConfig} from the ${config.stack} stack's config${differs}`), region: fromConfig };
  }
  const suggestion = fromEnv ?? 'eu-west-1';
  return {
    result: missing(
      AWS_REGION,
      fromEnv ? `${envName}=${fromEnv} is set, but the stack reads aws:region, which is not set` : `aws:region is not set in Pulumi.yaml or Pulumi.${config.stack}.yaml`,
      `run \`pulumi config set aws:region ${suggestion} --stack ${config.stack}\` (a region where Bedrock offers the model)`,
    ),
    region: fromEnv,
  };
}

/** Enough of the key to tell which identity it is, not enough to matter if the output is shared. */
const maskKey = (accessKeyId: string): string => (accessKeyId.length > 8 ? `${accessKeyId.slice(0, 4)}…${accessKeyId.slice(-4)}` : '…');

const oneLine = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
