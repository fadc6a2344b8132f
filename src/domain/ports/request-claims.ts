import type { RequestClaim } from '../request-claim.js';

/**
 * Idempotency keys claimed by `POST /chat`, per user. A claim names the ids its request stores
 * under, so that a retry with the same key replays what was stored instead of answering twice.
 * Keys of different users never meet, and claims are kept for at least a day.
 */
export interface RequestClaims {
  /**
   * Claims the key atomically: undefined when the claim is new (the caller goes on), or the claim
   * already there (the caller replays it). Of racing claims of one key, exactly one is new.
   */
  claim(userId: string, claim: RequestClaim): Promise<RequestClaim | undefined>;
  /** The user's claim of this key, if one was made (a read: it claims nothing). */
  find(userId: string, key: string): Promise<RequestClaim | undefined>;
  /**
   * Gives up a claim whose request stored nothing (it failed first), so that a retry with the same
   * key is answered rather than told it is still in progress. Only the claim naming
   * `answerMessageId` goes: a later claim of the key by another request stays.
   */
  release(userId: string, key: string, answerMessageId: string): Promise<void>;
}
