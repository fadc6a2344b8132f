import type { RetryPolicy } from '../../src/adapters/chat-model/retry.js';
import { DomainError, type ErrorKind } from '../../src/domain/errors.js';
import type { ChatModel, ModelEvent } from '../../src/domain/ports/chat-model.js';
import { framedAnswer, framedError, type AnswerFraming, type FakeStreamingServer, type ScriptedReply, type StreamEnding } from '../support/fake-streaming-server.js';
import { unusedPort } from '../support/ports.js';
import { ask, drain, EVENTS_AFTER_ABORT, LONG_ANSWER, textOf, type Outcome } from './chat-model-streams.js';

/**
 * The failure paths of a ChatModel that speaks HTTP, each a plain async function that resolves
 * when the adapter behaves and rejects with a ContractViolation saying what went wrong: the
 * contract suite runs them as tests, and a test can also run one against an adapter known to be
 * wrong and expect it to fail. Every failure must be a DomainError of the kind (and code) the
 * application words for the user (src/adapters/chat-model/model-errors.ts makes them).
 */

export interface FailureContractSetup {
  /**
   * Your adapter, pointed at the fake server (`url` has no trailing slash and every path answers).
   * Give it `retry` if it takes a RetryPolicy, so that the retry cases take milliseconds.
   */
  makeModel(server: { url: string; retry: RetryPolicy }): ChatModel | Promise<ChatModel>;
  framing: AnswerFraming;
  /** How long a check waits for the stream to end or the connection to close before failing (default 3000 ms). */
  deadlineMs?: number;
}

export interface FailureCheckContext extends FailureContractSetup {
  server: FakeStreamingServer;
}

/** A failure path the adapter gets wrong; the message says what it did and what was expected. */
export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';
}

/** Quick back-off, so that a retried case takes milliseconds and a lasting failure gives up at once. */
export const FAST_RETRY: RetryPolicy = { maxAttempts: 3, budgetMs: 5_000, baseDelayMs: 1, maxDelayMs: 5 };

const ANSWER = ['The answer', ' arrived', ' after all.'];
const DEFAULT_DEADLINE_MS = 3_000;

function violation(what: string, problem: string): never {
  throw new ContractViolation(`${what}: ${problem}`);
}

const describeError = (error: unknown): string =>
  error instanceof Error ? `${error.constructor.name} "${error.message}"` : `a thrown ${typeof error} (${String(error)})`;

const answerReply = ({ framing }: FailureCheckContext, pieces: string[], then: StreamEnding = 'end'): ScriptedReply => framedAnswer(framing, pieces, then);
const errorReply = ({ framing }: FailureCheckContext, status: number, message: string): ScriptedReply => framedError(framing, status, message);

const model = (context: FailureCheckContext) => context.makeModel({ url: context.server.url, retry: FAST_RETRY });

async function run(context: FailureCheckContext, replies: ScriptedReply[]): Promise<Outcome> {
  context.server.reset(...replies);
  const chatModel = await model(context);
  return drain(() => chatModel.stream(ask('Say something.'), new AbortController().signal));
}

/** The failure is a DomainError of this kind, with one of the codes the application words. */
function expectDomainError(what: string, outcome: Outcome, kind: ErrorKind, codes: string[]): DomainError {
  const { error, events } = outcome;
  if (error === undefined) {
    const ended = events.some((event) => event.type === 'end');
    violation(what, `the stream ${ended ? 'ended with an end event, as if it had succeeded' : 'ended silently, without an end event'}; expected a DomainError of kind "${kind}".`);
  }
  if (!(error instanceof DomainError)) {
    violation(
      what,
      `the adapter threw ${describeError(error)}, not a DomainError: the application then answers 500 and words nothing for the user. ` +
        `Throw modelErrors.* (src/adapters/chat-model/model-errors.ts) or new DomainError('${kind}', '${codes[0]}', message).`,
    );
  }
  if (error.kind !== kind || !codes.includes(error.code)) {
    violation(what, `expected a DomainError of kind "${kind}" and code ${codes.join(' or ')}, got kind "${error.kind}" and code ${error.code} ("${error.message}").`);
  }
  return error;
}

function expectRequests(what: string, server: FakeStreamingServer, expected: { atLeast?: number; exactly?: number }, why: string): void {
  const seen = server.requests.length;
  if (expected.exactly !== undefined && seen !== expected.exactly) violation(what, `the server saw ${seen} requests, expected ${expected.exactly}: ${why}.`);
  if (expected.atLeast !== undefined && seen < expected.atLeast) violation(what, `the server saw ${seen} request(s), expected at least ${expected.atLeast}: ${why}.`);
}

