import { describe, expect, it } from 'vitest';
import type { UserUsage } from '../api/types';
import { monthLabel, nextSort, parseLimitInput, recentMonths, sortRows, userLabel } from './usage-table';
import { formatUsd, regionalLocale } from './format';

const row = (userId: string, displayName: string | null, costUsd: number, limitUsd: number | null, tokens = 0): UserUsage => ({
  userId,
  displayName,
  costUsd,
  inputTokens: tokens,
  outputTokens: tokens / 2,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  limitUsd,
  ownLimit: false,
});

const rows = [row('u3', 'carol@example.com', 0.5, 5, 300), row('u1', 'Émile', 2, null, 100), row('u2', null, 0.5, 10, 200), row('u4', 'bob', 3, 1, 50)];
const names = (list: UserUsage[]) => list.map(userLabel);

describe('the usage table', () => {
  it('sorts by name (accents and case aside), then by figures, ties by name', () => {
    expect(names(sortRows(rows, { key: 'user', direction: 'ascending' }))).toEqual(['bob', 'carol@example.com', 'Émile', 'u2']);
    expect(names(sortRows(rows, { key: 'cost', direction: 'descending' }))).toEqual(['bob', 'Émile', 'carol@example.com', 'u2']);
    // Ties read A-Z whichever way the column runs.
    expect(names(sortRows(rows, { key: 'cost', direction: 'ascending' }))).toEqual(['carol@example.com', 'u2', 'Émile', 'bob']);
    expect(names(sortRows(rows, { key: 'inputTokens', direction: 'descending' }))).toEqual(['carol@example.com', 'u2', 'Émile', 'bob']);
    // Unlimited is the largest limit.
    expect(names(sortRows(rows, { key: 'limit', direction: 'descending' }))).toEqual(['Émile', 'u2', 'carol@example.com', 'bob']);
    expect(rows.map((item) => item.userId)).toEqual(['u3', 'u1', 'u2', 'u4']);
  });

  it('turns a column around on a second click; a new column starts A-Z or largest first', () => {
    expect(nextSort({ key: 'user', direction: 'ascending' }, 'cost')).toEqual({ key: 'cost', direction: 'descending' });
    expect(nextSort({ key: 'cost', direction: 'descending' }, 'cost')).toEqual({ key: 'cost', direction: 'ascending' });
    expect(nextSort({ key: 'cost', direction: 'ascending' }, 'user')).toEqual({ key: 'user', direction: 'ascending' });
  });

  it('offers this month and the twelve before it, named in the user’s language', () => {
    const months = recentMonths(new Date('2026-01-15T12:00:00Z'));
    expect(months).toHaveLength(13);
    expect(months.slice(0, 3)).toEqual(['2026-01', '2025-12', '2025-11']);
    expect(months.at(-1)).toBe('2025-01');
    // The last hours of a month are still that month in UTC, as the server counts.
    expect(recentMonths(new Date('2026-11-30T23:30:00Z'), 1)).toEqual(['2026-11']);
    expect(monthLabel('2026-11', 'en')).toBe('November 2026');
    expect(monthLabel('2026-11', 'fr')).toBe('novembre 2026');
  });

  it('reads a typed limit in either language’s way of writing amounts', () => {
    expect(parseLimitInput('5')).toEqual({ ok: true, value: 5 });
    expect(parseLimitInput(' $12.50 ')).toEqual({ ok: true, value: 12.5 });
    expect(parseLimitInput('1,000')).toEqual({ ok: true, value: 1000 });
    expect(parseLimitInput('1,000.5')).toEqual({ ok: true, value: 1000.5 });
    expect(parseLimitInput('12,50')).toEqual({ ok: true, value: 12.5 });
    expect(parseLimitInput('1,000', 'fr')).toEqual({ ok: true, value: 1 });
    expect(parseLimitInput('1 000,25', 'fr')).toEqual({ ok: true, value: 1000.25 });
    expect(parseLimitInput('0.000001')).toEqual({ ok: true, value: 0.000001 });
    expect(parseLimitInput('0')).toEqual({ ok: true, value: 0 });
    expect(parseLimitInput('')).toEqual({ ok: false, reason: 'empty' });
    expect(parseLimitInput('ten')).toEqual({ ok: false, reason: 'notNumber' });
    expect(parseLimitInput('1e3')).toEqual({ ok: false, reason: 'notNumber' });
    expect(parseLimitInput('1,00,0')).toEqual({ ok: false, reason: 'notNumber' });
    expect(parseLimitInput('-1')).toEqual({ ok: false, reason: 'negative' });
    expect(parseLimitInput('1000001')).toEqual({ ok: false, reason: 'tooLarge' });
  });

  it('writes dollars with cents, and tiny amounts with two significant digits', () => {
    expect(formatUsd(0.42, 'en')).toBe('$0.42');
    expect(formatUsd(5, 'en')).toBe('$5.00');
    expect(formatUsd(0, 'en')).toBe('$0.00');
    expect(formatUsd(0.001284, 'en')).toBe('$0.0013');
    expect(formatUsd(5, 'fr')).toMatch(/^5,00\s\$US$/);
    expect(regionalLocale('en', ['fr-FR', 'en-GB'])).toBe('en-GB');
    expect(regionalLocale('fr', ['en-GB'])).toBe('fr');
  });
});
