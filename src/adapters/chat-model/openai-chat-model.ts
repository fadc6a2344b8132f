import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { StopReason, TokenUsage } from '../../domain/conversation.js';
import type { DomainError } from '../../domain/errors.js';
import type { ChatModel, ModelEvent, ModelLimits, ModelRequest } from '../../domain/ports/chat-model.js';
import { estimateTokens } from '../../domain/prompt/token-estimate.js';
import { isTransientNetworkError, isUnreachable, modelErrors } from './model-errors.js';
import { alternatingTurns, documentText, estimateRequestTokens } from './prompt-parts.js';
import { guardedStream } from './guarded-stream.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';

export interface OpenAiModelOptions {
  /** The API root, `/v1` included: `http://127.0.0.1:11434/v1` (Ollama), `https://api.openai.com/v1`... */
  baseUrl: string;
  /** Sent as a bearer token; local servers (Ollama, llama.cpp) need none. */
  apiKey?: string;
  modelId: string;
  /** Set them to what the server really serves: local servers often have a small context. */
  limits?: ModelLimits;
  temperature?: number;
  retry?: Partial<RetryPolicy>;
  /** For tests: the jitter's random draw. */
  random?: () => number;
}

/** The parts of a `chat.completion.chunk` that we read. */
interface CompletionChunk {
  choices?: Array<{ delta?: { content?: string | null }; finish_reason?: string | null }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number; prompt_tokens_details?: { cached_tokens?: number } | null } | null;
  /** vLLM and OpenAI report a failure after the headers as a chunk of its own. */
  error?: { message?: string; code?: unknown; type?: string };
}

const STOP_REASONS: Record<string, StopReason> = {
  stop: 'end_turn',
  length: 'max_tokens',
  content_filter: 'content_filtered',
  tool_calls: 'tool_use',
  function_call: 'tool_use',
};

/** Own keys only: a reason named like an Object member (`constructor`) is an unknown one. */
const stopReasonOf = (reason: string | undefined): StopReason =>
  reason !== undefined && Object.hasOwn(STOP_REASONS, reason) ? STOP_REASONS[reason]! : 'end_turn';

/** The server answered with an error status. */
class HttpFailure extends Error {
  override readonly name = 'HttpFailure';
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(`HTTP ${status}: ${detail}`);
  }
}

/** The stream broke its own rules: malformed JSON, an error chunk, an end without a finish reason. */
class BrokenStream extends Error {
  override readonly name = 'BrokenStream';
}

/**
 * A model behind an OpenAI-compatible chat completions API (Ollama, vLLM, llama.cpp's server,
 * OpenAI), streamed as Server-Sent Events with `fetch`.
 */
export class OpenAiChatModel implements ChatModel {
  readonly modelId: string;
  readonly limits: ModelLimits;
  private readonly retry: RetryPolicy;
  private readonly url: string;

  constructor(private readonly options: OpenAiModelOptions) {
    this.modelId = options.modelId;
    this.limits = options.limits ?? { contextWindowTokens: 32_768, maxOutputTokens: 4_000 };
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.url = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  }

  async *stream(request: ModelRequest, signal: AbortSignal): AsyncGenerator<ModelEvent, void, undefined> {
    const body = JSON.stringify(this.requestBody(request));
    yield* guardedStream(signal, (callSignal) => this.attempt(body, request, callSignal), {
      retry: this.retry,
      isRetryable,
      toError: (error, answered) => this.toDomainError(error, answered),
      ...(this.options.random && { random: this.options.random }),
    });
  }

