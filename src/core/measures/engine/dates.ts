/**
 * Calendar days for the measures. A day is a whole number of days since 1970-01-01 (UTC), which is
 * what `date(x)` of a UTC timestamp gives in SQL; timestamps are milliseconds since the epoch.
 */
import { civilDate, civilFromDays, daysFromCivil } from '../../load/cells';
import type { Resolution } from './types';

export const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` → day number; null when the text is not a real calendar date in that form. */
export function parseDay(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return null;
  const day = daysFromCivil(y, mo, d);
  // a day past the month's end (2025-02-30) lands in the next month
  return formatDay(day) === `${m[1]}-${m[2]}-${m[3]}` ? day : null;
}

/** Two digits of 0–99. */
const TWO = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
/** Days of 0000-01-01 and 9999-12-31: between them toISOString writes YYYY-MM-DD, as here. */
const FIRST_FOUR_DIGIT_DAY = -719_528;
const LAST_FOUR_DIGIT_DAY = 2_932_896;

/** A day as `YYYY-MM-DD` (as toISOString writes it: its other forms, and NaN's error, from it). */
export function formatDay(day: number): string {
  if (!(day >= FIRST_FOUR_DIGIT_DAY && day <= LAST_FOUR_DIGIT_DAY && day === Math.floor(day)))
    return new Date(day * DAY_MS).toISOString().slice(0, 10);
  civilFromDays(day);
  const y = civilDate.year;
  return `${y >= 1000 ? y : String(y).padStart(4, '0')}-${TWO[civilDate.month]}-${TWO[civilDate.day]}`;
}

/** UTC calendar day of a timestamp (NaN stays NaN). */
export function dayOf(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/** The Monday that starts the ISO week of a day (`date_trunc('week', …)`). 1970-01-01 was a Thursday. */
export function weekStart(day: number): number {
  return day - ((((day + 3) % 7) + 7) % 7);
}

/** The first day of the month of a day (`date_trunc('month', …)`). */
export function monthStart(day: number): number {
  civilFromDays(day);
  return day - civilDate.day + 1;
}

/** 12·year + month of a day: `DATE_DIFF('month', a, b)` is the difference of two of these. */
export function monthIndex(day: number): number {
  civilFromDays(day);
  return civilDate.year * 12 + civilDate.month - 1;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * A timestamp plus n calendar months, time of day kept, the day clipped to the month's last
 * (PostgreSQL's `t + interval 'n months'`: Jan 31 + 1 month = Feb 28/29).
 */
export function addMonthsMs(ms: number, n: number): number {
  const day = Math.floor(ms / DAY_MS);
  civilFromDays(day);
  const months = civilDate.month - 1 + n;
  const y = civilDate.year + Math.floor(months / 12);
  const m = months - Math.floor(months / 12) * 12; // 0–11
  const leap = m === 1 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0) ? 1 : 0;
  const d = Math.min(civilDate.day, MONTH_DAYS[m] + leap);
  return (daysFromCivil(y, m + 1, d) - day) * DAY_MS + ms;
}

/**
 * A range of days cut into periods (day, week from Monday, month from the 1st). Each period is
 * keyed by its first day, clipped to the range's first day; the last one ends at the range's end.
 */
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
