import type { RequestClaims } from '../../domain/ports/request-claims.js';
import type { RequestClaim } from '../../domain/request-claim.js';
import { copyData } from '../system/copy-data.js';

/** JSON keeps the two parts apart whatever characters they hold. */
const claimKey = (userId: string, key: string): string => JSON.stringify([userId, key]);

/**
 * Map-backed claims for tests and `STORE=memory`. Nothing expires: the port promises at least a
 * day, and a process that holds its data in memory does not live long enough for that to matter.
 */
export class MemoryRequestClaims implements RequestClaims {
  private readonly claims = new Map<string, RequestClaim>();

  async claim(userId: string, claim: RequestClaim): Promise<RequestClaim | undefined> {
    const key = claimKey(userId, claim.key);
    const earlier = this.claims.get(key);
    if (earlier) return copyData(earlier);
    this.claims.set(key, copyData(claim));
    return undefined;
  }

  async release(userId: string, key: string, answerMessageId: string): Promise<void> {
    const claimed = claimKey(userId, key);
    if (this.claims.get(claimed)?.answerMessageId === answerMessageId) this.claims.delete(claimed);
  }

  async find(userId: string, key: string): Promise<RequestClaim | undefined> {
    const claim = this.claims.get(claimKey(userId, key));
    return claim && copyData(claim);
  }
}
