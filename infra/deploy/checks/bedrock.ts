import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { explainBedrockError } from './bedrock-errors.js';
import { missing, ok, skipped, type CheckItem, type CheckResult, type Env } from './check-result.js';
import { configString, type StackConfig } from './stack-config.js';

/** One call to the model; resolves when it answered. */
export type ConverseOnce = (modelId: string) => Promise<void>;

/**
 * The client for both the credentials check and the model call, with the SDK's default
 * credential chain. No SDK retries: one call is the point. With AWS_ENDPOINT_URL_BEDROCK_RUNTIME
 * (which the SDK reads itself) it speaks HTTP/1.1: the Bedrock client's default handler is
 * HTTP/2, which local stand-ins do not speak.
 */
export function preflightBedrockClient(region: string | undefined, env: Env): BedrockRuntimeClient {
  const endpoint = env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME;
  return new BedrockRuntimeClient({
    ...(region && { region }),
    maxAttempts: 1,
    ...(endpoint && { requestHandler: new NodeHttpHandler() }),
  });
}

/** The smallest Converse call there is: one short message, one token back (a fraction of a cent). */
export function converseOnce(client: BedrockRuntimeClient, timeoutMs: number): ConverseOnce {
  return async (modelId) => {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    try {
      await client.send(
        new ConverseCommand({ modelId, messages: [{ role: 'user', content: [{ text: 'Hi' }] }], inferenceConfig: { maxTokens: 1 } }),
        { abortSignal: abort.signal },
      );
    } finally {
      clearTimeout(timer);
    }
  };
}

export interface BedrockCheckInput {
  config: StackConfig;
  region: string | undefined;
  credentialsFound: boolean;
  env: Env;
  converse: ConverseOnce;
}

/**
 * Whether the configured model answers with these credentials in this region: the one thing
 * that otherwise only shows after the deploy, as the chat's first error. Only for
 * `chat:modelProvider: bedrock`; the stack's default, `offline`, calls no model.
 */
export async function checkBedrockAccess(input: BedrockCheckInput): Promise<CheckResult> {
  const { config, region } = input;
  const provider = configString(config, 'chat:modelProvider') ?? 'offline';
  const modelId = configString(config, 'chat:modelId');
  const item: CheckItem = { label: 'Bedrock model access', name: `Bedrock access to ${modelId ?? 'the model'}` };
  // A model module replaces the built-in provider: the chat function calls no Bedrock model then.
  const modelModule = configString(config, 'chat:modelModule');
  if (modelModule) return skipped(item, `not needed: the model is chat:modelModule's (${modelModule})`);
  if (provider !== 'bedrock') return skipped(item, `not needed: chat:modelProvider is ${provider}`);
  if (!modelId) {
    return missing(
      { ...item, name: 'chat:modelId' },
      'chat:modelId is not set',
      `run \`pulumi config set chat:modelId eu.anthropic.claude-sonnet-4-5-20250929-v1:0 --stack ${config.stack}\` (an inference profile in your region)`,
    );
  }
  if (!input.credentialsFound) return skipped(item, 'not checked: needs AWS credentials');
  if (!region) return skipped(item, 'not checked: needs an AWS region');
  const endpoint = input.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME;
  try {
    await input.converse(modelId);
    return ok(item, `${modelId} answered in ${region}${endpoint ? ` (through ${endpoint})` : ''}`);
  } catch (error) {
    const { detail, fix } = explainBedrockError(error, { modelId, region, ...(endpoint && { endpoint }) });
    return missing(item, detail, fix);
  }
}
