import { describe, expect, it } from 'vitest';
import { VerifiedTokenCache } from '../../src/adapters/token-verifier/verified-token-cache.js';
import { DomainError, unauthenticated } from '../../src/domain/errors.js';
import type { TokenVerifier, UserIdentity } from '../../src/domain/ports/token-verifier.js';

const NOW = 1_800_000_000_000;

/** An unsigned token shape with the given `exp` (seconds): the inner verifier decides validity. */
const tokenWith = (exp: number | undefined, sub = 'alice') =>
  ['e30', Buffer.from(JSON.stringify({ sub, ...(exp !== undefined && { exp }) })).toString('base64url'), 'sig'].join('.');

class CountingVerifier implements TokenVerifier {
  calls = 0;
  readonly refused = new Set<string>();
  async verify(token: string): Promise<UserIdentity> {
    this.calls++;
    if (this.refused.has(token)) throw unauthenticated();
    const { sub } = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sub: string };
    return { userId: sub, username: sub, groups: [] };
  }
}

function setUp(maxEntries = 1000) {
  const inner = new CountingVerifier();
  const clock = { now: NOW };
  const cache = new VerifiedTokenCache(inner, { maxEntries, now: () => clock.now });
  return { inner, clock, cache };
}

describe('VerifiedTokenCache', () => {
  it('verifies a token once, then answers from memory until it expires', async () => {
    const { inner, clock, cache } = setUp();
    const token = tokenWith(NOW / 1000 + 60);
    expect(await cache.verify(token)).toEqual({ userId: 'alice', username: 'alice', groups: [] });
    expect(await cache.verify(token)).toEqual({ userId: 'alice', username: 'alice', groups: [] });
    expect(inner.calls).toBe(1);

    clock.now += 61_000;
    inner.refused.add(token); // past exp, the real verifier refuses it
    await expect(cache.verify(token)).rejects.toBeInstanceOf(DomainError);
    expect(inner.calls).toBe(2);
  });

  it('never remembers a refused token, nor one without exp', async () => {
    const { inner, cache } = setUp();
    const bad = tokenWith(NOW / 1000 + 60, 'mallory');
    inner.refused.add(bad);
    await expect(cache.verify(bad)).rejects.toBeInstanceOf(DomainError);
    await expect(cache.verify(bad)).rejects.toBeInstanceOf(DomainError);
    const endless = tokenWith(undefined);
    await expect(cache.verify(endless)).rejects.toBeInstanceOf(DomainError);
    await expect(cache.verify(endless)).rejects.toBeInstanceOf(DomainError);
    expect(inner.calls).toBe(4);
  });

  it('keys by the whole token: a token differing in one byte is verified on its own', async () => {
    const { inner, cache } = setUp();
    const token = tokenWith(NOW / 1000 + 60);
    await cache.verify(token);
    const tampered = `${token.slice(0, -1)}x`;
    inner.refused.add(tampered);
    await expect(cache.verify(tampered)).rejects.toBeInstanceOf(DomainError);
  });

  it('holds at most maxEntries tokens, dropping the oldest', async () => {
    const { inner, cache } = setUp(2);
    const [a, b, c] = ['a', 'b', 'c'].map((sub) => tokenWith(NOW / 1000 + 60, sub)) as [string, string, string];
    await cache.verify(a);
    await cache.verify(b);
    await cache.verify(c); // a goes
    await cache.verify(b);
    await cache.verify(c);
    expect(inner.calls).toBe(3);
    await cache.verify(a);
    expect(inner.calls).toBe(4);
  });

  it('hands out copies: a caller changing its identity cannot change the next caller’s', async () => {
    const { cache } = setUp();
    const token = tokenWith(NOW / 1000 + 60);
    (await cache.verify(token)).userId = 'someone-else';
    expect((await cache.verify(token)).userId).toBe('alice');
  });
});
