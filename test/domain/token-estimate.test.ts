import { describe, expect, it } from 'vitest';
import { estimateTokens } from '../../src/domain/prompt/token-estimate.js';

/** The rule written out plainly: ASCII at 3.5 characters a token, anything else at 0.75 tokens a UTF-16 unit. */
function reference(text: string): number {
  let ascii = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) < 128) ascii++;
  return Math.ceil(ascii / 3.5 + (text.length - ascii) * 0.75);
}

describe('estimateTokens', () => {
  it.each([
    ['empty', ''],
    ['ASCII', 'The quick brown fox jumps over the lazy dog.\n'.repeat(50)],
    ['French', 'Où est la bibliothèque ? Déjà vu, naïve façade, œuvre.'],
    ['Arabic', 'مرحبا بالعالم، كيف حالك اليوم؟'],
    ['emoji', 'Launch 🚀 then celebrate 🎉🎉 with friends 👩‍👩‍👧'],
    ['CJK mixed with code', '函数 `estimateTokens(text)` 返回 token 数。\nconst x = 1;'],
    ['control characters', '\u0000\u0001\t\r\n\u007f\u0080'],
  ])('counts %s text as the plain rule does', (_name, text) => {
    expect(estimateTokens(text)).toBe(reference(text));
  });

  it('gives non-ASCII text more tokens per character than ASCII', () => {
    expect(estimateTokens('é'.repeat(100))).toBeGreaterThan(estimateTokens('e'.repeat(100)));
  });
});
