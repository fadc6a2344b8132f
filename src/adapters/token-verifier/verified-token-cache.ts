import { unauthenticated } from '../../domain/errors.js';
import type { TokenVerifier, UserIdentity } from '../../domain/ports/token-verifier.js';

interface Entry {
  identity: UserIdentity;
  expiresAtMs: number;
}

/**
 * Remembers tokens that passed verification until they expire, so that a user's next requests
 * skip the RSA signature check and claim parsing, a large share of the chat path's CPU (figures
 * in bench/README.md, request-overhead). The key is the whole token: a changed byte is a
 * different, unverified token.
 * A token that failed is never remembered; one past its `exp` is verified again, and refused.
 */
export class VerifiedTokenCache implements TokenVerifier {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly inner: TokenVerifier,
    private readonly options: { maxEntries: number; now: () => number } = { maxEntries: 1000, now: Date.now },
  ) {}

  async verify(token: string): Promise<UserIdentity> {
    const cached = this.entries.get(token);
    if (cached && this.options.now() < cached.expiresAtMs) return copyOf(cached.identity);
    if (cached) this.entries.delete(token);

    const identity = await this.inner.verify(token);
    const expiresAtMs = expiryOf(token);
    if (expiresAtMs === undefined) throw unauthenticated();
    if (this.entries.size >= this.options.maxEntries) {
      // Maps iterate in insertion order: the first key is the oldest entry.
      this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(token, { identity: copyOf(identity), expiresAtMs });
    return identity;
  }
}

/** A caller that changes its identity (or its groups) changes no one else's. */
const copyOf = (identity: UserIdentity): UserIdentity => ({ ...identity, groups: [...identity.groups] });

/** `exp` of a token the inner verifier has just accepted (so its payload is well-formed), in ms. */
function expiryOf(token: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
