import type { ChatModel, ModelEvent, ModelLimits, ModelRequest } from '../../src/domain/ports/chat-model.js';
import { estimateTokens } from '../../src/domain/prompt/token-estimate.js';

/**
 * The smallest complete ChatModel: it answers with the user's last message, word by word. A real
 * adapter has the same shape: map the request to your model's API, yield `text` events as the
 * answer streams, then one `end` with the stop reason and the token usage; stop when the signal
 * aborts; throw a DomainError (`throttled`, `model_unavailable`, `model_failed`, `invalid`...) for
 * failures the user should hear about.
 */
export class EchoChatModel implements ChatModel {
  readonly modelId = 'echo';
  readonly limits: ModelLimits = { contextWindowTokens: 8_192, maxOutputTokens: 1_024 };

  async *stream(request: ModelRequest, signal: AbortSignal): AsyncGenerator<ModelEvent> {
    const question = request.messages.at(-1)?.content ?? '';
    const words = `You said: ${question}`.split(/(?<=\s)/);
    for (const word of words) {
      if (signal.aborted) return; // the user stopped the answer, or went away
      yield { type: 'text', text: word };
    }
    const inputTokens = [request.system, ...request.documents.map((doc) => doc.text), ...request.messages.map((m) => m.content)]
      .map(estimateTokens)
      .reduce((sum, tokens) => sum + tokens, 0);
    yield { type: 'end', stopReason: 'end_turn', usage: { inputTokens, outputTokens: words.length } };
  }
}
