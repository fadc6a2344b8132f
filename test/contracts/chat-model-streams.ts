import type { ModelEvent, ModelRequest } from '../../src/domain/ports/chat-model.js';

/** The requests and stream readers both ChatModel suites use (the happy paths and the failure paths). */

/** How many events an adapter may still deliver once the signal has aborted (already in flight). */
export const EVENTS_AFTER_ABORT = 3;

export const ask = (content: string, extra: Partial<ModelRequest> = {}): ModelRequest => ({
  system: 'You are a helpful assistant. Answer briefly.',
  documents: [],
  messages: [{ role: 'user', content }],
  maxOutputTokens: 300,
  ...extra,
});

export const LONG_ANSWER = ask('Count from 1 to 300 in words, one number per line, and nothing else.', { maxOutputTokens: 2000 });

export interface Outcome {
  events: ModelEvent[];
  error?: unknown;
}

/** Reads a stream to its end; `onEvent` may abort. A throw (at the call or mid-stream) is kept, not rethrown. */
export async function drain(start: () => AsyncIterable<ModelEvent>, onEvent: (event: ModelEvent) => void = () => {}): Promise<Outcome> {
  const events: ModelEvent[] = [];
  try {
    for await (const event of start()) {
      events.push(event);
      onEvent(event);
    }
    return { events };
  } catch (error) {
    return { events, error };
  }
}

export const textOf = (events: ModelEvent[]): string => events.map((event) => (event.type === 'text' ? event.text : '')).join('');
