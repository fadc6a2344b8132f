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

  it('keeps the first six words, and never stores an ellipsis: cutting to fit is the view\'s job', () => {
    expect(titleFromMessage('Please write a detailed comparison of the public transport systems of Lyon')).toBe('Please write a detailed comparison of');
    expect(titleFromMessage('Compare the weather in Lyon, Marseille, Paris, Nice, Bordeaux')).toBe('Compare the weather in Lyon, Marseille');
    expect(titleFromMessage('Compare the weather in Lyon, Marseille, Paris')).not.toContain('…');
  });

  it('bounds one very long word', () => {
    expect(titleFromMessage('x'.repeat(100))).toBe('x'.repeat(80));
  });

  it('drops math delimiters but keeps money', () => {
    expect(titleFromMessage('Is $$E = mc^2$$ right, and why?')).toBe('Is E = mc^2 right, and');
    expect(titleFromMessage('Solve \\(x^2 = 2\\) for x')).toBe('Solve x^2 = 2 for x');
    expect(titleFromMessage('Is $5 a fair price')).toBe('Is $5 a fair price');
  });

  it('drops Markdown, URLs and list or quote markers', () => {
    expect(titleFromMessage('## **Summarise** [this doc](https://example.com/doc) please')).toBe('Summarise this doc please');
    expect(titleFromMessage('https://example.com/a/b\nExplain `Array.prototype.map` in JS')).toBe('Explain Array.prototype.map in JS');
    expect(titleFromMessage('> read *this* carefully')).toBe('read this carefully');
    expect(titleFromMessage('1. First point about cats')).toBe('First point about cats');
    expect(titleFromMessage('- _Plan_ the ~~old~~ trip')).toBe('Plan the old trip');
  });

  it('names an empty, blank or link-only message "New conversation"', () => {
    expect(titleFromMessage('')).toBe('New conversation');
    expect(titleFromMessage(' \n\t ')).toBe('New conversation');
    expect(titleFromMessage('https://example.com/only-a-link')).toBe('New conversation');
  });
});
