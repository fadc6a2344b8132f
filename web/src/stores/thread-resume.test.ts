import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import type { StreamEvent } from '../api/sse';
import { STOP_DRAIN_MS } from './answer-follower';
import { useThreadStore } from './thread';
import { answers, done, fakeApi, meta, numbered } from './thread-fakes';

const delta = (eventId: number, text: string) => numbered(eventId, { type: 'delta', text });
/** How a browser's fetch reports a connection cut while the body was read. */
const cut = () => new TypeError('network error');

/** Resolves once `signal` is aborted, as a connection left open would end when its reader goes. */
const abortedOf = (signal: AbortSignal | undefined) =>
  new Promise<void>((resolve) => (signal?.aborted ? resolve() : signal?.addEventListener('abort', () => resolve())));

/** A resume that finds the server out of reach. */
// eslint-disable-next-line require-yield
async function* unreachable(): AsyncGenerator<StreamEvent> {
  throw new ApiError(0, 'NETWORK_ERROR', 'The server cannot be reached. Check your connection and try again.');
}

/** The POST's stream: meta, the deltas, then the connection is cut. */
function breaksAfter(...texts: string[]) {
  return async function* (): AsyncGenerator<StreamEvent> {
    yield numbered(1, meta());
    for (const [index, text] of texts.entries()) yield delta(index + 2, text);
    throw cut();
  };
}

