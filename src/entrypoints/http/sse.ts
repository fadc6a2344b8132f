import type { ChatEventData, ChatEventName } from '../../contract/events.js';
import type { ChatEvent } from '../../domain/chat-types.js';

/**
 * One Server-Sent Events frame: `event:` names it, `data:` holds one line of JSON. Typed by the
 * contract: a frame's data is what the contract says that event carries, and nothing else compiles.
 */
export function sseFrame<Name extends ChatEventName>(event: Name, data: ChatEventData<Name>): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** The wire form of a chat event: `event: <type>` and one line of JSON, as the SPA and curl read it. */
export function chatEventFrame(event: ChatEvent): string {
  switch (event.type) {
    case 'meta':
      return sseFrame('meta', { conversationId: event.conversationId, userMessageId: event.userMessageId, answerMessageId: event.answerMessageId, title: event.title });
    case 'delta':
      return sseFrame('delta', { text: event.text });
    case 'done':
      return sseFrame('done', {
        messageId: event.message.id,
        stopReason: event.message.stopReason,
        usage: event.message.usage,
        context: event.context,
      });
    case 'error':
      return sseFrame('error', { code: event.error.code, message: event.error.message, messageId: event.messageId });
    case 'title':
      return sseFrame('title', { title: event.title });
  }
}

export const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-store',
  // Proxies must pass each frame on as it comes.
  'X-Accel-Buffering': 'no',
} as const;
