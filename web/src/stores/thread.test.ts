import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { ApiError, type ApiClient } from '../api/client';
import type { ChatEvent, FileContext } from '../api/types';
import { useComposerStore } from './composer';
import { useFilesStore } from './files';
import { useSessionStore } from './session';
import { useThreadStore } from './thread';

/** A client whose chat plays the given events, optionally waiting on a gate before the rest. */
function fakeClient(script: (signal?: AbortSignal) => AsyncGenerator<ChatEvent>): ApiClient {
  return { chat: (_message: unknown, options?: { signal?: AbortSignal }) => script(options?.signal) } as unknown as ApiClient;
}

function useClient(client: ApiClient): void {
  const session = useSessionStore();
  session.client = () => client;
}

const meta: ChatEvent = { type: 'meta', conversationId: 'c1', userMessageId: 'u1', title: 'Hello' };
const done: ChatEvent = {
  type: 'done',
  messageId: 'a1',
  stopReason: 'end_turn',
  usage: { inputTokens: 10, outputTokens: 2 },
  context: { estimatedInputTokens: 10, contextWindowTokens: 200_000, maxOutputTokens: 4000, includedMessages: 1, droppedMessages: 0, truncatedFileIds: [] },
};

const file = (fileId: string, fileName: string): FileContext => ({
  fileId, fileName, fileType: 'text/plain', size: 10, charCount: 10, status: 'ready', uploadedAt: '2026-11-02T10:00:00.000Z',
});

