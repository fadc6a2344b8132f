import type { ChatEventData, ChatEventName } from '../../contract/events.js';
import type { ChatEvent } from '../../domain/chat-types.js';

/** A chat event as it goes on the wire: its name, and the data the contract says it carries. */
export type WireEvent = { [Name in ChatEventName]: { event: Name; data: ChatEventData<Name> } }[ChatEventName];

/**
 * One Server-Sent Events frame: `id:` is the event's number within its answer (a client that lost
 * the stream resumes after the last one it read: `Last-Event-ID`), `event:` names it, `data:` holds
 * one line of JSON. Typed by the contract: a frame's data is what the contract says that event
 * carries, and nothing else compiles.
 */
export function sseFrame(id: number, { event, data }: WireEvent): string {
  return storedFrame(id, event, data);
}

/** The frame of an event read back from where it was recorded: exactly as it was sent live. */
export function storedFrame(id: number, event: string, data: unknown): string {
  return `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** The wire form of a chat event: `event: <type>` and its JSON, as the SPA and curl read it. */
export function wireEvent(event: ChatEvent): WireEvent {
  switch (event.type) {
    case 'meta':
      return { event: 'meta', data: { conversationId: event.conversationId, userMessageId: event.userMessageId, answerMessageId: event.answerMessageId, title: event.title } };
    case 'delta':
      return { event: 'delta', data: { text: event.text } };
    case 'done':
      return {
        event: 'done',
        data: { messageId: event.message.id, stopReason: event.message.stopReason, usage: event.message.usage, context: event.context },
      };
    case 'error':
      return { event: 'error', data: { code: event.error.code, message: event.error.message, messageId: event.messageId } };
    case 'title':
      return { event: 'title', data: { title: event.title } };
  }
}

export const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-store',
  // Proxies must pass each frame on as it comes.
  'X-Accel-Buffering': 'no',
} as const;
