import { invalidInput } from '../../domain/errors.js';

/**
 * Cursors are opaque to clients: base64url JSON of a store's own position. They carry no user id,
 * and every store reads only the caller's partition, so a forged cursor cannot reach other data.
 */
export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

export function decodeCursor<T>(cursor: string, isPosition: (value: unknown) => value is T): T {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (isPosition(value)) return value;
  } catch {
    // fall through: any undecodable cursor gets the same answer
  }
  throw invalidInput('INVALID_CURSOR', 'This page cursor is not valid. Start again from the first page.');
}
