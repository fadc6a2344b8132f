import type { ModelInfo, TokenUsage } from '../api/types';

export function formatBytes(bytes: number, locale: string): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value)} ${units[unit]}`;
}

/** 1234 -> "1.2k" (en) / "1,2 k" (fr): compact counts of tokens or characters. */
export function formatCount(count: number, locale: string): string {
  return new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 }).format(count);
}

/** What an answer cost at the configured prices; undefined when no prices are configured. */
export function answerCost(usage: TokenUsage, model: ModelInfo | undefined): number | undefined {
  const pricing = model?.pricing;
  if (!pricing) return undefined;
  return (usage.inputTokens * pricing.inputPerMTok + usage.outputTokens * pricing.outputPerMTok) / 1_000_000;
}

export function formatCost(amount: number, currency: string, locale: string): string {
  // Answers cost fractions of a cent: show enough digits to tell them apart.
  const digits = amount < 0.01 ? 4 : amount < 1 ? 3 : 2;
  return new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(amount);
}

export function formatTime(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

/**
 * The browser's own regional variant of the app's language when it has one (`en-GB` for `en`), so
 * that dates read as the user expects; else the language itself.
 */
export function regionalLocale(language: string, preferred: readonly string[] = typeof navigator === 'undefined' ? [] : navigator.languages): string {
  return preferred.find((tag) => tag.toLowerCase().split('-')[0] === language.toLowerCase()) ?? language;
}

/** Dollars: "$0.42", "$5.00"; amounts under a cent keep two significant digits ("$0.0013"). */
export function formatUsd(amount: number, locale: string): string {
  const tiny = amount > 0 && amount < 0.01;
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: 'USD',
    ...(tiny ? { maximumSignificantDigits: 2 } : { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
  }).format(amount);
}

/** A moment in the user's time zone and words: "1 December 2026 at 01:00". */
export function formatDateTime(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short' }).format(new Date(iso));
}