describe('the thread store when the connection breaks mid-answer', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    localStorage.clear();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('picks the answer up after the last event read, again after a second break, skipping repeats, and ends it whole', async () => {
    const seen: Array<{ reconnecting?: boolean; streaming?: boolean; failed: boolean }> = [];
    const { calls, resumed } = fakeApi(
      [breaksAfter('One ', 'two ', 'three ')],
      undefined,
      [
        async function* () {
          const thread = useThreadStore();
          seen.push({ ...thread.messages[1], failed: thread.failure !== undefined });
          yield delta(4, 'three '); // already read: skipped
          yield delta(5, 'four ');
          // ...and this connection ends early too, without `done`.
        },
        async function* () {
          yield delta(7, 'five six'); // 6 and 7, coalesced
          yield numbered(8, done());
        },
      ],
    );
    const thread = useThreadStore();
    await thread.send('Count to six');
    expect(resumed).toEqual([
      { messageId: 'a1', afterId: 4 },
      { messageId: 'a1', afterId: 5 },
    ]);
    // While it was being picked up: still streaming, said to be reconnecting, no failure shown.
    expect(seen).toEqual([expect.objectContaining({ streaming: true, reconnecting: true, failed: false })]);
    expect(thread.messages[1]).toMatchObject({ id: 'a1', content: 'One two three four five six', stopReason: 'end_turn', streaming: false });
    expect(thread.messages[1]?.reconnecting).toBeFalsy();
    expect(thread.failure).toBeUndefined();
    // Nothing was asked twice: one question, one answer.
    expect(calls).toHaveLength(1);
    expect(thread.canRegenerate).toBe(true);
  });

  it('keeps trying for about a minute while the server is out of reach, then shows the failure with Retry', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { resumed, calls } = fakeApi([breaksAfter('Half'), answers('Whole', { answerMessageId: 'a2' })], undefined, Array.from({ length: 100 }, () => unreachable));
    const thread = useThreadStore();
    const sending = thread.send('Go');
    await vi.advanceTimersByTimeAsync(30_000);
    expect(thread.streaming).toBe(true);
    expect(thread.failure).toBeUndefined();
    expect(thread.messages[1]).toMatchObject({ content: 'Half', reconnecting: true });
    await vi.advanceTimersByTimeAsync(40_000);
    await sending;
    expect(resumed.length).toBeGreaterThan(5);
    expect(new Set(resumed.map((call) => `${call.messageId} after ${call.afterId}`))).toEqual(new Set(['a1 after 2']));
    expect(thread.messages[1]).toMatchObject({ content: 'Half', streaming: false, stopReason: 'error', error: { code: 'NETWORK_ERROR' } });
    expect(thread.failure).toMatchObject({ code: 'NETWORK_ERROR' });
    vi.useRealTimers();
    // Retry: a new version of the answer that could not be followed.
    await thread.retry();
    expect(calls[1]?.body).toEqual({ conversationId: 'c1', regenerate: { messageId: 'a1' } });
    expect(thread.messages[1]).toMatchObject({ id: 'a2', content: 'Whole' });
  });

  it('tries again at once when the network comes back', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { resumed } = fakeApi([breaksAfter('Wait')], undefined, [
      unreachable, // at once: still down, so the next try waits
      async function* () {
        yield numbered(3, { type: 'delta', text: ' for it' });
        throw cut();
      },
      async function* () {
        yield numbered(4, done());
      },
    ]);
    const thread = useThreadStore();
    const sending = thread.send('Go');
    await vi.advanceTimersByTimeAsync(0);
    expect(resumed).toHaveLength(1);
    // Without a wait: the next try was due in half a second.
    window.dispatchEvent(new Event('online'));
    await vi.advanceTimersByTimeAsync(0);
    // Broken again after news: tried at once, as a new break.
    expect(thread.streaming).toBe(false);
    await sending;
    expect(resumed.map((call) => call.afterId)).toEqual([2, 2, 3]);
    expect(thread.messages[1]).toMatchObject({ content: 'Wait for it', stopReason: 'end_turn' });
  });

  it('reads the stream anew when the page is shown after long hidden (a phone that slept), its connection perhaps dead', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const visibility = vi.spyOn(document, 'visibilityState', 'get');
    const { resumed } = fakeApi(
      [
        async function* (_call, signal) {
          yield numbered(1, meta());
          yield delta(2, 'Good');
          // A connection that says nothing more, and never fails: only cutting it ends it.
          await abortedOf(signal);
          throw new DOMException('aborted', 'AbortError');
        },
      ],
      undefined,
      [
        async function* () {
          yield delta(3, ' morning');
          yield numbered(4, done());
        },
      ],
    );
    const thread = useThreadStore();
    const sending = thread.send('Hi');
    await vi.advanceTimersByTimeAsync(0);
    visibility.mockReturnValue('hidden');
    document.dispatchEvent(new Event('visibilitychange'));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(resumed).toEqual([]);
    visibility.mockReturnValue('visible');
    document.dispatchEvent(new Event('visibilitychange'));
    await vi.advanceTimersByTimeAsync(0);
    await sending;
    expect(resumed).toEqual([{ messageId: 'a1', afterId: 2 }]);
    expect(thread.messages[1]).toMatchObject({ content: 'Good morning', stopReason: 'end_turn' });
    visibility.mockRestore();
  });

  it('shows the break when the server keeps no stream for the answer, with Retry', async () => {
    const { resumed } = fakeApi([breaksAfter('Half')]);
    const thread = useThreadStore();
    await thread.send('Go');
    expect(resumed).toEqual([{ messageId: 'a1', afterId: 2 }]);
    expect(thread.messages[1]).toMatchObject({ content: 'Half', stopReason: 'error', error: { code: 'NETWORK_ERROR' } });
    expect(thread.failure).toMatchObject({ code: 'NETWORK_ERROR' });
  });

  it('Stop tells the server to stop the answer, shows it stopped at once, and stops reading a few seconds later', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let readerGone = false;
    const { stopped } = fakeApi([
      async function* (_call, signal) {
        yield numbered(1, meta());
        yield delta(2, 'Once upon');
        await abortedOf(signal);
        readerGone = true;
        throw new DOMException('aborted', 'AbortError');
      },
    ]);
    const thread = useThreadStore();
    const sending = thread.send('Tell me a story');
    await vi.advanceTimersByTimeAsync(0);
    expect(thread.messages[1]?.content).toBe('Once upon');
    thread.stop();
    expect(thread.streaming).toBe(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toEqual(['a1']);
    // Still read, for what the server wrote before it heard of the Stop...
    expect(readerGone).toBe(false);
    // ...but not for ever: this one never says it stopped.
    await vi.advanceTimersByTimeAsync(STOP_DRAIN_MS);
    await sending;
    expect(readerGone).toBe(true);
    expect(thread.messages[1]).toMatchObject({ content: 'Once upon', stopReason: 'aborted', streaming: false });
    expect(thread.failure).toBeUndefined();
  });

  it('Stop while the answer is being picked up again stops it too', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { stopped, resumed } = fakeApi([breaksAfter('Half')], undefined, [unreachable, unreachable]);
    const thread = useThreadStore();
    const sending = thread.send('Go');
    await vi.advanceTimersByTimeAsync(0);
    expect(resumed).toHaveLength(1);
    thread.stop();
    expect(thread.messages[1]).toMatchObject({ content: 'Half', stopReason: 'aborted', streaming: false });
    expect(thread.messages[1]?.reconnecting).toBeFalsy();
    await vi.advanceTimersByTimeAsync(STOP_DRAIN_MS);
    await sending;
    expect(stopped).toEqual(['a1']);
    expect(thread.messages[1]).toMatchObject({ content: 'Half', stopReason: 'aborted' });
    expect(thread.failure).toBeUndefined();
  });

  it('Stop before the answer is named ends it here at once, and stops it once the server names it', async () => {
    let named: () => void = () => undefined;
    const { stopped } = fakeApi([
      async function* (_call, signal) {
        await new Promise<void>((resolve) => (named = resolve));
        yield numbered(1, meta({ answerMessageId: 'a7' }));
        await abortedOf(signal);
      },
    ]);
    const thread = useThreadStore();
    const sending = thread.send('Go');
    await Promise.resolve();
    thread.stop();
    await sending;
    expect(thread.streaming).toBe(false);
    expect(stopped).toEqual([]);
    named();
    await vi.waitFor(() => expect(stopped).toEqual(['a7']));
  });

  it('leaving the conversation stops reading the answer, not the answer', async () => {
    let readerGone = false;
    const { stopped } = fakeApi([
      async function* (_call, signal) {
        yield numbered(1, meta());
        yield delta(2, 'Still going');
        await abortedOf(signal);
        readerGone = true;
      },
    ]);
    const thread = useThreadStore();
    const sending = thread.send('Go');
    await vi.waitFor(() => expect(thread.messages[1]?.content).toBe('Still going'));
    thread.clear();
    await sending;
    expect(readerGone).toBe(true);
    expect(stopped).toEqual([]);
    expect(thread.failure).toBeUndefined();
  });

  it('shows an answer stopped elsewhere (another tab) as stopped, not failed', async () => {
    fakeApi([breaksAfter('Part')], undefined, [
      async function* () {
        yield numbered(3, { type: 'error', code: 'ANSWER_STOPPED', message: 'The answer was stopped.', messageId: 'a1' });
      },
    ]);
    const thread = useThreadStore();
    await thread.send('Go');
    expect(thread.messages[1]).toMatchObject({ content: 'Part', stopReason: 'aborted', streaming: false });
    expect(thread.messages[1]?.error).toBeUndefined();
    expect(thread.failure).toBeUndefined();
  });
});
