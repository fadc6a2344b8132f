import type { ChatModel, ModelEvent, ModelLimits, ModelRequest } from '../../domain/ports/chat-model.js';

/**
 * A model adapter loaded on its first answer. The composition root wires every function the
 * same way; only the chat function ever answers, so only it loads the model's SDK (a separate
 * chunk of the Lambda bundle). Id and limits come from configuration, so they are known at once.
 */
export class LazyChatModel implements ChatModel {
  private model: Promise<ChatModel> | undefined;

  constructor(
    readonly modelId: string,
    readonly limits: ModelLimits,
    private readonly load: () => Promise<ChatModel>,
  ) {}

  async *stream(request: ModelRequest, signal: AbortSignal): AsyncGenerator<ModelEvent> {
    this.model ??= this.load().catch((error: unknown) => {
      this.model = undefined; // the next answer tries again
      throw error;
    });
    yield* (await this.model).stream(request, signal);
  }
}
