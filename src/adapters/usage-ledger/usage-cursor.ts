import { decodeCursor, encodeCursor } from '../conversation-store/page-cursor.js';

/**
 * A month's users are listed in user id order, so the last user id shown is the whole position.
 * The month is not in it: each request names its month, and a cursor brought to another month
 * only starts that month's list after the same user id.
 */

/** DynamoDB's limit on a sort key value: a longer "user id" could only be forged. */
const MAX_USER_ID_BYTES = 1024;

const isUserId = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && Buffer.byteLength(value, 'utf8') <= MAX_USER_ID_BYTES;

export const encodeUserCursor = (lastUserId: string): string => encodeCursor(lastUserId);

/** The last user id of the previous page; DomainError `invalid` `INVALID_CURSOR` when it is not one. */
export const decodeUserCursor = (cursor: string): string => decodeCursor(cursor, isUserId);
