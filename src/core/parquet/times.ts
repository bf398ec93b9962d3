/**
 * Dates and timestamps as the export's text: `YYYY-MM-DD` as toISOString writes it, and
 * `YYYY-MM-DD HH:MM:SS` with the sub-second digits when they are not zero (cells.ts uses them).
 */
import { civilDate, civilFromDays } from '../load/cells';
import type { Cells } from './cells';

const DAY_MS = 86_400_000;
/** Date text by day number: a few thousand days cover an export. */
const dayText = new Map<number, string>();
let lastDay = NaN;
let lastText = '';

export function dateText(day: number): string {
  if (day === lastDay) return lastText;
  let d = dayText.get(day);
  if (d === undefined) {
    d = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (dayText.size < 100_000) dayText.set(day, d);
  }
  lastDay = day;
  lastText = d;
  return d;
}

function two(t: Uint8Array, n: number, x: number): void {
  const tens = (x / 10) | 0;
  t[n] = 0x30 + tens;
  t[n + 1] = 0x30 + x - tens * 10;
}

/** Writes `digits` decimal digits of x (zero-padded) at t[n…]. */
function digitsAt(t: Uint8Array, n: number, x: number, digits: number): void {
  for (let k = digits - 1; k >= 0; k--) {
    const q = Math.floor(x / 10);
    t[n + k] = 0x30 + x - q * 10;
    x = q;
  }
}

/** Days of 0000-01-01 and 9999-12-31: between them a date is four digits of year, as toISOString writes it. */
export const FIRST_DAY = -719528;
export const LAST_DAY = 2932896;

/** `YYYY-MM-DD` of a day number at t[n…] (Howard Hinnant's civil_from_days); false outside years 0-9999. */
function writeDate(t: Uint8Array, n: number, day: number): boolean {
  if (day < FIRST_DAY || day > LAST_DAY) return false;
  civilFromDays(day);
  const { year: y, month: m, day: d } = civilDate;
  digitsAt(t, n, y, 4);
  t[n + 4] = 0x2d;
  two(t, n + 5, m);
  t[n + 7] = 0x2d;
  two(t, n + 8, d);
  return true;
}

/** `YYYY-MM-DD` of a day number, as toISOString writes it. */
export function writeDay(c: Cells, day: number): void {
  const t = c.ensure(10);
  if (writeDate(t, c.n, day)) c.n += 10;
  else c.ascii(dateText(day));
}

/** Days 1970-2199, whose dates writeTimestamp keeps (10 bytes each; 0 in the first: not yet written). */
const CACHED_DAYS = 84_000;
const dayBytes = new Uint8Array(CACHED_DAYS * 10);

/**
 * `YYYY-MM-DD HH:MM:SS`, then `.` and the milliseconds (3 digits) and the digits below them
 * (`subDigits`) when either is not zero.
 */
export function writeTimestamp(c: Cells, ms: number, sub: number, subDigits: number): void {
  const day = Math.floor(ms / DAY_MS);
  let t = c.ensure(24 + subDigits);
  let n = c.n;
  if (day >= 0 && day < CACHED_DAYS) {
    // the date's bytes as written the first time (a timestamp column holds a few thousand days)
    const at = day * 10;
    if (dayBytes[at] === 0) writeDate(dayBytes, at, day);
    for (let i = 0; i < 10; i++) t[n + i] = dayBytes[at + i];
    n += 10;
  } else if (writeDate(t, n, day)) n += 10;
  else {
    const d = dateText(day);
    t = c.ensure(d.length + 14 + subDigits);
    for (let i = 0; i < d.length; i++) t[n++] = d.charCodeAt(i);
  }
  let rest = ms - day * DAY_MS;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = Math.floor(rest / 1000);
  const milli = rest - s * 1000;
  t[n] = 0x20;
  two(t, n + 1, h);
  t[n + 3] = 0x3a;
  two(t, n + 4, m);
  t[n + 6] = 0x3a;
  two(t, n + 7, s);
  n += 9;
  if (milli !== 0 || sub !== 0) {
    t[n++] = 0x2e;
    digitsAt(t, n, milli, 3);
    n += 3;
    if (subDigits) {
      digitsAt(t, n, sub, subDigits);
      n += subDigits;
    }
  }
  c.n = n;
}
