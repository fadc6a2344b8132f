import { setTimeout as sleep } from 'node:timers/promises';
import { formatBytes } from '../../domain/file-service.js';
import type { ChatModel, ModelEvent, ModelLimits, ModelRequest } from '../../domain/ports/chat-model.js';
import { estimateTokens } from '../../domain/prompt/token-estimate.js';

export interface OfflineModelOptions {
  /** Pause before each word, so that the answer streams like a real model's. */
  wordDelayMs: number;
}

const ECHO_LIMIT = 400;

/**
 * The model `npm start` uses when no real one is configured: it answers at once, offline and
 * deterministically, and says plainly what it is. It echoes the question and names the files it
 * was given, which is enough to see streaming, history and file context work end to end.
 */
export class OfflineChatModel implements ChatModel {
  readonly modelId = 'offline-demo';
  readonly limits: ModelLimits = { contextWindowTokens: 200_000, maxOutputTokens: 4_000 };

  constructor(private readonly options: OfflineModelOptions = { wordDelayMs: 15 }) {}

  async *stream(request: ModelRequest, signal: AbortSignal): AsyncGenerator<ModelEvent> {
    const words = composeAnswer(request).split(/(?<=\s)/);
    for (const word of words) {
      if (signal.aborted) return;
      if (this.options.wordDelayMs > 0) {
        try {
          await sleep(this.options.wordDelayMs, undefined, { signal });
        } catch {
          return; // aborted while waiting
        }
      }
      yield { type: 'text', text: word };
    }
    const inputTokens =
      estimateTokens(request.system) +
      request.documents.reduce((sum, doc) => sum + estimateTokens(doc.text), 0) +
      request.messages.reduce((sum, message) => sum + estimateTokens(message.content), 0);
    yield { type: 'end', stopReason: 'end_turn', usage: { inputTokens, outputTokens: words.length } };
  }
}

function composeAnswer(request: ModelRequest): string {
  const question = request.messages[request.messages.length - 1]?.content.trim() ?? '';
  const echoed = question.length > ECHO_LIMIT ? `${question.slice(0, ECHO_LIMIT)}…` : question;
  const parts = [
    'I am the offline demo model: no AI model is connected, so I can only repeat what I was given.',
    `You asked: “${echoed.replace(/\s+/g, ' ')}”.`,
  ];
  if (request.documents.length > 0) {
    const files = request.documents
      .map((doc) => `${doc.fileName} (${formatBytes(doc.size)}, ${doc.text.length} characters${doc.truncated ? ', truncated' : ''})`)
      .join(', ');
    parts.push(`Files in this conversation: ${files}.`);
  }
  const earlier = request.messages.length - 1;
  if (earlier > 0) parts.push(`I can see ${earlier} earlier ${earlier === 1 ? 'message' : 'messages'} of this conversation.`);
  parts.push('To talk to Claude, start with MODEL_PROVIDER=bedrock (or openai for a local model): see "Models" in the README.');
  return parts.join(' ');
}
