import type { ModelRequest, PromptDocument, PromptMessage } from '../../domain/ports/chat-model.js';
import { estimateTokens } from '../../domain/prompt/token-estimate.js';

/**
 * A file's text as the model sees it: tagged with its name, so that the model can say which file
 * it used. Quotes and angle brackets in the name are escaped so a name cannot close the tag.
 */
export function documentText(doc: PromptDocument): string {
  const name = doc.fileName.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<document name="${name}">\n${doc.text}\n</document>`;
}

/**
 * The turns as models want them: user and assistant strictly alternating, the first a user turn.
 * The domain already builds them so (build-prompt.ts); this is a guard, not the repair: a call
 * that would be refused for the shape of its history is worse than a merged turn.
 */
export function alternatingTurns(messages: PromptMessage[]): PromptMessage[] {
  const turns: PromptMessage[] = [];
  for (const message of messages) {
    if (message.content.trim() === '') continue;
    const last = turns[turns.length - 1];
    if (last?.role === message.role) last.content = `${last.content}\n\n${message.content}`;
    else if (last || message.role === 'user') turns.push({ role: message.role, content: message.content });
  }
  return turns;
}

/** Our own estimate of a request's input tokens, for servers that do not report usage. */
export function estimateRequestTokens(request: ModelRequest): number {
  return (
    estimateTokens(request.system) +
    request.documents.reduce((sum, doc) => sum + estimateTokens(documentText(doc)), 0) +
    request.messages.reduce((sum, message) => sum + estimateTokens(message.content), 0)
  );
}
