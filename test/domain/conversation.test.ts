import { describe, expect, it } from 'vitest';
import { titleFromMessage } from '../../src/domain/conversation.js';

describe('titleFromMessage', () => {
  it('keeps a short message as it is', () => {
    expect(titleFromMessage('What is the capital of France?')).toBe('What is the capital of France?');
  });

  it('takes the first non-blank line only', () => {
    expect(titleFromMessage('\n\n  Plan my trip\nto Lyon in May')).toBe('Plan my trip');
    expect(titleFromMessage('Windows line\r\nsecond line')).toBe('Windows line');
  });

  it('folds runs of whitespace into one space', () => {
    expect(titleFromMessage('  Too \t many    spaces  ')).toBe('Too many spaces');
  });

  it('cuts long text at a word boundary and marks the cut', () => {
    const message = 'Please write a detailed comparison of the public transport systems of Lyon and Marseille';
    const title = titleFromMessage(message);
    expect(title.endsWith('…')).toBe(true);
    const base = title.slice(0, -1);
    expect(base.length).toBeLessThanOrEqual(60);
    expect(message.startsWith(base)).toBe(true);
    expect(message[base.length]).toBe(' ');
    expect(base).toBe('Please write a detailed comparison of the public transport');
  });

  it('does not end on punctuation before the mark', () => {
    const title = titleFromMessage('Compare the weather in Lyon, Marseille, Paris, Nice, Bordeaux, Lille and Brest');
    expect(title).toBe('Compare the weather in Lyon, Marseille, Paris, Nice…');
  });

  it('cuts one very long word at the limit', () => {
    expect(titleFromMessage('x'.repeat(100))).toBe(`${'x'.repeat(60)}…`);
  });

  it('names an empty or blank message "New conversation"', () => {
    expect(titleFromMessage('')).toBe('New conversation');
    expect(titleFromMessage(' \n\t ')).toBe('New conversation');
  });
});
