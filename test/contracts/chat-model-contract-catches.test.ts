import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAiFraming } from '../support/fake-openai.js';
import { SseChatModel, type SseModelFault } from '../support/sse-chat-model.js';
import { ContractViolation, failureChecks, startFakeStreamingServer, type FailureCheckContext, type FakeStreamingServer } from './chat-model.contract.js';

// The failure contract must fail on the mistakes it exists for. The same small adapter runs every
// check three times: as written, and with each of two faults. Each fault must be caught, by the
// checks named for it and with a message that says what went wrong.

let server: FakeStreamingServer;
beforeAll(async () => {
  server = await startFakeStreamingServer();
});
afterAll(async () => {
  await server.close();
});

/** The deadline only bounds how long a check waits for a connection the faulty adapter never closes. */
const context = (fault?: SseModelFault): FailureCheckContext => ({
  server,
  framing: openAiFraming,
  makeModel: ({ url, retry }) => new SseChatModel({ baseUrl: `${url}/v1`, retry, ...(fault && { fault }) }),
  deadlineMs: 3_000,
});

/** The message of the ContractViolation a check rejects with; anything else fails the test. */
async function violationOf(check: Promise<void>): Promise<string> {
  const error = await check.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ContractViolation);
  return (error as ContractViolation).message;
}

const allChecks: Array<[string, (context: FailureCheckContext) => Promise<void>]> = [
  ['401', (c) => failureChecks.accessRefused(c, 401)],
  ['403', (c) => failureChecks.accessRefused(c, 403)],
  ['429 then an answer', (c) => failureChecks.throttledThenAnswers(c)],
  ['429 throughout', (c) => failureChecks.throttledThroughout(c)],
  ['500 then an answer', (c) => failureChecks.serverErrorThenAnswers(c, 500)],
  ['503 throughout', (c) => failureChecks.serverErrorThroughout(c, 503)],
  ['a broken stream', (c) => failureChecks.brokenMidAnswer(c)],
  ['an unreachable server', (c) => failureChecks.unreachable(c)],
  ['an abort', (c) => failureChecks.abortClosesConnection(c)],
  ['a caller that stops reading', (c) => failureChecks.stopReadingClosesConnection(c)],
];

describe('the ChatModel failure contract', () => {
  it.each(allChecks)('passes a correct adapter: %s', async (_name, check) => {
    await check(context());
  });

  it('fails an adapter that stops yielding on abort but leaves its HTTP call open', async () => {
    const leaky = context('leaves-connection-open');
    expect(await violationOf(failureChecks.abortClosesConnection(leaky))).toMatch(/an abort mid-answer: .* the HTTP call to the model stayed open/);
    // The connection really is still open: the server never saw it close.
    expect(server.requests[0]?.closedByClient).toBe(false);
    expect(await violationOf(failureChecks.stopReadingClosesConnection(leaky))).toMatch(/a caller that stops reading: .* stayed open/);
  });

  it.each([
    ['401', (c: FailureCheckContext) => failureChecks.accessRefused(c, 401), /HTTP 401 .*: the adapter threw Error "HTTP 401", not a DomainError/],
    ['429 throughout', (c: FailureCheckContext) => failureChecks.throttledThroughout(c), /HTTP 429 on every call: the adapter threw Error "HTTP 429", not a DomainError/],
    ['503 throughout', (c: FailureCheckContext) => failureChecks.serverErrorThroughout(c, 503), /HTTP 503 on every call: the adapter threw Error "HTTP 503", not a DomainError/],
    ['a broken stream', (c: FailureCheckContext) => failureChecks.brokenMidAnswer(c), /a stream broken mid-answer: the adapter threw TypeError .*, not a DomainError/],
    ['an unreachable server', (c: FailureCheckContext) => failureChecks.unreachable(c), /cannot be reached: the adapter threw TypeError "fetch failed", not a DomainError/],
  ] as const)('fails an adapter that throws plain Errors: %s', async (_name, check, message) => {
    expect(await violationOf(check(context('throws-plain-errors')))).toMatch(message);
  });

  it('tells each fault apart: the leaky adapter maps its errors, the plain-error one closes its connections', async () => {
    await failureChecks.accessRefused(context('leaves-connection-open'));
    await failureChecks.brokenMidAnswer(context('leaves-connection-open'));
    await failureChecks.abortClosesConnection(context('throws-plain-errors'));
  });
});
