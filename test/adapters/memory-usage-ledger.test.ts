import { describe, expect, it } from 'vitest';
import { MemoryUsageLedger } from '../../src/adapters/usage-ledger/memory-usage-ledger.js';
import { FixedClock } from '../support/fakes.js';

/** What the contract cannot check on DynamoDB, whose TTL deletes within days, not on time. */
describe('MemoryUsageLedger rate counts', () => {
  it('forgets a count once it expires, on its own clock', async () => {
    const clock = new FixedClock('2026-11-12T10:15:00.000Z');
    const rates = new MemoryUsageLedger(clock);
    const expiresAt = new Date('2026-11-12T10:17:00.000Z');
    expect(await rates.increment('alice', '2026-11-12T10:15', expiresAt)).toBe(1);
    expect(await rates.increment('alice', '2026-11-12T10:15', expiresAt)).toBe(2);
    clock.advance(2 * 60_000);
    expect(await rates.increment('alice', '2026-11-12T10:15', new Date('2026-11-12T10:30:00.000Z'))).toBe(1);
  });
});
