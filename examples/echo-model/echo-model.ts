import type { ChatModel } from '../../src/domain/ports/chat-model.js';

// MODEL_PROVIDER=module:examples/echo-model/echo-model.ts npm start
export default function echoModel(env: Record<string, string | undefined>): ChatModel {
  return {
    modelId: env.ECHO_MODEL_ID ?? 'echo-1',
    limits: { contextWindowTokens: Number(env.ECHO_CONTEXT_WINDOW ?? 8192), maxOutputTokens: 1024 },
    async *stream(request, signal) {
      const words = `You said: ${request.messages.at(-1)?.content}`.split(/(?<= )/);
      for (const word of words) {
        if (signal.aborted) return; // the user stopped the answer: stop generating
        yield { type: 'text', text: word };
      }
      const usage = { inputTokens: Math.ceil(JSON.stringify(request).length / 4), outputTokens: words.length };
      yield { type: 'end', stopReason: 'end_turn', usage };
    },
  };
}
