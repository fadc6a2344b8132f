/**
 * The ChatModel contract suites, for teams to run against their adapter from a test file beside it:
 *
 *   import { chatModelContract, chatModelFailureContract, sseFrame } from '../../test/contracts/chat-model.contract.js';
 *   chatModelContract('MyModel', () => new MyModel(settings));          // every adapter: text, one end, abort
 *   chatModelFailureContract('MyModel', {                                // adapters that speak HTTP, against a fake server
 *     makeModel: ({ url, retry }) => new MyModel({ ...settings, baseUrl: url, retry }),
 *     framing: { headers: { 'content-type': 'text/event-stream' }, text: (piece) => sseFrame({ delta: piece }), end: [sseFrame('[DONE]')] },
 *   });  // 401/403, 429 and 5xx (retried), a broken stream, abort: connection closed, each failure a DomainError of the right kind
 *
 * The failure checks are plain functions too (`failureChecks`, rejecting with a ContractViolation),
 * and the fake server (`startFakeStreamingServer`, test/support/fake-streaming-server.ts) is yours
 * for your own tests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StopReason } from '../../src/domain/conversation.js';
import type { ChatModel } from '../../src/domain/ports/chat-model.js';
import { startFakeStreamingServer, type FakeStreamingServer } from '../support/fake-streaming-server.js';
import { failureChecks, type FailureCheckContext, type FailureContractSetup } from './chat-model-failure-checks.js';
import { ask, drain, EVENTS_AFTER_ABORT, LONG_ANSWER } from './chat-model-streams.js';

export { ContractViolation, failureChecks, FAST_RETRY, type FailureCheckContext, type FailureContractSetup } from './chat-model-failure-checks.js';
export {
  framedAnswer,
  framedError,
  paced,
  sseFrame,
  startFakeStreamingServer,
  statusReply,
  streamReply,
  type AnswerFraming,
  type FakeStreamingServer,
  type RecordedRequest,
  type ScriptedReply,
} from '../support/fake-streaming-server.js';

export type MakeChatModel = () => ChatModel | Promise<ChatModel>;

const MODEL_STOP_REASONS: StopReason[] = ['end_turn', 'max_tokens', 'stop_sequence', 'content_filtered', 'guardrail_intervened', 'tool_use'];

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

/**
 * The failure paths of an adapter that speaks HTTP, against a fake streaming server that answers
 * in your protocol's frames: refused keys, throttling and server errors (retried before the first
 * token), a stream cut part way, an abort and a caller that stops reading (the connection closed).
 */
export function chatModelFailureContract(name: string, setup: FailureContractSetup): void {
  describe(`ChatModel failure contract: ${name}`, () => {
    let server: FakeStreamingServer;
    beforeAll(async () => {
      server = await startFakeStreamingServer();
    });
    afterAll(async () => {
      await server.close();
    });
    const context = (): FailureCheckContext => ({ ...setup, server });

    it('HTTP 401: a DomainError MODEL_ACCESS_DENIED, not retried', () => failureChecks.accessRefused(context(), 401));
    it('HTTP 403: a DomainError MODEL_ACCESS_DENIED, not retried', () => failureChecks.accessRefused(context(), 403));
    it('HTTP 429, then an answer: retried, and the answer arrives', () => failureChecks.throttledThenAnswers(context()));
    it('HTTP 429 on every call: retried, then a throttled DomainError', () => failureChecks.throttledThroughout(context()));
    it('HTTP 500, then an answer: retried, and the answer arrives', () => failureChecks.serverErrorThenAnswers(context(), 500));
    it.each([500, 503] as const)('HTTP %i on every call: retried, then a model_unavailable DomainError', (status) =>
      failureChecks.serverErrorThroughout(context(), status),
    );
    it('a stream broken mid-answer: the text that came, then a model_failed DomainError, no end, no retry', () => failureChecks.brokenMidAnswer(context()));
    it('a server that cannot be reached: a model_unavailable DomainError', () => failureChecks.unreachable(context()));
    it('an abort mid-answer: the stream ends and the connection to the model is closed', () => failureChecks.abortClosesConnection(context()));
    it('a caller that stops reading: the connection to the model is closed', () => failureChecks.stopReadingClosesConnection(context()));
  });
}