function expectAnswer(what: string, { events, error }: Outcome): void {
  if (error !== undefined) violation(what, `the stream failed with ${describeError(error)}; expected the answer.`);
  if (textOf(events) !== ANSWER.join('')) violation(what, `the text streamed was ${JSON.stringify(textOf(events))}; expected ${JSON.stringify(ANSWER.join(''))}.`);
  if (events.at(-1)?.type !== 'end') violation(what, 'the stream did not end with an end event.');
}

/** Resolves with the value, or with `fallback` once `ms` have passed (a deadline for a stuck stream, not a speed test). */
async function within<T, F>(ms: number, promise: Promise<T>, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<F>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)));
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function expectConnectionClosed(what: string, context: FailureCheckContext, how: string): Promise<void> {
  try {
    await context.server.waitForClientClose(0, { withinMs: context.deadlineMs ?? DEFAULT_DEADLINE_MS });
  } catch (error) {
    violation(
      what,
      `${how} the stream, but the HTTP call to the model stayed open (${error instanceof Error ? error.message : String(error)}). ` +
        'The model server goes on generating, and billing, an answer nobody reads: pass the signal on to fetch (or your SDK) and cancel the response body when the stream ends early.',
    );
  }
}

/** An abort the caller asked for may end the iteration, or throw the abort reason; nothing else. */
const isAbortReason = (error: unknown, signal: AbortSignal) => error === signal.reason || (error instanceof Error && error.name === 'AbortError');

