/** A failed Bedrock call, in plain words: what happened and the one thing to do about it. */
export interface Explanation {
  detail: string;
  fix: string;
}

interface Where {
  modelId: string;
  region: string;
  /** AWS_ENDPOINT_URL_BEDROCK_RUNTIME, when the calls go somewhere else than AWS. */
  endpoint?: string;
}

const MODEL_ACCESS_FIX =
  'Anthropic models need the one-time use case form in the Bedrock console (Model catalog → the model → submit use case details); ' +
  'access is then granted through an AWS Marketplace subscription on the first call, which needs aws-marketplace:Subscribe, ' +
  'aws-marketplace:Unsubscribe and aws-marketplace:ViewSubscriptions for whoever calls first, and a valid payment method on the account; ' +
  'after fixing, run this again (the subscription can take up to 15 minutes)';

const CREDENTIAL_ERRORS = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'ExpiredToken',
  'InvalidClientTokenId',
  'CredentialsProviderError',
  'TokenProviderError',
]);

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN']);

/**
 * Bedrock's errors for a Converse call, mapped to what a newcomer has to do. The messages are
 * matched loosely: Bedrock words the same cause differently across models and over time.
 */
export function explainBedrockError(error: unknown, where: Where): Explanation {
  const name = errorName(error);
  const message = errorMessage(error);
  const { modelId, region } = where;
  const said = message ? `: ${message}` : '';

  if (name === 'AccessDeniedException') {
    if (/use case/i.test(message)) {
      return {
        detail: `Anthropic's use case details have not been submitted for this account${said}`,
        fix: 'in the Bedrock console open Model catalog → the Claude model → submit use case details (once per account, or once in the organization\'s management account), then run this again after a few minutes (up to 15)',
      };
    }
    if (/payment/i.test(message)) {
      return { detail: `the AWS Marketplace subscription needs a valid payment method${said}`, fix: 'add a payment method in the AWS Billing console, then run this again' };
    }
    if (/not authori[sz]ed to perform: bedrock:/i.test(message)) {
      return {
        detail: `these credentials may not call the model${said}`,
        fix: `allow bedrock:InvokeModel on the inference profile ${modelId} and on the foundation model in each region it routes to`,
      };
    }
    return { detail: `no access to ${modelId} in ${region} yet${said}`, fix: MODEL_ACCESS_FIX };
  }
  if (name === 'ValidationException') {
    return {
      detail: `Bedrock does not take ${modelId} in ${region}${said}`,
      fix: `set chat:modelId to an inference profile available in ${region} (list them: \`aws bedrock list-inference-profiles --region ${region}\`)`,
    };
  }
  if (name === 'ResourceNotFoundException') {
    return {
      detail: `${modelId} is not found in ${region}${said}`,
      fix: `check chat:modelId: the model may be retired or not offered in ${region} (list them: \`aws bedrock list-inference-profiles --region ${region}\`)`,
    };
  }
  if (CREDENTIAL_ERRORS.has(name) || /security token|signature|expired/i.test(message)) {
    return {
      detail: `AWS did not accept the credentials${said}`,
      fix: 'renew them (`aws sso login`, or a new access key with `aws configure`) and check AWS_PROFILE points at the account you mean',
    };
  }
  if (name === 'ThrottlingException' || name === 'ServiceQuotaExceededException') {
    return {
      detail: `Bedrock refused the call for now (${name})${said}`,
      fix: `try again in a minute; if it stays, look at the account's Amazon Bedrock quotas for this model in Service Quotas (${region})`,
    };
  }
  const target = where.endpoint ?? `Bedrock Runtime in ${region}`;
  if (name === 'AbortError' || name === 'TimeoutError') {
    return { detail: `${target} did not answer in time`, fix: 'check the network connection (and any proxy), then run this again' };
  }
  const code = networkCode(error);
  if (code) {
    return {
      detail: `${target} cannot be reached (${code})`,
      fix: where.endpoint ? 'check AWS_ENDPOINT_URL_BEDROCK_RUNTIME, or unset it to call AWS' : 'check the network connection (and any proxy), then run this again',
    };
  }
  return { detail: `the call failed (${name || 'unknown error'})${said}`, fix: `check chat:modelId, the region (${region}) and the account's access in the Bedrock console` };
}

const errorName = (error: unknown): string => (error instanceof Error ? error.name : '');

/** The first line of the message: some SDK errors carry a long tail of advice. */
const errorMessage = (error: unknown): string => ((error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '').trim();

/** The Node error code of a network failure, looking through `cause` (the SDK may wrap it). */
function networkCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
