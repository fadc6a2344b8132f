import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { ApiError, type ApiClient } from '../api/client';
import type { Conversation } from '../api/types';
import { useSessionStore } from './session';
import { useThreadStore } from './thread';

const conversation: Conversation = {
  conversationId: 'c1',
  title: 'Trip to Lyon',
  createdAt: '2026-11-02T10:00:00.000Z',
  updatedAt: '2026-11-02T10:01:00.000Z',
  fileIds: [],
  messages: [
    { id: 'u1', role: 'user', content: 'Hello', timestamp: '2026-11-02T10:00:00.000Z' },
    { id: 'a1', role: 'assistant', content: 'Hi', timestamp: '2026-11-02T10:01:00.000Z' },
  ],
};

/** `GET /conversations/{id}` answering from a list of outcomes, one per call; chat counts its calls. */
function serve(...outcomes: Array<Conversation | ApiError>) {
  const calls = { get: 0, chat: 0 };
  useSessionStore().client = () =>
    ({
      getConversation: async () => {
        const outcome = outcomes[Math.min(calls.get++, outcomes.length - 1)]!;
        if (outcome instanceof ApiError) throw outcome;
        return structuredClone(outcome);
      },
      chat: () => {
        calls.chat++;
        throw new Error('nothing should be sent');
      },
    }) as unknown as ApiClient;
  return calls;
}

describe('the thread store, when a conversation cannot be read', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('says why when the server is out of reach, and Reload shows the conversation once it is back', async () => {
    const calls = serve(new ApiError(0, 'NETWORK_ERROR', 'The server cannot be reached.'), conversation);
    const thread = useThreadStore();
    await thread.open('c1');
    expect(thread.loadFailure).toEqual({ status: 0, code: 'NETWORK_ERROR', message: 'The server cannot be reached.' });
    expect([thread.notFound, thread.loading, thread.messages, thread.conversationId]).toEqual([false, false, [], 'c1']);

    const reloading = thread.reload();
    // The failure stays on screen while it tries again.
    expect([thread.loading, thread.loadFailure?.code]).toEqual([true, 'NETWORK_ERROR']);
    await reloading;
    expect(calls.get).toBe(2);
    expect(thread.loadFailure).toBeUndefined();
    expect(thread.title).toBe('Trip to Lyon');
    expect(thread.messages.map((message) => message.content)).toEqual(['Hello', 'Hi']);
  });

  it('keeps the failure, with the new reason, when Reload fails again', async () => {
    serve(new ApiError(0, 'NETWORK_ERROR', 'unreachable'), new ApiError(503, 'SERVICE_UNAVAILABLE', 'busy'));
    const thread = useThreadStore();
    await thread.open('c1');
    await thread.reload();
    expect(thread.loadFailure).toEqual({ status: 503, code: 'SERVICE_UNAVAILABLE', message: 'busy' });
    expect(thread.loading).toBe(false);
  });

  it('tells a 404 apart: the conversation does not exist, and there is nothing to reload', async () => {
    const calls = serve(new ApiError(404, 'NOT_FOUND', 'Conversation not found'));
    const thread = useThreadStore();
    await thread.open('gone');
    expect([thread.notFound, thread.loadFailure]).toEqual([true, undefined]);
    await thread.reload();
    expect(calls.get).toBe(1);
  });

  it('sends nothing into a conversation it could not read, and forgets the failure for a new chat', async () => {
    const calls = serve(new ApiError(500, 'INTERNAL_ERROR', 'boom'));
    const thread = useThreadStore();
    await thread.open('c1');
    await thread.send('Are you there?');
    expect(calls.chat).toBe(0);
    expect(thread.messages).toEqual([]);
    thread.clear();
    expect([thread.loadFailure, thread.notFound, thread.conversationId]).toEqual([undefined, false, undefined]);
  });

  it('ignores a failed load of a conversation left meanwhile', async () => {
    let fail: (error: Error) => void = () => undefined;
    useSessionStore().client = () =>
      ({
        getConversation: (id: string) => (id === 'slow' ? new Promise((_, reject) => (fail = reject)) : Promise.resolve(structuredClone(conversation))),
      }) as unknown as ApiClient;
    const thread = useThreadStore();
    const slow = thread.open('slow');
    await thread.open('c1');
    fail(new ApiError(503, 'SERVICE_UNAVAILABLE', 'busy'));
    await slow;
    expect([thread.conversationId, thread.loadFailure, thread.loading]).toEqual(['c1', undefined, false]);
  });
});

describe('the thread store, when the earlier messages cannot be read', () => {
  beforeEach(() => setActivePinia(createPinia()));

  const message = (n: number) => ({ id: `m${n}`, role: n % 2 ? ('assistant' as const) : ('user' as const), content: `message ${n}`, timestamp: `2026-01-01T00:00:0${n}.000Z` });

  /** A long conversation whose older page fails `failures` times before it is read; chat counts its calls. */
  function longConversation(failures: number) {
    const calls = { earlier: 0, chat: 0 };
    useSessionStore().client = () =>
      ({
        getConversation: async (_id: string, { before }: { before?: string } = {}) => {
          if (before === undefined) return { conversationId: 'c1', title: 'Long', createdAt: '', updatedAt: '', fileIds: [], messages: [message(2), message(3)], omittedMessages: 2 };
          if (calls.earlier++ < failures) throw new ApiError(0, 'NETWORK_ERROR', 'The server cannot be reached.');
          return { conversationId: 'c1', title: 'Long', createdAt: '', updatedAt: '', fileIds: [], messages: [message(0), message(1)] };
        },
        chat: () => {
          calls.chat++;
          throw new Error('nothing should be sent');
        },
      }) as unknown as ApiClient;
    return calls;
  }

  it('reads them again on Retry, and never asks for a new version of the latest answer', async () => {
    const calls = longConversation(1);
    const thread = useThreadStore();
    await thread.open('c1');
    await thread.loadEarlier();
    expect(thread.failure).toMatchObject({ code: 'NETWORK_ERROR', retry: { kind: 'loadEarlier' } });
    expect(thread.messages.map((shown) => shown.id)).toEqual(['m2', 'm3']);

    await thread.retry();
    expect(calls).toEqual({ earlier: 2, chat: 0 });
    expect(thread.failure).toBeUndefined();
    expect(thread.messages.map((shown) => shown.id)).toEqual(['m0', 'm1', 'm2', 'm3']);
    expect(thread.omitted).toBe(0);
  });

  it('does the same when an export could not read the whole conversation', async () => {
    const calls = longConversation(1);
    const thread = useThreadStore();
    await thread.open('c1');
    expect(await thread.loadAll()).toBe(false);
    expect(thread.failure?.retry).toEqual({ kind: 'loadEarlier' });
    await thread.retry();
    expect(calls.chat).toBe(0);
    expect(thread.messages).toHaveLength(4);
    expect(await thread.loadAll()).toBe(true);
  });
});
