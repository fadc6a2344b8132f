import {
  BedrockRuntimeClient,
  ConverseStreamCommand,
  type ConverseStreamCommandInput,
  type ConverseStreamOutput,
  type SystemContentBlock,
  type TokenUsage as BedrockTokenUsage,
} from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { quietSdkLogger } from '../aws/sdk-logger.js';
import type { StopReason, TokenUsage } from '../../domain/conversation.js';
import type { DomainError } from '../../domain/errors.js';
import type { ChatModel, ModelEvent, ModelLimits, ModelRequest } from '../../domain/ports/chat-model.js';
import { estimateTokens } from '../../domain/prompt/token-estimate.js';
import { isTransientNetworkError, isUnreachable, modelErrors } from './model-errors.js';
import { alternatingTurns, documentText, estimateRequestTokens } from './prompt-parts.js';
import { guardedStream } from './guarded-stream.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';

export interface BedrockClientOptions {
  region: string;
  /** `AWS_ENDPOINT_URL_BEDROCK_RUNTIME`: a local stand-in or a VPC endpoint. */
  endpoint?: string;
  /** Explicit credentials; without them the SDK's default chain finds them (Lambda role, profile...). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/**
 * One Bedrock Runtime client per process. The SDK's own retries are off: the adapter retries
 * (before the first token only) within its own bound of attempts and time, which SDK retries
 * would multiply. With an endpoint override the client speaks HTTP/1.1: its default handler is
 * HTTP/2, which local stand-ins do not speak.
 */
export function createBedrockRuntimeClient(options: BedrockClientOptions): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    region: options.region,
    maxAttempts: 1,
    logger: quietSdkLogger,
    ...(options.endpoint && { endpoint: options.endpoint, requestHandler: new NodeHttpHandler() }),
    ...(options.credentials && { credentials: options.credentials }),
  });
}

export interface BedrockModelOptions {
  /** A model id or an inference profile id, e.g. `eu.anthropic.claude-sonnet-4-5-20250929-v1:0`. */
  modelId: string;
  /** Named in error messages (access is enabled per region). */
  region: string;
  limits?: ModelLimits;
  /** Left to the model's default when absent. */
  temperature?: number;
  /** Mark the system prompt and the documents as a cached prefix (`cachePoint`). */
  promptCaching?: boolean;
  retry?: Partial<RetryPolicy>;
  /** For tests: the jitter's random draw. */
  random?: () => number;
}

/** Failures worth another call, before the first token. Validation and access problems never are. */
const RETRYABLE = new Set([
  'ThrottlingException',
  'ServiceUnavailableException',
  'InternalServerException',
  'ModelNotReadyException',
  'ModelStreamErrorException',
]);

const STOP_REASONS: Record<string, StopReason> = {
  end_turn: 'end_turn',
  max_tokens: 'max_tokens',
  stop_sequence: 'stop_sequence',
  content_filtered: 'content_filtered',
  guardrail_intervened: 'guardrail_intervened',
  tool_use: 'tool_use',
  // The answer was cut because the window was full: to the user, the same as running out of tokens.
  model_context_window_exceeded: 'max_tokens',
  malformed_tool_use: 'tool_use',
};

/** Own keys only: a reason named like an Object member (`constructor`) is an unknown one. */
const stopReasonOf = (reason: string | undefined): StopReason =>
  reason !== undefined && Object.hasOwn(STOP_REASONS, reason) ? STOP_REASONS[reason]! : 'end_turn';

/** Claude on Amazon Bedrock (or any Bedrock model that speaks Converse), streamed with ConverseStream. */
export class BedrockChatModel implements ChatModel {
  readonly modelId: string;
  readonly limits: ModelLimits;
  private readonly retry: RetryPolicy;

  constructor(
    private readonly client: BedrockRuntimeClient,
    private readonly options: BedrockModelOptions,
  ) {
    this.modelId = options.modelId;
    this.limits = options.limits ?? { contextWindowTokens: 200_000, maxOutputTokens: 4_000 };
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  }

  async *stream(request: ModelRequest, signal: AbortSignal): AsyncGenerator<ModelEvent, void, undefined> {
    const input = this.converseInput(request);
    yield* guardedStream(signal, (callSignal) => this.attempt(input, request, callSignal), {
      retry: this.retry,
      isRetryable,
      toError: (error, answered) => this.toDomainError(error, answered),
      ...(this.options.random && { random: this.options.random }),
    });
  }

  /** One ConverseStream call, its events mapped to ours. */
  private async *attempt(input: ConverseStreamCommandInput, request: ModelRequest, signal: AbortSignal): AsyncGenerator<ModelEvent> {
    const response = await this.client.send(new ConverseStreamCommand(input), { abortSignal: signal });
    if (!response.stream) throw new Error('Bedrock answered without a stream');
    let stopReason: StopReason | undefined;
    let usage: BedrockTokenUsage | undefined;
    let output = '';
    for await (const event of response.stream) {
      if (signal.aborted) return; // events already decoded when the stream was closed
      const text = event.contentBlockDelta?.delta?.text;
      if (text) {
        output += text;
        yield { type: 'text', text };
      } else if (event.messageStop) {
        stopReason = stopReasonOf(event.messageStop.stopReason);
      } else if (event.metadata) {
        usage = event.metadata.usage;
      } else {
        throwIfException(event);
      }
    }
    if (!stopReason) throw new IncompleteStream();
    yield { type: 'end', stopReason, usage: toUsage(usage, request, output) };
  }

