import { describe, expect, it } from 'vitest';
import type { StopReason } from '../../src/domain/conversation.js';
import type { ChatModel, ModelEvent, ModelRequest } from '../../src/domain/ports/chat-model.js';

export type MakeChatModel = () => ChatModel | Promise<ChatModel>;

const MODEL_STOP_REASONS: StopReason[] = ['end_turn', 'max_tokens', 'stop_sequence', 'content_filtered', 'guardrail_intervened', 'tool_use'];
/** How many events an adapter may still deliver once the signal has aborted (already in flight). */
const EVENTS_AFTER_ABORT = 3;

const ask = (content: string, extra: Partial<ModelRequest> = {}): ModelRequest => ({
  system: 'You are a helpful assistant. Answer briefly.',
  documents: [],
  messages: [{ role: 'user', content }],
  maxOutputTokens: 300,
  ...extra,
});
const LONG_ANSWER = ask('Count from 1 to 300 in words, one number per line, and nothing else.', { maxOutputTokens: 2000 });

interface Outcome {
  events: ModelEvent[];
  error?: unknown;
}

/** Reads a stream to its end; `onEvent` may abort. A throw (at the call or mid-stream) is kept, not rethrown. */
async function drain(start: () => AsyncIterable<ModelEvent>, onEvent: (event: ModelEvent) => void = () => {}): Promise<Outcome> {
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

const isNonNegativeInteger = (value: unknown) => Number.isInteger(value) && (value as number) >= 0;

/** What every ChatModel adapter must do, through the port only. */
export function chatModelContract(name: string, makeModel: MakeChatModel): void {
  describe(`ChatModel contract: ${name}`, () => {
    it('has positive limits, the answer smaller than the window', async () => {
      const { limits } = await makeModel();
      expect(limits.contextWindowTokens).toBeGreaterThan(0);
      expect(limits.maxOutputTokens).toBeGreaterThan(0);
      expect(limits.maxOutputTokens).toBeLessThan(limits.contextWindowTokens);
    });

    it('streams text, then exactly one end event, last, with usage and a stop reason', async () => {
      const model = await makeModel();
      const { events, error } = await drain(() => model.stream(ask('Say hello.'), new AbortController().signal));
      expect(error).toBeUndefined();
      const last = events[events.length - 1];
      expect(events.slice(0, -1).every((event) => event.type === 'text')).toBe(true);
      expect(events.filter((event) => event.type === 'text').length).toBeGreaterThan(0);
      expect(last?.type).toBe('end');
      if (last?.type !== 'end') return;
      expect(MODEL_STOP_REASONS).toContain(last.stopReason);
      expect(isNonNegativeInteger(last.usage.inputTokens)).toBe(true);
      expect(isNonNegativeInteger(last.usage.outputTokens)).toBe(true);
    });

    it('takes documents and earlier turns', async () => {
      const model = await makeModel();
      const request = ask('What does the note say?', {
        documents: [{ fileId: 'f1', fileName: 'note.txt', size: 24, text: 'The meeting is at noon.', truncated: false }],
        messages: [
          { role: 'user', content: 'I have a note for you.' },
          { role: 'assistant', content: 'Fine, go ahead.' },
          { role: 'user', content: 'What does the note say?' },
        ],
      });
      const { events, error } = await drain(() => model.stream(request, new AbortController().signal));
      expect(error).toBeUndefined();
      expect(events.filter((event) => event.type === 'end')).toHaveLength(1);
      expect(events[events.length - 1]?.type).toBe('end');
    });

    it('ends at once, without an end event or with an error, when the signal has already aborted', async () => {
      const model = await makeModel();
      const controller = new AbortController();
      controller.abort();
      const { events, error } = await drain(() => model.stream(LONG_ANSWER, controller.signal));
      if (error === undefined) expect(events.some((event) => event.type === 'end')).toBe(false);
      expect(events.length).toBeLessThanOrEqual(EVENTS_AFTER_ABORT);
    });

    it('stops soon after the signal aborts mid-stream', async () => {
      const model = await makeModel();
      const controller = new AbortController();
      let seen = 0;
      let abortedAt = -1; // events read when the signal aborted
      const { events } = await drain(
        () => model.stream(LONG_ANSWER, controller.signal),
        (event) => {
          seen++;
          if (event.type === 'text' && abortedAt < 0) {
            controller.abort();
            abortedAt = seen;
          }
        },
      );
      expect(abortedAt).toBeGreaterThan(-1);
      expect(events.length - abortedAt).toBeLessThanOrEqual(EVENTS_AFTER_ABORT);
    });
  });
}
