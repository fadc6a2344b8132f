import { guardedStream } from '../../src/adapters/chat-model/guarded-stream.js';
import { isTransientNetworkError, isUnreachable, modelErrors } from '../../src/adapters/chat-model/model-errors.js';
import { alternatingTurns, documentText, estimateRequestTokens } from '../../src/adapters/chat-model/prompt-parts.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../src/adapters/chat-model/retry.js';
import type { TokenUsage } from '../../src/domain/conversation.js';
import type { ChatModel, ModelEvent, ModelLimits, ModelRequest } from '../../src/domain/ports/chat-model.js';
import { estimateTokens } from '../../src/domain/prompt/token-estimate.js';

/**
 * An adapter worth copying for a provider with a streaming protocol of its own, here a made-up one:
 * `POST <base>/generate` answers with one JSON object a line (NDJSON), `{"text":"Hel"}`, `{"text":"lo"}`,
 * then `{"done":true,"reason":"stop","usage":{"input":12,"output":2}}` (`reason` "length" when cut
 * at the longest answer); an error is a status with `{"error":"..."}`. The helpers do the hard parts:
 * guardedStream (retry before the first token, the connection closed on abort, one error mapping),
 * modelErrors (the errors users read), prompt parts (files, turns, a token estimate). Start it:
 *
 *   MODEL_PROVIDER=module:examples/ndjson-model/ndjson-model.ts NDJSON_BASE_URL=https://… NDJSON_API_KEY=… npm start
 */
export default function ndjsonModel(env: Record<string, string | undefined>): ChatModel {
  // Thrown here, the start stops with this line: better than a first chat that fails.
  if (!env.NDJSON_BASE_URL) throw new Error('NDJSON_BASE_URL is not set (the model server, e.g. https://models.example.com)');
  return new NdjsonChatModel({
    baseUrl: env.NDJSON_BASE_URL,
    apiKey: env.NDJSON_API_KEY,
    modelId: env.NDJSON_MODEL_ID ?? 'ndjson-large',
    limits: { contextWindowTokens: Number(env.NDJSON_CONTEXT_WINDOW ?? 32_768), maxOutputTokens: 4_000 },
  });
}

export interface NdjsonModelOptions {
  baseUrl: string;
  apiKey?: string | undefined;
  modelId: string;
  limits: ModelLimits;
  /** Tests give a quick one; a deployment keeps the default (4 calls within 15 s). */
  retry?: RetryPolicy;
}

/** The lines of the protocol, as far as we read them. */
interface Line {
  text?: string;
  done?: boolean;
  reason?: string;
  usage?: { input?: number; output?: number };
  error?: string;
}

/** The server answered with an error status; `detail` is its own words. */
class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(`HTTP ${status}: ${detail}`);
  }
}

export class NdjsonChatModel implements ChatModel {
  readonly modelId: string;
  readonly limits: ModelLimits;

  constructor(private readonly options: NdjsonModelOptions) {
    this.modelId = options.modelId;
    this.limits = options.limits;
  }

  stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelEvent> {
    const body = JSON.stringify({
      model: this.modelId,
      system: [request.system, ...request.documents.map(documentText)].join('\n\n'),
      turns: alternatingTurns(request.messages),
      max_tokens: request.maxOutputTokens,
    });
    return guardedStream(signal, (callSignal) => this.attempt(body, request, callSignal), {
      retry: this.options.retry ?? DEFAULT_RETRY_POLICY,
      // A busy or failing server may answer the next call; a refused key or request will not.
      isRetryable: (error) => (error instanceof HttpFailure ? error.status === 429 || error.status >= 500 : isTransientNetworkError(error)),
      toError: (error, answered) => this.toDomainError(error, answered),
    });
  }

  /** One call. `signal` goes to fetch: aborting it closes the connection, so the model stops generating. */
  private async *attempt(body: string, request: ModelRequest, signal: AbortSignal): AsyncGenerator<ModelEvent> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    const response = await fetch(`${this.options.baseUrl.replace(/\/+$/, '')}/generate`, { method: 'POST', headers, body, signal });
    if (!response.ok || !response.body) throw new HttpFailure(response.status, await response.text().catch(() => ''));
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffered = '';
    let output = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) throw new Error('the stream ended before its done line');
        buffered += value;
        const lines = buffered.split('\n');
        buffered = lines.pop()!; // an unfinished line waits for the rest
        for (const text of lines.filter((line) => line.trim() !== '')) {
          const line = JSON.parse(text) as Line; // malformed: thrown, and mapped to MODEL_FAILED
          if (line.error) throw new Error(`the server failed mid-answer: ${line.error}`);
          if (line.text) {
            output += line.text;
            yield { type: 'text', text: line.text };
          }
          if (line.done) {
            yield { type: 'end', stopReason: line.reason === 'length' ? 'max_tokens' : 'end_turn', usage: usageOf(line, request, output) };
            return;
          }
        }
      }
    } finally {
      // Left early (an abort, a reader that went away, a failure): cancelling closes the connection.
      await reader.cancel().catch(() => {});
    }
  }

  private toDomainError(error: unknown, answered: boolean): Error {
    if (error instanceof HttpFailure) {
      const { status, detail } = error;
      if (status === 401 || status === 403) return modelErrors.accessDenied(`The model server refused the key (HTTP ${status}): check NDJSON_API_KEY.`, error);
      if (status === 404) return modelErrors.notFound(`The model server has no model ${this.modelId}: check NDJSON_MODEL_ID.`, error);
      if (status === 429) return modelErrors.throttled(answered, error);
      if (status >= 500) return modelErrors.unavailable(answered, error);
      return modelErrors.refused(detail, error);
    }
    if (isUnreachable(error)) return modelErrors.unreachable(this.options.baseUrl, error);
    if (!answered && isTransientNetworkError(error)) return modelErrors.unavailable(answered, error);
    return modelErrors.failed(answered, error); // a cut connection, a malformed line, an error line
  }
}

/** The server's count when it gives one, else our estimate (the one the prompt budget uses). */
function usageOf(line: Line, request: ModelRequest, output: string): TokenUsage {
  const { input, output: written } = line.usage ?? {};
  if (typeof input === 'number' && typeof written === 'number') return { inputTokens: input, outputTokens: written };
  return { inputTokens: estimateRequestTokens(request), outputTokens: estimateTokens(output) };
}
