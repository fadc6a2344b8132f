import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RateCounter } from '../../src/domain/ports/usage-ledger.js';

export type MakeRateCounter = () => Promise<{ rates: RateCounter; cleanup?: () => Promise<void> }>;

/** Counts here expire long after the test: forgetting them is each adapter's own business. */
const later = () => new Date(Date.now() + 3600_000);

/** What every RateCounter must do, through the port only. User ids are fresh in each test. */
export function rateCounterContract(name: string, makeRates: MakeRateCounter): void {
  describe(`RateCounter contract: ${name}`, () => {
    let rates: RateCounter;
    let cleanup: (() => Promise<void>) | undefined;
    let alice: string;
    let bob: string;

    beforeEach(async () => {
      ({ rates, cleanup } = await makeRates());
      alice = `alice-${randomUUID()}`;
      bob = `bob-${randomUUID()}`;
    });
    afterEach(async () => {
      await cleanup?.();
    });

    it('counts each user’s messages in each window apart', async () => {
      expect(await rates.increment(alice, '2026-11-29T23:58', later())).toBe(1);
      expect(await rates.increment(alice, '2026-11-29T23:58', later())).toBe(2);
      expect(await rates.increment(bob, '2026-11-29T23:58', later())).toBe(1);
      expect(await rates.increment(alice, '2026-11-29T23:59', later())).toBe(1);
      expect(await rates.increment(alice, '2026-11-29T23:58', later())).toBe(3);
    });

    it('takes back a count, in its own window only, and never below zero', async () => {
      await rates.increment(alice, '2026-11-29T23:58', later());
      await rates.increment(alice, '2026-11-29T23:58', later());
      await rates.increment(alice, '2026-11-29T23:59', later());
      await rates.decrement(alice, '2026-11-29T23:58');
      expect(await rates.increment(alice, '2026-11-29T23:58', later())).toBe(2);
      expect(await rates.increment(alice, '2026-11-29T23:59', later())).toBe(2);
      await rates.decrement(bob, '2026-11-29T23:58');
      expect(await rates.increment(bob, '2026-11-29T23:58', later())).toBe(1);
      await rates.decrement(bob, '2026-11-29T23:58');
      await rates.decrement(bob, '2026-11-29T23:58');
      expect(await rates.increment(bob, '2026-11-29T23:58', later())).toBe(1);
    });

    it('gives 20 messages sent at once the counts 1 to 20, each once', async () => {
      const counts = await Promise.all(Array.from({ length: 20 }, () => rates.increment(alice, '2026-11-29T23:59', later())));
      expect([...counts].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, n) => n + 1));
    });
  });
}