  private converseInput(request: ModelRequest): ConverseStreamCommandInput {
    const system: SystemContentBlock[] = [];
    if (request.system.trim() !== '') system.push({ text: request.system });
    for (const doc of request.documents) system.push({ text: documentText(doc) });
    // The documents are sent again every turn: cached, later turns read them at a tenth of the price.
    if (this.cachingEnabled() && request.documents.length > 0) system.push({ cachePoint: { type: 'default' } });
    const maxTokens = request.maxOutputTokens > 0 ? request.maxOutputTokens : this.limits.maxOutputTokens;
    return {
      modelId: this.modelId,
      ...(system.length > 0 && { system }),
      messages: alternatingTurns(request.messages).map((turn) => ({ role: turn.role, content: [{ text: turn.content }] })),
      inferenceConfig: {
        maxTokens,
        ...(this.options.temperature !== undefined && { temperature: this.options.temperature }),
      },
    };
  }

  private cachingEnabled(): boolean {
    return this.options.promptCaching ?? supportsPromptCaching(this.modelId);
  }

  private toDomainError(error: unknown, answered: boolean): DomainError {
    const name = errorName(error);
    const status = httpStatus(error);
    const detail = error instanceof Error ? error.message : String(error);
    switch (name) {
      case 'ThrottlingException':
        return modelErrors.throttled(answered, error);
      case 'ServiceQuotaExceededException':
        return modelErrors.throttled(answered, error);
      case 'AccessDeniedException':
        return modelErrors.accessDenied(
          `Model access is not enabled for ${this.modelId} in ${this.options.region}: enable it in the Bedrock console ` +
            '(or the role lacks bedrock:InvokeModelWithResponseStream).',
          error,
        );
      case 'ResourceNotFoundException':
        return modelErrors.notFound(`There is no model ${this.modelId} in ${this.options.region}: check MODEL_ID and BEDROCK_REGION.`, error);
      case 'ValidationException':
        return modelErrors.refused(detail, error);
      case 'ModelTimeoutException':
        return modelErrors.timeout(error);
      case 'ServiceUnavailableException':
      case 'ModelNotReadyException':
        return modelErrors.unavailable(answered, error);
    }
    if (status === 429) return modelErrors.throttled(answered, error);
    // Credentials Bedrock does not take (UnrecognizedClientException, an expired token...): no retry can help.
    if (status === 401 || status === 403) {
      return modelErrors.accessDenied(`Bedrock in ${this.options.region} refused the credentials (HTTP ${status}): check the AWS keys or the role.`, error);
    }
    if (isUnreachable(error)) return modelErrors.unreachable(`Bedrock in ${this.options.region}`, error);
    if (!answered && (isTransientNetworkError(error) || (status !== undefined && status >= 500))) {
      return modelErrors.unavailable(answered, error);
    }
    // ModelStreamErrorException, InternalServerException, ModelErrorException, a stream cut short...
    return modelErrors.failed(answered, error);
  }
}

/** Claude models on Bedrock take cache points; for others the flag must be set on purpose. */
export const supportsPromptCaching = (modelId: string): boolean => /(^|[.:/])anthropic\.claude/.test(modelId);

class IncompleteStream extends Error {
  override readonly name = 'IncompleteStream';
  constructor() {
    super('the stream ended without messageStop');
  }
}

function isRetryable(error: unknown): boolean {
  if (RETRYABLE.has(errorName(error))) return true;
  const status = httpStatus(error);
  return (status !== undefined && status >= 500) || status === 429 || isTransientNetworkError(error);
}

/**
 * The SDK throws stream exceptions itself; should one arrive as an event all the same (a newer
 * exception member this SDK version does not model as an error), it is thrown here.
 */
function throwIfException(event: ConverseStreamOutput): void {
  for (const [key, value] of Object.entries(event)) {
    if (!key.endsWith('Exception') || value === undefined) continue;
    if (value instanceof Error) throw value;
    const message = (value as { message?: unknown }).message;
    throw Object.assign(new Error(typeof message === 'string' ? message : key), { name: key[0]!.toUpperCase() + key.slice(1) });
  }
}

/** `ThrottlingException`, also for the camel-cased names of stream exceptions the SDK did not model. */
function errorName(error: unknown): string {
  const name = error instanceof Error ? error.name : '';
  return name.length > 0 ? name[0]!.toUpperCase() + name.slice(1) : '';
}

function httpStatus(error: unknown): number | undefined {
  const status = (error as { $metadata?: { httpStatusCode?: unknown } } | undefined)?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

function toUsage(usage: BedrockTokenUsage | undefined, request: ModelRequest, output: string): TokenUsage {
  if (!usage) {
    // Bedrock always sends metadata; should it not, our estimate beats a zero.
    return { inputTokens: estimateRequestTokens(request), outputTokens: estimateTokens(output) };
  }
  const result: TokenUsage = { inputTokens: usage.inputTokens ?? 0, outputTokens: usage.outputTokens ?? 0 };
  if (usage.cacheReadInputTokens !== undefined) result.cacheReadTokens = usage.cacheReadInputTokens;
  if (usage.cacheWriteInputTokens !== undefined) result.cacheWriteTokens = usage.cacheWriteInputTokens;
  return result;
}