export const failureChecks = {
  /** 401 or 403: the key is refused. A DomainError MODEL_ACCESS_DENIED at once (another call would be refused too). */
  async accessRefused(context: FailureCheckContext, status: 401 | 403 = 401): Promise<void> {
    const what = `HTTP ${status} (the key is refused)`;
    const outcome = await run(context, [errorReply(context, status, 'Invalid API key.')]);
    expectDomainError(what, outcome, 'model_unavailable', ['MODEL_ACCESS_DENIED']);
    expectRequests(what, context.server, { exactly: 1 }, 'a refused key is refused again, so the user should not wait for retries');
  },

  /** 429, then the answer: retried before the first token, and the answer arrives whole. */
  async throttledThenAnswers(context: FailureCheckContext): Promise<void> {
    const what = 'HTTP 429 then an answer';
    const outcome = await run(context, [errorReply(context, 429, 'Rate limit reached.'), answerReply(context, ANSWER)]);
    expectAnswer(what, outcome);
    expectRequests(what, context.server, { atLeast: 2 }, 'a 429 before the first token is worth another call after a pause');
  },

  /** 429 on every call: retried, then a `throttled` DomainError. */
  async throttledThroughout(context: FailureCheckContext): Promise<void> {
    const what = 'HTTP 429 on every call';
    const outcome = await run(context, [errorReply(context, 429, 'Rate limit reached.')]);
    expectDomainError(what, outcome, 'throttled', ['MODEL_THROTTLED']);
    expectRequests(what, context.server, { atLeast: 2 }, 'a 429 before the first token is worth another call after a pause');
  },

  /** A 5xx, then the answer: retried, and the answer arrives whole. */
  async serverErrorThenAnswers(context: FailureCheckContext, status: 500 | 502 | 503 = 500): Promise<void> {
    const what = `HTTP ${status} then an answer`;
    const outcome = await run(context, [errorReply(context, status, 'The server had an error.'), answerReply(context, ANSWER)]);
    expectAnswer(what, outcome);
    expectRequests(what, context.server, { atLeast: 2 }, `a ${status} before the first token is worth another call`);
  },

  /** A 5xx on every call: retried, then a `model_unavailable` DomainError. */
  async serverErrorThroughout(context: FailureCheckContext, status: 500 | 502 | 503 = 503): Promise<void> {
    const what = `HTTP ${status} on every call`;
    const outcome = await run(context, [errorReply(context, status, 'The server is overloaded.')]);
    expectDomainError(what, outcome, 'model_unavailable', ['MODEL_UNAVAILABLE']);
    expectRequests(what, context.server, { atLeast: 2 }, `a ${status} before the first token is worth another call`);
  },

  /** The connection is cut part way: the text that came is yielded, then `model_failed`; never retried (it would repeat the answer). */
  async brokenMidAnswer(context: FailureCheckContext): Promise<void> {
    const what = 'a stream broken mid-answer';
    const pieces = ['Half', ' an answer'];
    const outcome = await run(context, [answerReply(context, pieces, 'break'), answerReply(context, ANSWER)]);
    if (outcome.events.some((event) => event.type === 'end')) violation(what, 'the adapter yielded an end event for an answer cut short.');
    if (textOf(outcome.events) !== pieces.join('')) {
      violation(what, `the text yielded before the failure was ${JSON.stringify(textOf(outcome.events))}; expected ${JSON.stringify(pieces.join(''))}, what the server sent.`);
    }
    expectDomainError(what, outcome, 'model_failed', ['MODEL_FAILED']);
    expectRequests(what, context.server, { exactly: 1 }, 'once text has been shown, another call would repeat the answer');
  },

  /** Nothing listens at the address: `model_unavailable`, never a plain `fetch failed`. */
  async unreachable(context: FailureCheckContext): Promise<void> {
    const what = 'a server that cannot be reached';
    const chatModel = await context.makeModel({ url: `http://127.0.0.1:${await unusedPort()}`, retry: FAST_RETRY });
    const outcome = await drain(() => chatModel.stream(ask('Say something.'), new AbortController().signal));
    expectDomainError(what, outcome, 'model_unavailable', ['MODEL_UNREACHABLE', 'MODEL_UNAVAILABLE']);
  },

  /** The signal aborts mid-answer: the stream ends soon, and the connection to the model server is closed. */
  async abortClosesConnection(context: FailureCheckContext): Promise<void> {
    const what = 'an abort mid-answer';
    const deadlineMs = context.deadlineMs ?? DEFAULT_DEADLINE_MS;
    // A model that never stops: only the client closing the connection ends this answer.
    context.server.reset(answerReply(context, ['One', ' two'], { repeat: [{ delayMs: 5 }, context.framing.text(' more')] }));
    const chatModel = await model(context);
    const controller = new AbortController();
    const iterator = chatModel.stream(LONG_ANSWER, controller.signal)[Symbol.asyncIterator]();
    const afterAbort: ModelEvent[] = [];
    let error: unknown;
    try {
      for (;;) {
        const next = await within(deadlineMs, iterator.next(), 'stuck' as const);
        if (next === 'stuck') violation(what, `the stream neither yielded nor ended within ${deadlineMs} ms${controller.signal.aborted ? ' after the abort' : ''}.`);
        if (next.done) break;
        if (controller.signal.aborted) afterAbort.push(next.value);
        else if (next.value.type === 'text') controller.abort();
        if (afterAbort.length > EVENTS_AFTER_ABORT) {
          await iterator.return?.();
          violation(what, `the adapter went on yielding after the abort (${afterAbort.length} events and counting): check signal.aborted as events arrive.`);
        }
      }
    } catch (thrown) {
      if (thrown instanceof ContractViolation) throw thrown;
      error = thrown;
    }
    if (!controller.signal.aborted) violation(what, 'the stream ended before any text, so there was nothing to abort.');
    if (error !== undefined && !isAbortReason(error, controller.signal)) {
      violation(what, `after the abort the adapter threw ${describeError(error)}; it should end quietly (or throw the abort reason).`);
    }
    await expectConnectionClosed(what, context, 'the signal aborted and the adapter ended');
  },

  /** The caller stops reading (a `break` out of `for await`): the connection is closed as for an abort. */
  async stopReadingClosesConnection(context: FailureCheckContext): Promise<void> {
    const what = 'a caller that stops reading';
    context.server.reset(answerReply(context, ['One', ' two'], 'hold'));
    const chatModel = await model(context);
    const stream = chatModel.stream(LONG_ANSWER, new AbortController().signal);
    const read = (async () => {
      for await (const event of stream) if (event.type === 'text') return true;
      return false;
    })();
    const deadlineMs = context.deadlineMs ?? DEFAULT_DEADLINE_MS;
    const sawText = await within(deadlineMs, read, 'stuck' as const).catch((error: unknown) => violation(what, `the stream failed with ${describeError(error)}.`));
    if (sawText !== true) violation(what, sawText === 'stuck' ? `no text within ${deadlineMs} ms.` : 'the stream ended before any text.');
    await expectConnectionClosed(what, context, 'the caller stopped reading');
  },
};
