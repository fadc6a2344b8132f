import { describe, expect, it } from 'vitest';
import type { Message, Role } from '../../src/domain/conversation.js';
import type { ModelLimits, PromptMessage } from '../../src/domain/ports/chat-model.js';
import { buildPrompt, type SourceDocument } from '../../src/domain/prompt/build-prompt.js';

const BIG_WINDOW: ModelLimits = { contextWindowTokens: 200_000, maxOutputTokens: 4_000 };
const SMALL_WINDOW: ModelLimits = { contextWindowTokens: 2_000, maxOutputTokens: 500 };

let next = 0;
const msg = (role: Role, content: string): Message => ({
  id: `m-${++next}`,
  role,
  content,
  timestamp: new Date(Date.parse('2026-01-01T00:00:00.000Z') + next * 1000).toISOString(),
});
/** `count` messages alternating user/assistant, starting with the user; each about 100 tokens. */
const conversation = (count: number, chars = 350): Message[] =>
  Array.from({ length: count }, (_, n) => msg(n % 2 === 0 ? 'user' : 'assistant', `${n}: `.padEnd(chars, 'x')));
const doc = (fileId: string, text: string): SourceDocument => ({ fileId, fileName: `${fileId}.txt`, size: text.length, text });

const build = (history: Message[], limits = BIG_WINDOW, documents: SourceDocument[] = []) =>
  buildPrompt({ system: 'Be brief.', documents, history, limits });

function expectAlternating(messages: PromptMessage[]): void {
  expect(messages[0]?.role).toBe('user');
  expect(messages.at(-1)?.role).toBe('user');
  messages.forEach((message, i) => expect(message.role).toBe(i % 2 === 0 ? 'user' : 'assistant'));
}

describe('buildPrompt: alternation', () => {
  it('skips empty answers, merges two user turns in a row and starts with the user', async () => {
    const history = [
      msg('assistant', 'Welcome!'),
      msg('user', 'First'),
      msg('assistant', ''), // an answer aborted before any text
      msg('user', 'Second'),
      msg('assistant', 'Answer'),
      msg('user', 'Third'),
      msg('user', 'Fourth'),
    ];
    const { request } = build(history);
    expect(request.messages).toEqual([
      { role: 'user', content: 'First\n\nSecond' },
      { role: 'assistant', content: 'Answer' },
      { role: 'user', content: 'Third\n\nFourth' },
    ]);
    expect(request).toMatchObject({ system: 'Be brief.', maxOutputTokens: BIG_WINDOW.maxOutputTokens, documents: [] });
  });
});

describe('buildPrompt: report', () => {
  it('does not count an empty answer it skipped as a dropped message when everything fits', async () => {
    // A model error before any text stores an empty answer; the retry must not say history was dropped.
    const history = [msg('user', 'Question'), msg('assistant', ''), msg('user', 'Question, again')];
    const { request, report } = build(history);
    expect(request.messages).toEqual([{ role: 'user', content: 'Question\n\nQuestion, again' }]);
    expect(report.droppedMessages).toBe(0);
  });
});

describe('buildPrompt: budget', () => {
  it('keeps the whole history when it fits', async () => {
    const history = conversation(21);
    const { request, report } = build(history);
    expect(request.messages).toHaveLength(21);
    expect(report).toMatchObject({ includedMessages: 21, droppedMessages: 0, truncatedFileIds: [] });
  });

  it('drops history oldest first when the window is small, and counts what it dropped', async () => {
    const history = conversation(21);
    const { request, report } = build(history, SMALL_WINDOW);
    expect(report.droppedMessages).toBeGreaterThan(0);
    expect(report.includedMessages + report.droppedMessages).toBe(21);
    expect(request.messages.map((message) => message.content)).toEqual(history.slice(report.droppedMessages).map((m) => m.content));
    expectAlternating(request.messages);
    expect(report.estimatedInputTokens).toBeLessThanOrEqual(SMALL_WINDOW.contextWindowTokens - SMALL_WINDOW.maxOutputTokens);
  });

  it('cuts a big document visibly and keeps a small one whole', async () => {
    const big = doc('big', 'All work and no play makes Jack a dull boy. '.repeat(1200));
    const small = doc('small', 'The meeting is at noon in room 4.');
    const limits = { contextWindowTokens: 4_000, maxOutputTokens: 500 };
    const { request, report } = build([msg('user', 'Summarise the files')], limits, [big, small]);

    const [bigInPrompt, smallInPrompt] = request.documents;
    expect(smallInPrompt).toEqual({ ...small, truncated: false });
    expect(bigInPrompt).toMatchObject({ fileId: 'big', truncated: true });
    expect(bigInPrompt!.text).toContain('[… truncated');
    expect(bigInPrompt!.text.length).toBeLessThan(big.text.length);
    const kept = bigInPrompt!.text.slice(0, bigInPrompt!.text.indexOf('\n\n[… truncated'));
    expect(kept.length).toBeGreaterThan(0);
    expect(big.text.startsWith(kept)).toBe(true);
    expect(report.truncatedFileIds).toEqual(['big']);
    expect(report.estimatedInputTokens).toBeLessThanOrEqual(limits.contextWindowTokens - limits.maxOutputTokens);
  });

  it('builds a prompt from 1,000 messages and 10 files', async () => {
    const history = conversation(1001, 400);
    const documents = Array.from({ length: 10 }, (_, n) => doc(`f${n}`, `File ${n}. `.repeat(2000 * (n + 1))));
    const { request, report } = build(history, BIG_WINDOW, documents);
    expectAlternating(request.messages);
    expect(request.messages.at(-1)?.content).toBe(history.at(-1)?.content);
    expect(request.documents.map((document) => document.fileId)).toEqual(documents.map((document) => document.fileId));
    expect(report.includedMessages + report.droppedMessages).toBe(1001);
    expect(report.estimatedInputTokens).toBeLessThanOrEqual(BIG_WINDOW.contextWindowTokens - BIG_WINDOW.maxOutputTokens);
  });
});
