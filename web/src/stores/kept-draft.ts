/**
 * The words in the composer when a session ends by itself (an expired or refused token), kept in
 * the tab's sessionStorage until the same user signs in again: a reload of the sign-in page does
 * not lose them, and nobody else who signs in on this tab ever sees them.
 */
const STORAGE_KEY = 'chat.keptDraft';

interface Kept {
  owner: string;
  text: string;
}

/** The same person however the name was typed: case and spaces aside, as the server's user ids are derived. */
const ownerKey = (name: string): string => name.normalize('NFC').replace(/\s+/gu, ' ').trim().toLowerCase();

export function keepDraft(owner: string, text: string, storage: Storage = sessionStorage): void {
  if (text.trim() === '') storage.removeItem(STORAGE_KEY);
  else storage.setItem(STORAGE_KEY, JSON.stringify({ owner: ownerKey(owner), text } satisfies Kept));
}

/** The draft kept for `owner`, handed over once; anyone else signing in drops it. */
export function takeKeptDraft(owner: string | undefined, storage: Storage = sessionStorage): string | undefined {
  if (owner === undefined) return undefined;
  const kept = read(storage);
  storage.removeItem(STORAGE_KEY);
  return kept?.owner === ownerKey(owner) ? kept.text : undefined;
}

function read(storage: Storage): Kept | undefined {
  try {
    const kept = JSON.parse(storage.getItem(STORAGE_KEY) ?? 'null') as Partial<Kept> | null;
    return typeof kept?.owner === 'string' && typeof kept.text === 'string' ? (kept as Kept) : undefined;
  } catch {
    return undefined;
  }
}
