/**
 * A conservative token estimate, good enough to budget a prompt without a tokenizer: Claude's
 * tokenizer gives about four ASCII characters a token, while accented, Arabic, CJK text and emoji
 * cost far more per character. Overestimating only drops history a little early; underestimating
 * would make the model refuse the call.
 */
const NON_ASCII = /[\u0080-\uffff]/;
const ASCII_RUNS = /[^\u0080-\uffff]+/g;

export function estimateTokens(text: string): number {
  // Regular expressions run natively: far faster than a loop over char codes on the megabytes
  // of file text a prompt can hold (bench/README.md, prompt-building).
  const other = NON_ASCII.test(text) ? text.replace(ASCII_RUNS, '').length : 0;
  const ascii = text.length - other;
  return Math.ceil(ascii / 3.5 + other * 0.75);
}

/** Role markers and separators the model adds around each message. */
export const MESSAGE_OVERHEAD_TOKENS = 8;
