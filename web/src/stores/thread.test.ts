import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import type { FileContext } from '../api/types';
import { useComposerStore } from './composer';
import { useConversationsStore } from './conversations';
import { useFilesStore } from './files';
import { useSessionStore } from './session';
import { useThreadStore } from './thread';
import { answers, done, fails, fakeApi, meta } from './thread-fakes';

const file = (fileId: string, fileName: string): FileContext => ({
  fileId, fileName, fileType: 'text', size: 10, charCount: 10, status: 'ready', uploadedAt: '2026-11-02T10:00:00.000Z',
});

describe('the thread store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    localStorage.clear();
  });

  it('streams an answer into the thread and learns the new conversation’s id', async () => {
    fakeApi([
      async function* () {
        yield meta();
        yield { type: 'delta', text: 'Hi ' };
        yield { type: 'delta', text: 'there' };
        yield done();
      },
    ]);
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

  it('takes the title a model wrote after the first answer, for the header and the sidebar, with the answer usable before it', async () => {
    let titled = false;
    let answered = false;
    fakeApi([
      async function* () {
        yield meta({ title: 'Plan a weekend in Lyon' });
        yield { type: 'delta', text: 'Day one…' };
        yield done();
        answered = !useThreadStore().streaming;
        yield { type: 'title', title: 'Weekend in Lyon' };
        titled = true;
      },
    ]);
    const thread = useThreadStore();
    await thread.send('Plan a weekend in Lyon');
    expect(answered).toBe(true);
    expect(titled).toBe(true);
    expect(thread.title).toBe('Weekend in Lyon');
    expect(useConversationsStore().items).toEqual([expect.objectContaining({ conversationId: 'c1', title: 'Weekend in Lyon' })]);
  });

  it('sends files without words', async () => {
    const { calls } = fakeApi([answers('You sent notes.md')]);
    const thread = useThreadStore();
    await thread.send('', ['f1']);
    expect(calls.map((call) => call.body)).toEqual([{ message: '', fileIds: ['f1'] }]);
    expect(thread.messages.map((message) => [message.role, message.content, message.fileIds])).toEqual([
      ['user', '', ['f1']],
      ['assistant', 'You sent notes.md', undefined],
    ]);
    expect(thread.fileIds).toEqual(['f1']);
    // Neither words nor files: nothing to send.
    await thread.send('  ', []);
    expect(calls).toHaveLength(1);
  });

  it('shows the answer stopped at once, and keeps what the server wrote until it heard of the Stop', async () => {
    let release: () => void = () => undefined;
    fakeApi([
      async function* () {
        yield meta();
        yield { type: 'delta', text: 'Once upon' };
        await new Promise<void>((resolve) => (release = resolve));
        yield { type: 'delta', text: ' a time' };
        yield { type: 'error', code: 'ANSWER_STOPPED', message: 'The answer was stopped.', messageId: 'a1' };
      },
    ]);
    const thread = useThreadStore();
    const sending = thread.send('Tell me a story');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(thread.streaming).toBe(true);
    thread.stop();
    expect(thread.streaming).toBe(false);
    expect(thread.messages[1]).toMatchObject({ content: 'Once upon', stopReason: 'aborted' });
    release();
    await sending;
    expect(thread.messages[1]).toMatchObject({ content: 'Once upon a time', stopReason: 'aborted', streaming: false });
    expect(thread.failure).toBeUndefined();
  });

  it('shows a model error that ends the stream, with what had arrived; Retry asks for a new version of that answer', async () => {
    const { calls } = fakeApi([
      async function* () {
        yield meta();
        yield { type: 'delta', text: 'Part' };
        yield { type: 'error', code: 'MODEL_FAILED', message: 'The model stopped answering.', messageId: 'a9' };
      },
      answers('Whole', { answerMessageId: 'a10' }),
    ]);
    const thread = useThreadStore();
    await thread.send('Go');
    expect(thread.messages[1]).toMatchObject({ id: 'a9', content: 'Part', stopReason: 'error', error: { code: 'MODEL_FAILED' } });
    expect(thread.failure).toMatchObject({ code: 'MODEL_FAILED' });
    await thread.retry();
    expect(calls[1]?.body).toEqual({ conversationId: 'c1', regenerate: { messageId: 'a9' } });
    expect(thread.messages.map((message) => message.content)).toEqual(['Go', 'Whole']);
  });

  it('asks for a new version of an answer cut by a lost connection, by the id `meta` gave it', async () => {
    const { calls } = fakeApi([
      async function* () {
        yield meta({ answerMessageId: 'a-cut' });
        yield { type: 'delta', text: 'Half' };
        throw new ApiError(0, 'NETWORK_ERROR', 'The connection was lost. Try again.');
      },
      answers('Whole', { answerMessageId: 'a2' }),
    ]);
    const thread = useThreadStore();
    await thread.send('Go');
    expect(thread.messages[1]).toMatchObject({ id: 'a-cut', content: 'Half', stopReason: 'error' });
    expect(thread.failure).toMatchObject({ code: 'NETWORK_ERROR' });
    await thread.retry();
    expect(calls[1]?.body).toEqual({ conversationId: 'c1', regenerate: { messageId: 'a-cut' } });
  });

  it('loads the older messages of a long conversation above the ones shown, page by page', async () => {
    const message = (n: number) => ({ id: `m${n}`, role: n % 2 ? ('assistant' as const) : ('user' as const), content: `message ${n}`, timestamp: `2026-01-01T00:00:0${n}.000Z` });
    const asked: Array<string | undefined> = [];
    const pages: Record<string, { messages: ReturnType<typeof message>[]; omittedMessages?: number }> = {
      newest: { messages: [message(4), message(5)], omittedMessages: 4 },
      m4: { messages: [message(2), message(3)], omittedMessages: 2 },
      m2: { messages: [message(0), message(1)] },
    };
    fakeApi([]);
    useSessionStore().client().getConversation = async (_id: string, { before }: { before?: string } = {}) => {
      asked.push(before);
      return { conversationId: 'c1', title: 'Long', createdAt: '', updatedAt: '', fileIds: [], ...pages[before ?? 'newest']! };
    };
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
    const { calls } = fakeApi([
      fails(new ApiError(429, 'USAGE_LIMIT_REACHED', 'You have used your $5.00 for this month. It starts again on 2026-12-01 (2026-12-01T00:00:00.000Z).', undefined, 3600)),
    ]);
    const files = useFilesStore();
    files.library = { f2: file('f2', 'budget.csv') };
    const composer = useComposerStore();
    composer.draft = 'typed meanwhile';
    const thread = useThreadStore();
    await thread.send('One more, please', ['f2']);
    expect(thread.messages).toEqual([]);
    expect(thread.failure).toMatchObject({ code: 'USAGE_LIMIT_REACHED', retryAfterSeconds: 3600, refused: true, unsent: { text: 'One more, please', fileIds: ['f2'] } });
    expect(thread.failure?.retry).toBeUndefined();
    expect(calls).toHaveLength(1);
    // Back in the composer, above what was typed since, with its file ready to go again.
    expect(composer.draft).toBe('One more, please\ntyped meanwhile');
    expect(files.attachments).toMatchObject([{ name: 'budget.csv', status: 'ready', file: { fileId: 'f2' } }]);
  });

  it('gives the question back when a Retry of an unsent question is refused', async () => {
    fakeApi([
      fails(new ApiError(0, 'NETWORK_ERROR', 'The server cannot be reached.')),
      fails(new ApiError(429, 'RATE_LIMITED', 'Too many messages: wait 20 seconds.', undefined, 20)),
    ]);
    const files = useFilesStore();
    files.library = { f3: file('f3', 'notes.md') };
    const composer = useComposerStore();
    const thread = useThreadStore();
    // The composer handed the words and the file over, and cleared itself.
    await thread.send('Summarise my notes', ['f3']);
    const [unsent] = thread.messages;
    expect(unsent).toMatchObject({ content: 'Summarise my notes', unsent: { code: 'NETWORK_ERROR' } });
    expect(composer.draft).toBe('');
    await thread.retryUnsent(unsent!.id);
    expect(thread.failure).toMatchObject({ code: 'RATE_LIMITED', refused: true, unsent: { text: 'Summarise my notes', fileIds: ['f3'] } });
    expect(thread.messages).toEqual([]);
    expect(composer.draft).toBe('Summarise my notes');
    expect(files.attachments.map((item) => item.file?.fileId)).toEqual(['f3']);
  });

  it('forgets the conversation on sign-out', async () => {
    fakeApi([answers('Hi')]);
    const thread = useThreadStore();
    await thread.send('Hello');
    useSessionStore().signOut();
    expect([thread.conversationId, thread.messages]).toEqual([undefined, []]);
  });
});
