/**
 * Calendar days for the measures. A day is a whole number of days since 1970-01-01 (UTC), which is
 * what `date(x)` of a UTC timestamp gives in SQL; timestamps are milliseconds since the epoch.
 */
import { daysFromCivil } from '../../load/cells';
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

export function formatDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** UTC calendar day of a timestamp (NaN stays NaN). */
export function dayOf(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/** The Monday that starts the ISO week of a day (`date_trunc('week', …)`). 1970-01-01 was a Thursday. */
export function weekStart(day: number): number {
  return day - ((((day + 3) % 7) + 7) % 7);
}

/** Year, month (1–12) and day of month of the last day given to civil() (no allocation per call). */
let civilYear = 0;
let civilMonth = 0;
let civilDay = 0;

/** Howard Hinnant's civil_from_days: sets civilYear, civilMonth, civilDay (NaN for NaN). */
function civil(day: number): void {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  civilDay = doy - Math.floor((153 * mp + 2) / 5) + 1;
  civilMonth = mp < 10 ? mp + 3 : mp - 9;
  civilYear = yoe + era * 400 + (civilMonth <= 2 ? 1 : 0);
}

/** The first day of the month of a day (`date_trunc('month', …)`). */
export function monthStart(day: number): number {
  civil(day);
  return day - civilDay + 1;
}

/** 12·year + month of a day: `DATE_DIFF('month', a, b)` is the difference of two of these. */
export function monthIndex(day: number): number {
  civil(day);
  return civilYear * 12 + civilMonth - 1;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * A timestamp plus n calendar months, time of day kept, the day clipped to the month's last
 * (PostgreSQL's `t + interval 'n months'`: Jan 31 + 1 month = Feb 28/29).
 */
export function addMonthsMs(ms: number, n: number): number {
  const day = Math.floor(ms / DAY_MS);
  civil(day);
  const months = civilMonth - 1 + n;
  const y = civilYear + Math.floor(months / 12);
  const m = months - Math.floor(months / 12) * 12; // 0–11
  const leap = m === 1 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0) ? 1 : 0;
  const d = Math.min(civilDay, MONTH_DAYS[m] + leap);
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
