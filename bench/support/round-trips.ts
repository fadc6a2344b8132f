import type { ProxiedCall } from './delaying-proxy.js';

/**
 * How many store round trips a message waited for one after the other: the longest chain of
 * calls in which each arrived after the one before it had been answered. Calls made together
 * (a parallel read, a batch beside the model call) count once, however many there are.
 */
export function roundTrips(calls: ProxiedCall[]): number {
  const byArrival = [...calls].sort((a, b) => a.arrivedAt - b.arrivedAt);
  const chainEndingAt: number[] = [];
  for (const [index, call] of byArrival.entries()) {
    let longestBefore = 0;
    for (let earlier = 0; earlier < index; earlier++) {
      const answeredAt = byArrival[earlier]!.answeredAt;
      if (answeredAt !== undefined && answeredAt <= call.arrivedAt) longestBefore = Math.max(longestBefore, chainEndingAt[earlier]!);
    }
    chainEndingAt.push(longestBefore + 1);
  }
  return Math.max(0, ...chainEndingAt);
}
