import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import type { Conversation } from '../api/types';
import { useComposerStore } from './composer';
import { useThreadStore } from './thread';
import { answers, done, fails, fakeApi, meta, type ChatScript } from './thread-fakes';

const at = (second: number) => `2026-11-02T10:00:${String(second).padStart(2, '0')}.000Z`;

/** A question, its first answer and two newer versions of it (A3 replaces A2 replaces A1), then a second exchange. */
const regenerated: Conversation = {
  conversationId: 'c1',
  title: 'Rivers',
  createdAt: at(0),
  updatedAt: at(9),
  fileIds: [],
  messages: [
    { id: 'q1', role: 'user', content: 'Name a river', timestamp: at(0) },
    { id: 'a1', role: 'assistant', content: 'The Seine', timestamp: at(1) },
    { id: 'a2', role: 'assistant', content: 'The Loire', timestamp: at(2), replaces: 'a1' },
    { id: 'a3', role: 'assistant', content: 'The Rhône', timestamp: at(3), replaces: 'a2' },
    { id: 'q2', role: 'user', content: 'Where does it rise?', timestamp: at(4) },
    { id: 'a4', role: 'assistant', content: 'In the Alps', timestamp: at(5) },
  ],
};

describe('the thread store: Regenerate', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('streams a new answer where the old one stood, without posting the question again', async () => {
    let release: () => void = () => undefined;
    const second: ChatScript = async function* () {
      yield meta({ answerMessageId: 'a2' });
      yield { type: 'delta', text: 'Second' };
      await new Promise<void>((resolve) => (release = resolve));
      yield { type: 'delta', text: ' answer' };
      yield done('a2');
    };
    const { calls } = fakeApi([answers('First answer'), second]);
    const thread = useThreadStore();
    await thread.send('Hello');
    const regenerating = thread.regenerate();
    await new Promise((resolve) => setTimeout(resolve, 0));

    // While it streams: one question, and the new answer in the old one's place.
    expect(thread.messages.map((message) => [message.role, message.content, message.streaming ?? false])).toEqual([
      ['user', 'Hello', false],
      ['assistant', 'Second', true],
    ]);
    release();
    await regenerating;
    expect(calls[1]?.body).toEqual({ conversationId: 'c1', regenerate: { messageId: 'a1' } });
    expect(calls[1]?.key).not.toBe(calls[0]?.key);
    expect(thread.messages.map((message) => [message.id, message.content])).toEqual([
      ['u1', 'Hello'],
      ['a2', 'Second answer'],
    ]);
    expect(thread.versionsOf('a2')).toMatchObject({ position: 2, count: 2 });

    // The previous version is a click away, and back.
    thread.showVersion('a2', -1);
    expect(thread.messages.map((message) => message.content)).toEqual(['Hello', 'First answer']);
    expect(thread.versionsOf('a1')).toMatchObject({ position: 1, count: 2 });
    thread.showVersion('a1', -1); // already the first
    expect(thread.versionsOf('a1')?.position).toBe(1);
    thread.showVersion('a1', 1);
    expect(thread.messages.at(-1)?.content).toBe('Second answer');
  });

  it('shows a loaded conversation with one version of each answer, the newest, under its question', async () => {
    fakeApi([], regenerated);
    const thread = useThreadStore();
    await thread.open('c1');
    expect(thread.messages.map((message) => message.content)).toEqual(['Name a river', 'The Rhône', 'Where does it rise?', 'In the Alps']);
    expect(thread.versionsOf('a3')).toEqual({ position: 3, count: 3, root: 'a1' });
    expect(thread.versionsOf('a4')).toBeUndefined();
    thread.showVersion('a3', -1);
    expect(thread.messages[1]?.content).toBe('The Loire');
    // Export writes the conversation as it reads.
    expect(thread.snapshot().messages.map((message) => message.content)).toEqual(['Name a river', 'The Loire', 'Where does it rise?', 'In the Alps']);
  });

  it('replaces the newest version, whichever one is on screen', async () => {
    const { calls } = fakeApi([answers('The Garonne', { userMessageId: 'q2', answerMessageId: 'a5' })], { ...regenerated, messages: regenerated.messages.slice(0, 4) });
    const thread = useThreadStore();
    await thread.open('c1');
    thread.showVersion('a3', -1);
    await thread.regenerate();
    expect(calls[0]?.body).toEqual({ conversationId: 'c1', regenerate: { messageId: 'a3' } });
    expect(thread.messages.map((message) => message.content)).toEqual(['Name a river', 'The Garonne']);
    expect(thread.versionsOf('a5')).toMatchObject({ position: 4, count: 4 });
  });

  it('keeps the old answer shown when a Regenerate does not go, and Retry sends it again under the same key', async () => {
    const { calls } = fakeApi([answers('First answer'), fails(new ApiError(0, 'NETWORK_ERROR', 'The server cannot be reached.')), answers('Second answer', { answerMessageId: 'a2' })]);
    const thread = useThreadStore();
    await thread.send('Hello');
    await thread.regenerate();
    expect(thread.messages.map((message) => message.content)).toEqual(['Hello', 'First answer']);
    expect(thread.failure).toMatchObject({ code: 'NETWORK_ERROR', retry: { answerId: 'a1', key: calls[1]?.key } });
    await thread.retry();
    expect(calls[2]).toEqual(calls[1]);
    expect(thread.failure).toBeUndefined();
    expect(thread.messages.map((message) => message.content)).toEqual(['Hello', 'Second answer']);
  });

  it('leaves the composer alone when a Regenerate is refused: its question is still in the thread', async () => {
    fakeApi([answers('First answer'), fails(new ApiError(429, 'USAGE_LIMIT_REACHED', 'You have used your $5.00 for this month.'))]);
    const thread = useThreadStore();
    await thread.send('Hello');
    await thread.regenerate();
    expect(thread.failure).toMatchObject({ code: 'USAGE_LIMIT_REACHED', refused: true });
    expect(thread.failure?.unsent).toBeUndefined();
    expect(thread.failure?.retry).toBeUndefined();
    expect(useComposerStore().draft).toBe('');
    expect(thread.messages.map((message) => message.content)).toEqual(['Hello', 'First answer']);
    expect(thread.canRegenerate).toBe(true);
  });
});
