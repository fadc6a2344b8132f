/**
 * A conservative token estimate, good enough to budget a prompt without a tokenizer: Claude's
 * tokenizer gives about four ASCII characters a token, while accented, Arabic, CJK text and emoji
 * cost far more per character. Overestimating only drops history a little early; underestimating
 * would make the model refuse the call.
 */
export function estimateTokens(text: string): number {
  let ascii = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) < 128) ascii++;
  }
  const other = text.length - ascii;
  return Math.ceil(ascii / 3.5 + other * 0.75);
}

/** Role markers and separators the model adds around each message. */
export const MESSAGE_OVERHEAD_TOKENS = 8;
