import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import type { StreamEvent } from '../api/sse';
import type { Conversation, Message } from '../api/types';
import { RESUME_GIVE_UP_MS } from './answer-follower';
import { useSessionStore } from './session';
import { useThreadStore } from './thread';
import { fakeApi, meta, numbered } from './thread-fakes';

/** The POST's stream: meta, one delta, then the connection is cut. */
async function* breaksAfterHalf(): AsyncGenerator<StreamEvent> {
  yield numbered(1, meta());
  yield numbered(2, { type: 'delta', text: 'Half' });
  throw new TypeError('network error');
}

/** A resume the server holds open for `ms` with nothing but keep-alives (which the reader never sees), then drops. */
function silentFor(ms: number) {
  // eslint-disable-next-line require-yield
  return async function* (): AsyncGenerator<StreamEvent> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    throw new TypeError('network error');
  };
}

/** A resume held open with keep-alives until the reader cuts it. */
// eslint-disable-next-line require-yield
async function* silentUntilCut(_call: unknown, signal: AbortSignal | undefined): AsyncGenerator<StreamEvent> {
  await new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve()));
  throw new DOMException('aborted', 'AbortError');
}

/** The conversation as the server stored it: the question, and the answer `a1` as given. */
function storedWith(answer: Partial<Message>): Conversation {
  const at = '2026-01-01T00:00:00.000Z';
  return {
    conversationId: 'c1',
    title: 'Hello',
    createdAt: at,
    updatedAt: at,
    fileIds: [],
    messages: [
      { id: 'u1', role: 'user', content: 'Go', timestamp: at },
      { id: 'a1', role: 'assistant', content: '', timestamp: at, ...answer },
    ],
  };
}

describe('the thread store when a broken answer stream brings nothing new', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    localStorage.clear();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('gives up a minute after the last news, however long each try stayed open, and shows what the server stored', async () => {
    fakeApi([breaksAfterHalf], storedWith({ content: 'Half and the rest', stopReason: 'end_turn' }), [silentFor(25_000), silentFor(25_000), silentUntilCut]);
    const thread = useThreadStore();
    const sending = thread.send('Go');
    await vi.advanceTimersByTimeAsync(RESUME_GIVE_UP_MS - 5_000);
    expect(thread.messages[1]).toMatchObject({ content: 'Half', streaming: true, reconnecting: true });
    await vi.advanceTimersByTimeAsync(10_000);
    await sending;
    expect(thread.streaming).toBe(false);
    // The writer went on without this page: the conversation read again shows the answer as stored, whole.
    expect(thread.messages[1]).toMatchObject({ id: 'a1', content: 'Half and the rest', stopReason: 'end_turn' });
    expect(thread.failure).toBeUndefined();
  });

  it('shows the failure and what was stored when the server says the answer stopped being written', async () => {
    fakeApi([breaksAfterHalf], storedWith({ content: 'Half, then some', stopReason: 'error' }), [
      async function* () {
        yield numbered(3, { type: 'error', code: 'STREAM_ABANDONED', message: 'The answer stopped being written. Reload the conversation to see what was kept.' });
      },
    ]);
    const thread = useThreadStore();
    const sending = thread.send('Go');
    await vi.advanceTimersByTimeAsync(0);
    await sending;
    expect(thread.streaming).toBe(false);
    expect(thread.failure).toMatchObject({ code: 'STREAM_ABANDONED' });
    expect(thread.messages[1]).toMatchObject({ id: 'a1', content: 'Half, then some', stopReason: 'error' });
  });

  it('tells the server of a Stop again until it hears it, at once when the network comes back', async () => {
    fakeApi([breaksAfterHalf], undefined, [silentUntilCut]);
    const client = useSessionStore().client();
    let tries = 0;
    client.stopChat = async () => {
      tries++;
      if (tries < 3) throw new ApiError(0, 'NETWORK_ERROR', 'The server cannot be reached.');
      return 'stopping';
    };
    const thread = useThreadStore();
    const sending = thread.send('Go');
    await vi.advanceTimersByTimeAsync(0);
    thread.stop();
    expect(thread.messages[1]).toMatchObject({ content: 'Half', stopReason: 'aborted', streaming: false });
    await vi.advanceTimersByTimeAsync(0);
    expect(tries).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(tries).toBe(2);
    // The next try was due in seconds: the network back, it goes now, and is heard.
    window.dispatchEvent(new Event('online'));
    await vi.advanceTimersByTimeAsync(0);
    expect(tries).toBe(3);
    await vi.advanceTimersByTimeAsync(60_000);
    await sending;
    expect(tries).toBe(3);
    expect(thread.failure).toBeUndefined();
  });
});
