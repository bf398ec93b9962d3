/**
 * A range of days cut into periods (day, week from Monday, month from the 1st). Each period is
 * keyed by its first day, clipped to the range's first day; the last one ends at the range's end.
 */
import { formatDay, monthStart, weekStart } from './dates';
import type { Resolution } from './types';

export interface Period {
  /** First and last day in the range (inclusive). */
  readonly first: number;
  readonly last: number;
  /** The first day as YYYY-MM-DD: the period's key in results. */
  readonly key: string;
}

function nextStart(day: number, resolution: Resolution): number {
  if (resolution === 'day') return day + 1;
  if (resolution === 'week') return weekStart(day) + 7;
  return monthStart(monthStart(day) + 31);
}

export function periods(from: number, to: number, resolution: Resolution): Period[] {
  const out: Period[] = [];
  for (let first = from; first <= to;) {
    const next = nextStart(first, resolution);
    const last = Math.min(next - 1, to);
    out.push({ first, last, key: formatDay(first) });
    first = next;
  }
  return out;
}

/** For each day of [from, to], the index of its period (periods as `periods` gives them). */
export function periodOfDay(list: readonly Period[], from: number, to: number): Int32Array {
  const out = new Int32Array(to - from + 1);
  list.forEach((p, i) => out.fill(i, p.first - from, p.last - from + 1));
  return out;
}
