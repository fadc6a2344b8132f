/** The sidebar's sections, newest first, named by how long ago a conversation was last active. */
export type DateGroup = 'today' | 'yesterday' | 'previous7Days' | 'older';

export const DATE_GROUPS: readonly DateGroup[] = ['today', 'yesterday', 'previous7Days', 'older'];

/**
 * Midnight `daysBack` calendar days before `now`'s day, in the user's local time. Built from the
 * calendar fields rather than by subtracting 24-hour days: days around a daylight saving change
 * last 23 or 25 hours, and a fixed 24 hours would put the boundary an hour off.
 */
function localMidnight(now: Date, daysBack: number): number {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() - daysBack).getTime();
}

/** Which section a moment belongs to, seen from `now`. A moment ahead of the clock (skew) counts as today. */
export function dateGroupOf(moment: Date, now: Date): DateGroup {
  const time = moment.getTime();
  if (Number.isNaN(time)) return 'older';
  if (time >= localMidnight(now, 0)) return 'today';
  if (time >= localMidnight(now, 1)) return 'yesterday';
  if (time >= localMidnight(now, 7)) return 'previous7Days';
  return 'older';
}

export interface DatedGroup<T> {
  group: DateGroup;
  items: T[];
}

/** The items in their sections (Today, Yesterday, Previous 7 days, Older), empty sections left out, each keeping the items' order. */
export function groupByDate<T extends { updatedAt: string }>(items: readonly T[], now: Date): DatedGroup<T>[] {
  const sections = new Map<DateGroup, T[]>(DATE_GROUPS.map((group) => [group, []]));
  for (const item of items) sections.get(dateGroupOf(new Date(item.updatedAt), now))!.push(item);
  return DATE_GROUPS.map((group) => ({ group, items: sections.get(group)! })).filter((section) => section.items.length > 0);
}
