/**
 * The billing periods of Subscription Retention (query _14): the durations that give a period
 * number, the named and the calculated ones, period numbers as the query rounds them, and a
 * period's end.
 */
import { addMonthsMs, DAY_MS, monthIndex, weekStart } from './engine/dates';

/** The durations that give a period number, in this order (others: NULL, left out). */
export const CALC = ['P1D', 'P1W', 'P1M', 'P2M', 'P3M', 'P6M', 'P1Y'] as const;
export const NAMED: Record<string, string> = {
  P7D: 'P1W',
  P30D: 'P1M',
  P4W: 'P1M',
  P12M: 'P1Y',
  P200Y: 'lifetime',
  P999Y: 'lifetime',
};

export function byMaxDuration(d: number): string | null {
  if (d >= 0 && d <= 1) return 'P1D';
  if (d === 3) return 'P3D';
  if (d >= 6 && d <= 8) return 'P1W';
  if (d >= 12 && d <= 16) return 'P2W';
  if (d >= 27 && d <= 37) return 'P1M';
  if (d >= 58 && d <= 62) return 'P2M';
  if (d >= 88 && d <= 95) return 'P3M';
  if (d >= 179 && d <= 185) return 'P6M';
  if (d >= 363 && d <= 375) return 'P1Y';
  return null;
}

/** ROUND(a / b) of NUMERICs: half away from zero (b > 0). */
function roundDiv(a: number, b: number): number {
  const q = Math.floor((2 * Math.abs(a) + b) / (2 * b));
  return a < 0 ? -q : q;
}

/** period_number for calculated duration CALC[c], cohort day `first`, transaction start day `day`. */
export function periodNumber(c: number, first: number, day: number): number {
  switch (c) {
    case 0:
      return day - first;
    case 1:
      return (weekStart(day) - weekStart(first)) / 7;
    case 2:
      return roundDiv(day - first, 30);
    case 3:
      return roundDiv(day - first, 60);
    case 4:
      return roundDiv(day - first, 90);
    case 5:
      return roundDiv(day - first, 180);
    default:
      return roundDiv(monthIndex(day) - monthIndex(first), 12);
  }
}

/** start_time + one period of CALC[c] (DATE_ADD with '1 day', '1 week', 'n months', '1 year'). */
export function periodEnd(c: number, start: number): number {
  if (c === 0) return start + DAY_MS;
  if (c === 1) return start + 7 * DAY_MS;
  return addMonthsMs(start, [1, 2, 3, 6, 12][c - 2]);
}

export const PERIOD_WORD = ['Day', 'Week', 'Month', 'Month', 'Month', 'Month', 'Year'];
export const PERIOD_STEP = [1, 1, 1, 2, 3, 6, 1];