describe('the thread store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('streams an answer into the thread and learns the new conversation’s id', async () => {
    useClient(fakeClient(async function* () {
      yield meta;
      yield { type: 'delta', text: 'Hi ' };
      yield { type: 'delta', text: 'there' };
      yield done;
    }));
    const thread = useThreadStore();
    const started: string[] = [];
    await thread.send('Hello', [], (id) => started.push(id));
    expect(started).toEqual(['c1']);
    expect(thread.conversationId).toBe('c1');
    expect(thread.messages.map((message) => [message.id, message.role, message.content])).toEqual([
      ['u1', 'user', 'Hello'],
      ['a1', 'assistant', 'Hi there'],
    ]);
    expect(thread.messages[1]).toMatchObject({ streaming: false, usage: { outputTokens: 2 }, context: { contextWindowTokens: 200_000 } });
    expect(thread.canRegenerate).toBe(true);
    // What Export writes: the API's shape, without the view's own flags.
    const snapshot = thread.snapshot();
    expect(snapshot).toMatchObject({ conversationId: 'c1', title: 'Hello' });
    expect(snapshot.messages.map((message) => Object.keys(message).includes('streaming'))).toEqual([false, false]);
  });

  it('keeps the partial answer when stopped, marked as stopped', async () => {
    let release: () => void = () => undefined;
    useClient(fakeClient(async function* (signal) {
      yield meta;
      yield { type: 'delta', text: 'Once upon' };
      await new Promise<void>((resolve) => (release = resolve));
      if (signal?.aborted) throw new DOMException('aborted', 'AbortError');
      yield { type: 'delta', text: ' a time' };
    }));
    const thread = useThreadStore();
    const sending = thread.send('Tell me a story');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(thread.streaming).toBe(true);
    thread.stop();
    release();
    await sending;
    expect(thread.streaming).toBe(false);
    expect(thread.messages[1]).toMatchObject({ content: 'Once upon', stopReason: 'aborted' });
    expect(thread.failure).toBeUndefined();
  });

  it('keeps the question for Retry when the request fails before the answer starts', async () => {
    let attempts = 0;
    useClient(fakeClient(async function* () {
      attempts++;
      if (attempts === 1) throw new ApiError(429, 'MODEL_THROTTLED', 'The model is busy. Try again in a minute.');
      yield meta;
      yield { type: 'delta', text: 'Now it works' };
      yield done;
    }));
    const thread = useThreadStore();
    await thread.send('Are you there?', ['f1']);
    expect(thread.messages).toEqual([]);
    expect(thread.failure).toMatchObject({ code: 'MODEL_THROTTLED', retry: { text: 'Are you there?', fileIds: ['f1'], key: expect.any(String) } });
    await thread.retry();
    expect(thread.failure).toBeUndefined();
    expect(thread.messages.map((message) => message.content)).toEqual(['Are you there?', 'Now it works']);
  });

  it('shows a model error that ends the stream, with what had arrived', async () => {
    useClient(fakeClient(async function* () {
      yield meta;
      yield { type: 'delta', text: 'Part' };
      yield { type: 'error', code: 'MODEL_FAILED', message: 'The model stopped answering.', messageId: 'a9' };
    }));
    const thread = useThreadStore();
    await thread.send('Go');
    expect(thread.messages[1]).toMatchObject({ id: 'a9', content: 'Part', stopReason: 'error', error: { code: 'MODEL_FAILED' } });
    expect(thread.failure).toMatchObject({ code: 'MODEL_FAILED' });
  });

  it('loads the older messages of a long conversation above the ones shown, page by page', async () => {
    const message = (n: number) => ({ id: `m${n}`, role: n % 2 ? ('assistant' as const) : ('user' as const), content: `message ${n}`, timestamp: `2026-01-01T00:00:0${n}.000Z` });
    const asked: Array<string | undefined> = [];
    const pages: Record<string, { messages: ReturnType<typeof message>[]; omittedMessages?: number }> = {
      newest: { messages: [message(4), message(5)], omittedMessages: 4 },
      m4: { messages: [message(2), message(3)], omittedMessages: 2 },
      m2: { messages: [message(0), message(1)] },
    };
    useClient({
      getConversation: async (_id: string, { before }: { before?: string } = {}) => {
        asked.push(before);
        return { conversationId: 'c1', title: 'Long', createdAt: '', updatedAt: '', fileIds: [], ...pages[before ?? 'newest']! };
      },
    } as unknown as ApiClient);
    const thread = useThreadStore();
    await thread.open('c1');
    expect(thread.omitted).toBe(4);
    await thread.loadEarlier();
    await thread.loadEarlier();
    expect(thread.messages.map((shown) => shown.id)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
    expect(thread.omitted).toBe(0);
    // Nothing is left to ask for: no more reads.
    await thread.loadEarlier();
    expect(asked).toEqual([undefined, 'm4', 'm2']);
    expect(thread.loadingEarlier).toBe(false);
    expect(await thread.loadAll()).toBe(true);
  });

  it('gives a refused question back (spent budget, too many messages) instead of offering Retry', async () => {
    let calls = 0;
    useClient(fakeClient(async function* () {
      if (++calls > 0) throw new ApiError(429, 'USAGE_LIMIT_REACHED', 'You have used your $5.00 for this month. It starts again on 2026-12-01 (2026-12-01T00:00:00.000Z).', undefined, 3600);
      yield meta;
    }));
    const files = useFilesStore();
    files.library = { f2: file('f2', 'budget.csv') };
    const composer = useComposerStore();
    composer.draft = 'typed meanwhile';
    const thread = useThreadStore();
    await thread.send('One more, please', ['f2']);
    expect(thread.messages).toEqual([]);
    expect(thread.failure).toMatchObject({ code: 'USAGE_LIMIT_REACHED', retryAfterSeconds: 3600, refused: true, unsent: { text: 'One more, please', fileIds: ['f2'] } });
    expect(thread.failure?.retry).toBeUndefined();
    expect(calls).toBe(1);
    // Back in the composer, above what was typed since, with its file ready to go again.
    expect(composer.draft).toBe('One more, please\ntyped meanwhile');
    expect(files.attachments).toMatchObject([{ name: 'budget.csv', status: 'ready', file: { fileId: 'f2' } }]);
  });

  it('gives the question back when a Retry after a lost connection is refused', async () => {
    let calls = 0;
    useClient(fakeClient(async function* () {
      calls++;
      if (calls === 1) throw new ApiError(0, 'NETWORK_ERROR', 'The connection was lost. Try again.');
      if (calls === 2) throw new ApiError(429, 'RATE_LIMITED', 'Too many messages: wait 20 seconds.', undefined, 20);
      yield meta;
    }));
    const files = useFilesStore();
    files.library = { f3: file('f3', 'notes.md') };
    const composer = useComposerStore();
    const thread = useThreadStore();
    // The composer handed the words and the file over, and cleared itself.
    await thread.send('Summarise my notes', ['f3']);
    expect(thread.failure).toMatchObject({ code: 'NETWORK_ERROR', retry: { text: 'Summarise my notes', fileIds: ['f3'] } });
    expect(composer.draft).toBe('');
    await thread.retry();
    expect(calls).toBe(2);
    expect(thread.failure).toMatchObject({ code: 'RATE_LIMITED', refused: true, unsent: { text: 'Summarise my notes', fileIds: ['f3'] } });
    expect(thread.failure?.retry).toBeUndefined();
    expect(composer.draft).toBe('Summarise my notes');
    expect(files.attachments.map((item) => item.file?.fileId)).toEqual(['f3']);
  });

  it('leaves the composer alone when a Regenerate is refused: its question is still in the thread', async () => {
    let calls = 0;
    useClient(fakeClient(async function* () {
      calls++;
      if (calls === 1) {
        yield meta;
        yield { type: 'delta', text: 'First answer' };
        yield done;
        return;
      }
      if (calls === 2) throw new ApiError(0, 'NETWORK_ERROR', 'The connection was lost. Try again.');
      throw new ApiError(429, 'USAGE_LIMIT_REACHED', 'You have used your $5.00 for this month.');
    }));
    const composer = useComposerStore();
    const thread = useThreadStore();
    await thread.send('Hello');
    await thread.regenerate();
    expect(thread.failure).toMatchObject({ code: 'NETWORK_ERROR', retry: { text: 'Hello', regenerate: true } });
    // Retry of the Regenerate, refused: no "back in the message box", no Retry, nothing in the box.
    await thread.retry();
    expect(thread.failure).toMatchObject({ code: 'USAGE_LIMIT_REACHED', refused: true });
    expect(thread.failure?.unsent).toBeUndefined();
    expect(thread.failure?.retry).toBeUndefined();
    expect(composer.draft).toBe('');
    expect(thread.messages.map((message) => message.content)).toEqual(['Hello', 'First answer']);
    expect(thread.canRegenerate).toBe(true);
  });

  it('forgets the conversation on sign-out', async () => {
    useClient(fakeClient(async function* () {
      yield meta;
      yield done;
    }));
    const thread = useThreadStore();
    await thread.send('Hello');
    useSessionStore().signOut();
    expect([thread.conversationId, thread.messages]).toEqual([undefined, []]);
  });
});
