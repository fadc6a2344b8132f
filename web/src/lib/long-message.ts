/** Past this many lines or characters, a message of the user's shows its beginning only, until asked. */
export const LONG_MESSAGE_LINES = 12;
export const LONG_MESSAGE_CHARS = 1200;

export function isLongMessage(text: string): boolean {
  if (text.length > LONG_MESSAGE_CHARS) return true;
  let lines = 1;
  for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) {
    if (++lines > LONG_MESSAGE_LINES) return true;
  }
  return false;
}
