import type { ChatDeps } from './chat-types.js';
import { readTogether } from './read-together.js';
import type { RequestClaim } from './request-claim.js';

/** What a message's first round of store calls read and took, and how to give it back. */
export interface FirstRound<T, C> {
  read: T;
  /** What `check` made of the reads (a Regenerate's target). */
  checked: C;
  /** Releases the key's claim (this round's, or `laterClaim` made since) and takes back the count. */
  giveBack(laterClaim?: RequestClaim): Promise<void>;
  /** Runs the next step, giving back what was taken when it fails. */
  orGiveBack<R>(next: () => Promise<R>, laterClaim?: RequestClaim): Promise<R>;
  takeBackCount(): Promise<void>;
}

/** The idempotency key: claimed in the round, or only looked up (a Regenerate's claim must wait for the conversation). */
export type KeyStep = { claim: RequestClaim } | { find: string } | undefined;

/**
 * The round of store calls a message makes before its model is asked, all sent at once: the
 * `reads` the prompt needs, the idempotency key, the budget and the rate. Returns what was read,
 * or an earlier claim of the key to replay. A request refused in more than one way is told the
 * first of: a failed read (the first by position), the replay, `check` (what the reads make of
 * the request), the budget, the rate. Whatever stops it from here on gives back what it took
 * (its claim, its count towards the rate); a refusal for the rate itself keeps its count. A
 * message refused for another reason holds its count until it gives it back, a moment in which
 * a message sent beside it finds one count more than it should: accepted, for a round trip less
 * on every message.
 */
export async function firstRound<T extends readonly unknown[], C = undefined>(
  deps: Pick<ChatDeps, 'claims' | 'usage'>,
  userId: string,
  key: KeyStep,
  reads: { [K in keyof T]: Promise<T[K]> },
  check?: (read: T) => C,
): Promise<{ replay: RequestClaim } | FirstRound<T, C>> {
  const { claims, usage } = deps;
  const [keyed, budget, counted, reading] = await Promise.allSettled([
    key === undefined ? Promise.resolve(undefined) : 'claim' in key ? claims.claim(userId, key.claim) : claims.find(userId, key.find),
    usage ? usage.checkBudget(userId) : Promise.resolve(),
    usage ? usage.countMessage(userId) : Promise.resolve(undefined),
    readTogether(reads),
  ]);
  const earlier = keyed.status === 'fulfilled' ? keyed.value : undefined;
  const count = counted.status === 'fulfilled' ? counted.value : undefined;
  const takeBackCount = () => count?.takeBack().catch(() => undefined) ?? Promise.resolve();
  // Ours unless the key was someone's already; a claim that failed may have been written all the same (a timeout).
  const ours = key && 'claim' in key && !earlier ? key.claim : undefined;
  /** Best effort: the request's own error is what the client hears. */
  const release = async (claim: RequestClaim | undefined) => {
    if (claim) await claims.release(userId, claim.key, claim.answerMessageId).catch(() => undefined);
  };
  const giveBack = async (laterClaim?: RequestClaim) => {
    await Promise.all([release(ours ?? laterClaim), takeBackCount()]);
  };
  const orGiveBack = async <R>(next: () => Promise<R>, laterClaim?: RequestClaim): Promise<R> => {
    try {
      return await next();
    } catch (error) {
      await giveBack(laterClaim);
      throw error;
    }
  };

  const failed = [reading, keyed, counted].find((outcome) => outcome.status === 'rejected');
  if (failed) {
    await giveBack();
    throw failed.reason;
  }
  if (earlier) {
    // A retry of a request already made replays it, whatever the budget or rate say now: the
    // answer was paid for, and a replay calls no model.
    await takeBackCount();
    return { replay: earlier };
  }
  const read = (reading as PromiseFulfilledResult<T>).value;
  const checked = check ? await orGiveBack(async () => check(read)) : (undefined as C);
  if (budget.status === 'rejected') {
    await giveBack();
    throw budget.reason;
  }
  if (count?.refusal) {
    await release(ours);
    throw count.refusal;
  }
  return { read, checked, giveBack, orGiveBack, takeBackCount };
}
