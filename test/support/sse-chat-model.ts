import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { guardedStream } from '../../src/adapters/chat-model/guarded-stream.js';
import { isTransientNetworkError, isUnreachable, modelErrors } from '../../src/adapters/chat-model/model-errors.js';
import type { RetryPolicy } from '../../src/adapters/chat-model/retry.js';
import type { ChatModel, ModelEvent, ModelLimits, ModelRequest } from '../../src/domain/ports/chat-model.js';

/**
 * A small adapter for a chat completions SSE stream, as a team would write it with the helpers,
 * plus two mistakes it can be told to make, so that a test can show the ChatModel failure contract
 * catches them:
 * - `leaves-connection-open`: it stops yielding on abort, but never gives fetch the signal nor
 *   cancels the body, so the model server goes on generating an answer nobody reads;
 * - `throws-plain-errors`: HTTP and network failures escape as plain `Error`s, not DomainErrors.
 */
export type SseModelFault = 'leaves-connection-open' | 'throws-plain-errors';

export interface SseChatModelOptions {
  /** The API root, `/v1` included. */
  baseUrl: string;
  retry: RetryPolicy;
  fault?: SseModelFault;
}

/** A plain `Error("HTTP 401")` carrying the status, as a first draft of an adapter throws. */
const httpError = (status: number) => Object.assign(new Error(`HTTP ${status}`), { status });
const statusOf = (error: unknown): number | undefined => (error as { status?: number } | undefined)?.status;

const isRetryable = (error: unknown) => {
  const status = statusOf(error);
  return status !== undefined ? status === 429 || status >= 500 : isTransientNetworkError(error);
};

export class SseChatModel implements ChatModel {
  readonly modelId = 'sse-test-model';
  readonly limits: ModelLimits = { contextWindowTokens: 8_192, maxOutputTokens: 1_024 };

  constructor(private readonly options: SseChatModelOptions) {}

  stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelEvent> {
    const body = JSON.stringify({ model: this.modelId, messages: request.messages, stream: true });
    return guardedStream(signal, (callSignal) => this.attempt(body, callSignal), {
      retry: this.options.retry,
      isRetryable,
      toError: (error, answered) => (this.options.fault === 'throws-plain-errors' ? asPlainError(error) : this.toDomainError(error, answered)),
    });
  }

  private async *attempt(body: string, signal: AbortSignal): AsyncGenerator<ModelEvent> {
    const leaky = this.options.fault === 'leaves-connection-open';
    const response = await fetch(`${this.options.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      ...(!leaky && { signal }),
    });
    if (!response.ok || !response.body) throw httpError(response.status);
    const messages: EventSourceMessage[] = [];
    const parser = createParser({ onEvent: (message) => messages.push(message) });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (;;) {
        if (signal.aborted) return;
        const { value, done } = await reader.read();
        if (done) throw new Error('the stream ended without [DONE]');
        parser.feed(value);
        for (const { data } of messages.splice(0)) {
          if (signal.aborted || data === '[DONE]') return;
          const chunk = JSON.parse(data) as { choices?: Array<{ delta?: { content?: string }; finish_reason?: string | null }>; usage?: unknown };
          const text = chunk.choices?.[0]?.delta?.content;
          if (text) yield { type: 'text', text };
          if (chunk.choices?.[0]?.finish_reason) yield { type: 'end', stopReason: 'end_turn', usage: { inputTokens: 1, outputTokens: 1 } };
        }
      }
    } finally {
      // The right way: a stream left early cancels its body, which closes the connection.
      if (!leaky) await reader.cancel().catch(() => {});
    }
  }

  private toDomainError(error: unknown, answered: boolean) {
    const status = statusOf(error);
    if (status === 401 || status === 403) return modelErrors.accessDenied(`The server refused the key (HTTP ${status}).`, error);
    if (status === 429) return modelErrors.throttled(answered, error);
    if (status !== undefined && status >= 500) return modelErrors.unavailable(answered, error);
    if (isUnreachable(error)) return modelErrors.unreachable(this.options.baseUrl, error);
    return modelErrors.failed(answered, error);
  }
}

/** What an adapter without error mapping lets escape: fetch's TypeError, or an `Error("HTTP 401")`. */
const asPlainError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));
