import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dateGroupOf, groupByDate } from './date-groups';

// Paris: clocks go forward on 29 March 2026 (a 23-hour day) and back on 25 October 2026 (25 hours).
beforeAll(() => {
  vi.stubEnv('TZ', 'Europe/Paris');
});
afterAll(() => {
  vi.unstubAllEnvs();
});

const at = (iso: string) => new Date(iso);

describe('dateGroupOf, in the local time zone', () => {
  it('runs in Paris time for these tests', () => {
    expect(at('2026-07-01T12:00:00Z').getTimezoneOffset()).toBe(-120);
    expect(at('2026-01-01T12:00:00Z').getTimezoneOffset()).toBe(-60);
  });

  it('splits at local midnight, not at UTC midnight', () => {
    const now = at('2026-05-12T00:10:00+02:00');
    expect(dateGroupOf(at('2026-05-12T00:00:00+02:00'), now)).toBe('today');
    expect(dateGroupOf(at('2026-05-11T23:59:59+02:00'), now)).toBe('yesterday');
    // 23:30 UTC on the 11th is already the 12th in Paris.
    expect(dateGroupOf(at('2026-05-11T23:30:00Z'), at('2026-05-12T08:00:00+02:00'))).toBe('today');
    expect(dateGroupOf(at('2026-05-11T21:59:00Z'), at('2026-05-12T08:00:00+02:00'))).toBe('yesterday');
  });

  it('counts yesterday from its midnight, and the previous 7 days from midnight a week ago', () => {
    const now = at('2026-05-12T23:59:00+02:00');
    expect(dateGroupOf(at('2026-05-11T00:00:00+02:00'), now)).toBe('yesterday');
    expect(dateGroupOf(at('2026-05-10T23:59:59+02:00'), now)).toBe('previous7Days');
    expect(dateGroupOf(at('2026-05-05T00:00:00+02:00'), now)).toBe('previous7Days');
    expect(dateGroupOf(at('2026-05-04T23:59:59+02:00'), now)).toBe('older');
  });

  it('keeps yesterday a calendar day across the spring change (a 23-hour day)', () => {
    const now = at('2026-03-30T00:30:00+02:00');
    expect(dateGroupOf(at('2026-03-29T00:00:00+01:00'), now)).toBe('yesterday');
    // 24 hours before midnight would reach 23:00 on the 28th: that hour is not yesterday.
    expect(dateGroupOf(at('2026-03-28T23:30:00+01:00'), now)).toBe('previous7Days');
  });

  it('keeps yesterday a calendar day across the autumn change (a 25-hour day)', () => {
    const now = at('2026-10-26T00:30:00+01:00');
    // 24 hours before midnight would stop at 01:00 on the 25th and leave its first hour out.
    expect(dateGroupOf(at('2026-10-25T00:30:00+02:00'), now)).toBe('yesterday');
    expect(dateGroupOf(at('2026-10-24T23:59:00+02:00'), now)).toBe('previous7Days');
  });

  it('puts a moment ahead of the clock in today, and an unreadable one in older', () => {
    const now = at('2026-05-12T10:00:00+02:00');
    expect(dateGroupOf(at('2026-05-13T09:00:00+02:00'), now)).toBe('today');
    expect(dateGroupOf(at('not a date'), now)).toBe('older');
  });
});

describe('groupByDate', () => {
  it('gives the non-empty sections in order, each keeping the items in their order', () => {
    const now = at('2026-05-12T10:00:00+02:00');
    const items = [
      { id: 'a', updatedAt: '2026-05-12T09:00:00+02:00' },
      { id: 'b', updatedAt: '2026-05-01T09:00:00+02:00' },
      { id: 'c', updatedAt: '2026-05-12T08:00:00+02:00' },
      { id: 'd', updatedAt: '2026-05-08T09:00:00+02:00' },
      { id: 'e', updatedAt: '2025-12-24T09:00:00+01:00' },
    ];
    expect(groupByDate(items, now).map(({ group, items: inGroup }) => [group, inGroup.map((item) => item.id)])).toEqual([
      ['today', ['a', 'c']],
      ['previous7Days', ['d']],
      ['older', ['b', 'e']],
    ]);
  });

  it('gives no section for no items', () => {
    expect(groupByDate([], new Date())).toEqual([]);
  });
});
