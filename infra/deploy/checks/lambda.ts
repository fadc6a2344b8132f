import { GetAccountSettingsCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { missing, ok, skipped, type CheckItem, type CheckResult, type Env } from './check-result.js';
import { configString, type StackConfig } from './stack-config.js';

export const LAMBDA_CONCURRENCY: CheckItem = { label: 'Lambda concurrency', name: 'Lambda concurrency for chat:chatReservedConcurrency' };

const KEY = 'chat:chatReservedConcurrency';
/** Lambda refuses a reservation that leaves fewer unreserved executions than this in the account and region. */
const UNRESERVED_MINIMUM = 100;
/** Service Quotas: AWS Lambda, "Concurrent executions". */
const QUOTA_CODE = 'L-B99A9384';

/** The account's Lambda concurrency in the region, as GetAccountSettings gives it. */
export interface AccountConcurrency {
  /** AccountLimit.ConcurrentExecutions: the quota. */
  limit: number;
  /** AccountLimit.UnreservedConcurrentExecutions: the quota less what functions have reserved. */
  unreserved: number;
}

export type ReadAccountConcurrency = () => Promise<AccountConcurrency>;

/**
 * The SDK's default credential chain, no SDK retries. AWS_ENDPOINT_URL_LAMBDA (which the SDK reads
 * itself) sends the call elsewhere; the Lambda client already speaks HTTP/1.1 by default.
 */
export function preflightLambdaClient(region: string | undefined): LambdaClient {
  return new LambdaClient({ ...(region && { region }), maxAttempts: 1 });
}

/** One GetAccountSettings call, given up after `timeoutMs`. */
export function accountConcurrency(client: LambdaClient, timeoutMs: number): ReadAccountConcurrency {
  return async () => {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    try {
      const { AccountLimit: limit } = await client.send(new GetAccountSettingsCommand({}), { abortSignal: abort.signal });
      if (typeof limit?.ConcurrentExecutions !== 'number' || typeof limit.UnreservedConcurrentExecutions !== 'number') {
        throw new Error('GetAccountSettings answered without AccountLimit.ConcurrentExecutions and UnreservedConcurrentExecutions');
      }
      return { limit: limit.ConcurrentExecutions, unreserved: limit.UnreservedConcurrentExecutions };
    } finally {
      clearTimeout(timer);
    }
  };
}

export interface LambdaConcurrencyInput {
  config: StackConfig;
  region: string | undefined;
  credentialsFound: boolean;
  /**
   * The stack already holds resources (`pulumi stack ls`): its chat function, if it was deployed
   * with this reservation, already counts in what is reserved, and must not be counted twice.
   */
  stackDeployed: boolean;
  env: Env;
  read: ReadAccountConcurrency;
}

/**
 * Whether the account's Lambda concurrency leaves room for `chat:chatReservedConcurrency`: AWS
 * refuses a reservation that would leave fewer than 100 executions unreserved in the region, and
 * `pulumi up` would stop halfway, at the chat function. A new account's quota is often 10.
 *
 * GetAccountSettings gives what is unreserved now. On a first deploy the chat function reserves
 * nothing yet, so the reservation has to fit in that. On a redeploy its reservation is already
 * out of it; which of the two applies is judged by whether the stack holds resources, assuming a
 * deployed chat function already holds the reservation configured now.
 */
export async function checkLambdaConcurrency(input: LambdaConcurrencyInput): Promise<CheckResult> {
  const { config, region } = input;
  const raw = configString(config, KEY);
  if (raw === undefined) return skipped(LAMBDA_CONCURRENCY, `not needed: ${KEY} is not set (the chat function reserves none)`);
  const reserved = Number(raw);
  const removeIt = `\`pulumi config rm ${KEY} --stack ${config.stack}\``;
  if (!Number.isInteger(reserved) || reserved < -1) {
    return missing(LAMBDA_CONCURRENCY, `${KEY} is ${raw}, not a whole number of executions`, `run \`pulumi config set ${KEY} 10 --stack ${config.stack}\`, or ${removeIt}`);
  }
  // -1 is Lambda's "no reservation"; 0 throttles the function without taking from the account's pool.
  if (reserved <= 0) return skipped(LAMBDA_CONCURRENCY, `not needed: ${KEY} is ${reserved}, which takes nothing from the account's unreserved concurrency`);
  if (!input.credentialsFound) return skipped(LAMBDA_CONCURRENCY, 'not checked: needs AWS credentials');
  if (!region) return skipped(LAMBDA_CONCURRENCY, 'not checked: needs an AWS region');

  const endpoint = input.env.AWS_ENDPOINT_URL_LAMBDA;
  const where = `in ${region}${endpoint ? ` (through ${endpoint})` : ''}`;
  let account: AccountConcurrency;
  try {
    account = await input.read();
  } catch (error) {
    const { detail, fix } = explainLambdaError(error, endpoint, removeIt);
    return missing(LAMBDA_CONCURRENCY, detail, fix);
  }

  const { limit, unreserved } = account;
  const left = unreserved - reserved;
  if (left >= UNRESERVED_MINIMUM) {
    return ok(LAMBDA_CONCURRENCY, `reserving ${reserved} leaves ${left} of the account's ${limit} concurrent executions unreserved ${where} (AWS keeps at least ${UNRESERVED_MINIMUM})`);
  }
  if (input.stackDeployed && unreserved >= UNRESERVED_MINIMUM) {
    return ok(
      LAMBDA_CONCURRENCY,
      `${unreserved} of the account's ${limit} concurrent executions are unreserved ${where}: enough if the stack's chat function already holds its reservation of ${reserved} (the stack is deployed); a larger reservation would need a higher quota`,
    );
  }
  // What the quota has to be: what other functions reserve, this reservation, and the 100 kept free.
  const needed = limit - unreserved + reserved + UNRESERVED_MINIMUM;
  const reservedByOthers = limit - unreserved;
  return missing(
    LAMBDA_CONCURRENCY,
    `the account's Lambda quota ${where} is ${limit} concurrent executions${reservedByOthers > 0 ? `, ${reservedByOthers} of them reserved by other functions` : ''}; ` +
      `reserving ${reserved} for the chat would leave ${left} unreserved, and AWS refuses a reservation that leaves fewer than ${UNRESERVED_MINIMUM}, so \`pulumi up\` would fail at the chat function` +
      (input.stackDeployed ? '' : ' (counted as a first deploy)'),
    `ask for a higher "Concurrent executions" quota (at least ${needed}) for AWS Lambda in ${region} in the Service Quotas console (quota code ${QUOTA_CODE}; ` +
      `\`aws service-quotas request-service-quota-increase --service-code lambda --quota-code ${QUOTA_CODE} --desired-value ${Math.max(needed, 1000)} --region ${region}\`), ` +
      `or deploy without a reservation: ${removeIt}`,
  );
}

const CREDENTIAL_ERRORS = new Set(['UnrecognizedClientException', 'InvalidSignatureException', 'ExpiredTokenException', 'ExpiredToken', 'InvalidClientTokenId', 'CredentialsProviderError']);

/** A failed GetAccountSettings call in plain words; the reservation stays unverified, so it is reported missing. */
function explainLambdaError(error: unknown, endpoint: string | undefined, removeIt: string): { detail: string; fix: string } {
  const name = error instanceof Error ? error.name : '';
  const message = ((error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '').trim();
  const said = message ? `: ${message}` : '';
  if (name === 'AccessDeniedException' || name === 'AccessDenied') {
    return {
      detail: `these credentials may not read the account's Lambda settings${said}`,
      fix: `allow lambda:GetAccountSettings for them, or deploy without a reservation: ${removeIt}`,
    };
  }
  if (CREDENTIAL_ERRORS.has(name)) {
    return {
      detail: `AWS did not accept the credentials${said}`,
      fix: 'renew them (`aws sso login`, or a new access key with `aws configure`) and check AWS_PROFILE points at the account you mean',
    };
  }
  const target = endpoint ?? 'the Lambda API';
  if (name === 'AbortError' || name === 'TimeoutError') {
    return { detail: `${target} did not answer GetAccountSettings in time`, fix: 'check the network connection (and any proxy), then run this again' };
  }
  return {
    detail: `GetAccountSettings failed${name && name !== 'Error' ? ` (${name})` : ''}${said}`,
    fix: endpoint ? 'check AWS_ENDPOINT_URL_LAMBDA, or unset it to call AWS' : 'check the network connection (and any proxy), then run this again',
  };
}
