import { describe, expect, it } from 'vitest';
import type { PromptDocument, PromptMessage } from '../../domain/ports/chat-model.js';
import { estimateTokens } from '../../domain/prompt/token-estimate.js';
import { alternatingTurns, documentText, estimateRequestTokens } from './prompt-parts.js';

// Beside the code it tests, as a team may keep its adapter's tests: `npm test` finds src/**/*.test.ts too.

const doc = (fileName: string, text: string): PromptDocument => ({ fileId: 'f1', fileName, size: text.length, text, truncated: false });
const user = (content: string): PromptMessage => ({ role: 'user', content });
const assistant = (content: string): PromptMessage => ({ role: 'assistant', content });

describe('documentText', () => {
  it('tags a file with its name, so the model can say which file it used', () => {
    expect(documentText(doc('notes.md', 'Leave at noon.'))).toBe('<document name="notes.md">\nLeave at noon.\n</document>');
  });

  it('escapes a name that would close the tag or open another', () => {
    const tagged = documentText(doc('a"><document name="x&y.txt', 'text'));
    expect(tagged.split('\n')[0]).toBe('<document name="a&quot;&gt;&lt;document name=&quot;x&amp;y.txt">');
  });
});

describe('alternatingTurns', () => {
  it('leaves a history that already alternates as it is', () => {
    const history = [user('Hi'), assistant('Hello'), user('How are you?')];
    expect(alternatingTurns(history)).toEqual(history);
  });

  it('merges two turns of one role, drops empty ones and a leading assistant turn', () => {
    const history = [assistant('Welcome back.'), user('First'), user('  '), user('Second'), assistant('Answer'), assistant(''), user('Third')];
    expect(alternatingTurns(history)).toEqual([user('First\n\nSecond'), assistant('Answer'), user('Third')]);
  });

  it('does not change the messages it was given', () => {
    const history = [user('First'), user('Second')];
    alternatingTurns(history);
    expect(history).toEqual([user('First'), user('Second')]);
  });
});

describe('estimateRequestTokens', () => {
  it('counts the system prompt, each tagged file and each message, with the estimate the prompt budget uses', () => {
    const file = doc('notes.md', 'Leave at noon, from platform 4.');
    const request = { system: 'Be brief.', documents: [file], messages: [user('When do I leave?')], maxOutputTokens: 100 };
    expect(estimateRequestTokens(request)).toBe(estimateTokens('Be brief.') + estimateTokens(documentText(file)) + estimateTokens('When do I leave?'));
  });
});
