import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationStore } from '../../src/domain/ports/conversation-store.js';
import type { RequestClaims } from '../../src/domain/ports/request-claims.js';
import type { RequestClaim } from '../../src/domain/request-claim.js';

/**
 * `history` is the conversation store the deployment pairs with these claims: where the two share
 * a table, claims must stay invisible to it.
 */
export type MakeRequestClaims = () => Promise<{ claims: RequestClaims; history: ConversationStore; cleanup?: () => Promise<void> }>;

const CREATED_AT = '2026-02-01T09:00:00.000Z';

const claimOf = (key: string, answerMessageId: string, conversationId = 'c1'): RequestClaim => ({
  key,
  fingerprint: 'f1',
  conversationId,
  userMessageId: 'u1',
  answerMessageId,
  createdAt: CREATED_AT,
});

/**
 * What every RequestClaims must do, through the port only. Each test gets fresh claims from
 * `makeClaims` and fresh user ids, so adapters may share one table between tests.
 */
export function requestClaimsContract(name: string, makeClaims: MakeRequestClaims): void {
  describe(`RequestClaims contract: ${name}`, () => {
    let claims: RequestClaims;
    let history: ConversationStore;
    let cleanup: (() => Promise<void>) | undefined;
    let alice: string;
    let bob: string;

    beforeEach(async () => {
      ({ claims, history, cleanup } = await makeClaims());
      alice = `alice-${randomUUID()}`;
      bob = `bob-${randomUUID()}`;
    });
    afterEach(async () => {
      await cleanup?.();
    });

    it('claims a key once, and hands back the first claim after that', async () => {
      expect(await claims.find(alice, 'retry-1')).toBeUndefined();
      expect(await claims.claim(alice, claimOf('retry-1', 'a1'))).toBeUndefined();
      expect(await claims.find(alice, 'retry-1')).toEqual(claimOf('retry-1', 'a1'));
      expect(await claims.claim(alice, claimOf('retry-1', 'a2'))).toEqual(claimOf('retry-1', 'a1'));
      expect(await claims.find(alice, 'retry-1')).toEqual(claimOf('retry-1', 'a1'));
    });

    it("keeps each user's keys apart", async () => {
      expect(await claims.claim(alice, claimOf('retry-1', 'a1'))).toBeUndefined();
      expect(await claims.find(bob, 'retry-1')).toBeUndefined();
      expect(await claims.claim(bob, claimOf('retry-1', 'b1'))).toBeUndefined();
      expect(await claims.find(alice, 'retry-1')).toEqual(claimOf('retry-1', 'a1'));
      expect(await claims.find(bob, 'retry-1')).toEqual(claimOf('retry-1', 'b1'));
    });

    it('lets exactly one of 10 racing claims of a key win, and hands the winner to the others', async () => {
      const racing = await Promise.all(Array.from({ length: 10 }, (_, n) => claims.claim(alice, claimOf('race', `r${n}`))));
      expect(racing.filter((result) => result === undefined)).toHaveLength(1);
      const winner = (await claims.find(alice, 'race'))!.answerMessageId;
      expect(racing.every((result) => result === undefined || result.answerMessageId === winner)).toBe(true);
    });

    it('releases a claim its request gave up, so the key can be claimed again, but never another request\'s claim', async () => {
      expect(await claims.claim(alice, claimOf('retry-1', 'a1'))).toBeUndefined();
      await claims.release(alice, 'retry-1', 'not-a1');
      await claims.release(bob, 'retry-1', 'a1');
      expect(await claims.find(alice, 'retry-1')).toEqual(claimOf('retry-1', 'a1'));
      await claims.release(alice, 'retry-1', 'a1');
      expect(await claims.find(alice, 'retry-1')).toBeUndefined();
      expect(await claims.claim(alice, claimOf('retry-1', 'a2'))).toBeUndefined();
      expect(await claims.find(alice, 'retry-1')).toEqual(claimOf('retry-1', 'a2'));
      // Released twice, or never claimed: nothing happens.
      await claims.release(alice, 'retry-1', 'a1');
      await claims.release(alice, 'never', 'a1');
      expect(await claims.find(alice, 'retry-1')).toEqual(claimOf('retry-1', 'a2'));
    });

    it('hands back copies: changing what a call returned changes nothing stored', async () => {
      await claims.claim(alice, claimOf('retry-1', 'a1'));
      const found = (await claims.find(alice, 'retry-1'))!;
      found.answerMessageId = 'changed';
      expect(await claims.find(alice, 'retry-1')).toEqual(claimOf('retry-1', 'a1'));
    });

    it('is not a conversation: the history neither lists it nor takes it away with a delete', async () => {
      await history.create(alice, { conversationId: 'c1', title: 'Trip', createdAt: CREATED_AT, updatedAt: CREATED_AT, fileIds: [] });
      await claims.claim(alice, claimOf('retry-1', 'a1', 'c1'));
      expect((await history.list(alice, { limit: 10 })).items.map((item) => item.conversationId)).toEqual(['c1']);
      expect(await history.delete(alice, 'c1')).toBe(true);
      expect((await history.list(alice, { limit: 10 })).items).toEqual([]);
      // Kept: a retry after the delete must learn that its conversation is gone, not answer again.
      expect(await claims.find(alice, 'retry-1')).toEqual(claimOf('retry-1', 'a1', 'c1'));
    });
  });
}