  private async *attempt(body: string, request: ModelRequest, signal: AbortSignal): AsyncGenerator<ModelEvent> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'text/event-stream' };
    if (this.options.apiKey) headers.Authorization = `Bearer ${this.options.apiKey}`;
    const response = await fetch(this.url, { method: 'POST', headers, body, signal });
    if (!response.ok) throw new HttpFailure(response.status, await errorDetail(response));
    if (!response.body) throw new BrokenStream('the response has no body');

    const messages: EventSourceMessage[] = [];
    const parser = createParser({ onEvent: (message) => messages.push(message) });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let stopReason: StopReason | undefined;
    let usage: CompletionChunk['usage'];
    let output = '';
    try {
      read: for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.feed(value);
        for (const message of messages.splice(0)) {
          if (signal.aborted) return; // events already received when the stream was closed
          if (message.data === '[DONE]') break read;
          const chunk = parseChunk(message.data);
          const choice = chunk.choices?.[0];
          const text = choice?.delta?.content;
          if (text) {
            output += text;
            yield { type: 'text', text };
          }
          if (choice?.finish_reason) stopReason = stopReasonOf(choice.finish_reason);
          if (chunk.usage) usage = chunk.usage;
        }
      }
    } finally {
      // Closes the connection when we stop early; a no-op once the body has been read.
      reader.cancel().catch(() => {});
    }
    if (!stopReason) throw new BrokenStream('the stream ended before a finish reason');
    yield { type: 'end', stopReason, usage: toUsage(usage, request, output) };
  }

  private requestBody(request: ModelRequest): Record<string, unknown> {
    // One system message: some servers (llama.cpp templates) take a single one only, and first.
    const system = [request.system, ...request.documents.map(documentText)].filter((part) => part.trim() !== '').join('\n\n');
    const turns = alternatingTurns(request.messages);
    return {
      model: this.modelId,
      messages: system === '' ? turns : [{ role: 'system', content: system }, ...turns],
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: request.maxOutputTokens > 0 ? request.maxOutputTokens : this.limits.maxOutputTokens,
      ...(this.options.temperature !== undefined && { temperature: this.options.temperature }),
    };
  }

  private toDomainError(error: unknown, answered: boolean): DomainError {
    const where = this.options.baseUrl;
    if (error instanceof HttpFailure) {
      const { status, detail } = error;
      if (status === 429) return modelErrors.throttled(answered, error);
      if (status === 401 || status === 403) {
        return modelErrors.accessDenied(`The model server at ${where} refused access to ${this.modelId} (HTTP ${status}): check OPENAI_API_KEY.`, error);
      }
      if (status === 404) {
        return modelErrors.notFound(`The model server at ${where} has no model ${this.modelId} (HTTP 404): check MODEL_ID and OPENAI_BASE_URL.`, error);
      }
      if (status === 408 || status === 504) return modelErrors.timeout(error);
      if (status >= 500) return modelErrors.unavailable(answered, error);
      if (status >= 400) return modelErrors.refused(detail, error);
    }
    if (isUnreachable(error)) return modelErrors.unreachable(where, error);
    if (!answered && isTransientNetworkError(error)) return modelErrors.unavailable(answered, error);
    // A cut connection, malformed JSON, an error chunk, anything unexpected.
    return modelErrors.failed(answered, error);
  }
}

function isRetryable(error: unknown): boolean {
  if (error instanceof HttpFailure) return error.status === 429 || (error.status >= 500 && error.status !== 501);
  return isTransientNetworkError(error);
}

function parseChunk(data: string): CompletionChunk {
  let chunk: unknown;
  try {
    chunk = JSON.parse(data);
  } catch (error) {
    throw new BrokenStream(`a chunk is not JSON: ${data.slice(0, 100)}`, { cause: error });
  }
  if (typeof chunk !== 'object' || chunk === null) throw new BrokenStream(`a chunk is not an object: ${data.slice(0, 100)}`);
  const parsed = chunk as CompletionChunk;
  if (parsed.error) throw new BrokenStream(`the server reported an error mid-stream: ${parsed.error.message ?? JSON.stringify(parsed.error)}`);
  return parsed;
}

/** `{"error": {"message"}}` (OpenAI, vLLM), `{"error": "..."}` (Ollama), or the text itself. */
async function errorDetail(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    const message = typeof parsed.error === 'string' ? parsed.error : (parsed.error?.message ?? parsed.message);
    if (typeof message === 'string' && message !== '') return message;
  } catch {
    // not JSON: the text will do
  }
  return text.slice(0, 500) || response.statusText;
}

function toUsage(usage: CompletionChunk['usage'], request: ModelRequest, output: string): TokenUsage {
  if (typeof usage?.prompt_tokens !== 'number' || typeof usage.completion_tokens !== 'number') {
    // Servers that ignore `stream_options.include_usage` report nothing: our own estimate (the same
    // one the prompt budget uses) keeps the figures meaningful, if approximate.
    return { inputTokens: estimateRequestTokens(request), outputTokens: estimateTokens(output) };
  }
  const result: TokenUsage = { inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens };
  const cached = usage.prompt_tokens_details?.cached_tokens;
  if (typeof cached === 'number' && cached > 0) result.cacheReadTokens = cached;
  return result;
}
