import type { TokenUsage } from './conversation.js';

/**
 * What answers cost a user, month by month (calendar months, UTC), and what they may spend.
 * Costs are kept in whole micro-dollars: sums of them are exact wherever they are added up (a
 * store's atomic ADD, memory), where sums of floating dollars would drift.
 */

/** USD per million tokens, as configured for the model. */
export interface ModelPrices {
  inputPerMTok: number;
  outputPerMTok: number;
  cacheReadPerMTok: number;
  cacheWritePerMTok: number;
}

/** What one answer adds to its user's month. */
export interface UsageDelta {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costMicroUsd: number;
}

/** A user's month in the ledger; zeros when nothing was recorded. */
export interface MonthlyUsage extends UsageDelta {
  userId: string;
  /** `2026-11`. */
  month: string;
  /** The name or email the user last chatted under, for the admins' table. */
  displayName?: string;
}

export const MICRO_USD_PER_USD = 1_000_000;

/** `2026-11` for any instant of November 2026, UTC. */
export function monthOf(instant: Date): string {
  return instant.toISOString().slice(0, 7);
}

/** The first instant of the month after `month`: when its budget starts again. */
export function monthResetsAt(month: string): Date {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, monthNumber, 1));
}

export const isMonth = (value: string): boolean => /^\d{4}-(0[1-9]|1[0-2])$/.test(value);

/** An answer's usage and its cost at the configured prices, rounded to the micro-dollar. */
export function usageDelta(usage: TokenUsage, prices: ModelPrices): UsageDelta {
  const delta = {
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    cacheReadTokens: usage.cacheReadTokens ?? 0,
    cacheWriteTokens: usage.cacheWriteTokens ?? 0,
  };
  // USD per million tokens is micro-dollars per token.
  const micro =
    delta.inputTokens * prices.inputPerMTok +
    delta.outputTokens * prices.outputPerMTok +
    delta.cacheReadTokens * prices.cacheReadPerMTok +
    delta.cacheWriteTokens * prices.cacheWritePerMTok;
  return { ...delta, costMicroUsd: Math.round(micro) };
}

export const toUsd = (micro: number): number => micro / MICRO_USD_PER_USD;
export const toMicroUsd = (usd: number): number => Math.round(usd * MICRO_USD_PER_USD);
