/**
 * Cells the way a SQL load reads them, for values not written in the documented form. RevenueCat's
 * own sample shows hours without a leading zero (`2023-10-20 9:01:45`); peers report ISO forms
 * (`T`, `Z`, `+00:00`) and long fractions; the example data file writes `True`/`False`. PostgreSQL,
 * Snowflake, BigQuery and DuckDB read all of them, so the measures do too, while the validator still
 * says the form is not the documented one. What none of them reads stays unreadable (NaN / BOOL_INVALID).
 */
import {
  BOOL_FALSE,
  BOOL_INVALID,
  BOOL_TRUE,
  daysFromCivil,
  K_FLOAT,
  K_TIME,
  parseFloatBytes,
  parseIntegerBytes,
} from './cells';

const D0 = 0x30;
const SPACE = 0x20;
const MONTH_DAYS = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Reads 1..max digits at pos.i; -1 when there is none. */
function digits(b: Uint8Array, pos: { i: number }, e: number, max: number): number {
  let v = 0;
  let n = 0;
  while (pos.i < e && n < max) {
    const d = b[pos.i] - D0;
    if (d < 0 || d > 9) break;
    v = v * 10 + d;
    n++;
    pos.i++;
  }
  return n === 0 ? -1 : v;
}

function isWs(c: number): boolean {
  return c === SPACE || c === 0x09;
}

/**
 * A timestamp as SQL reads it into a TIMESTAMP: `Y-M-D` (one- or two-digit month and day, `-` or
 * `/`), then optionally a space or `T` and `H:MM[:SS[.fraction]]` (one-digit parts allowed; 24:00:00
 * is the next midnight), then optionally `Z`, ` UTC` or an offset (`+00`, `+0000`, `+00:00`), which
 * a load into a TIMESTAMP column ignores. Blanks around the value are allowed. NaN otherwise.
 */
export function parseTimestampLenient(b: Uint8Array, s: number, e: number): number {
  while (s < e && isWs(b[s])) s++;
  while (e > s && isWs(b[e - 1])) e--;
  const pos = { i: s };
  if (e - s < 8) return NaN;
  const y = digits(b, pos, e, 4);
  if (y < 0 || pos.i - s !== 4) return NaN;
  const sep = b[pos.i];
  if (sep !== 0x2d && sep !== 0x2f) return NaN;
  pos.i++;
  const mo = digits(b, pos, e, 2);
  if (mo < 1 || mo > 12 || b[pos.i] !== sep) return NaN;
  pos.i++;
  const d = digits(b, pos, e, 2);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (d < 1 || d > MONTH_DAYS[mo] || (mo === 2 && d === 29 && !leap)) return NaN;
  let h = 0;
  let mi = 0;
  let sec = 0;
  let frac = 0;
  if (pos.i < e) {
    const c = b[pos.i];
    if (c === 0x54) pos.i++;
    else if (isWs(c)) while (pos.i < e && isWs(b[pos.i])) pos.i++;
    else return NaN;
    h = digits(b, pos, e, 2);
    if (h < 0 || b[pos.i] !== 0x3a) return NaN;
    pos.i++;
    mi = digits(b, pos, e, 2);
    if (mi < 0 || mi > 59) return NaN;
    if (b[pos.i] === 0x3a) {
      pos.i++;
      sec = digits(b, pos, e, 2);
      if (sec < 0 || sec > 59) return NaN;
      if (b[pos.i] === 0x2e) {
        pos.i++;
        let scale = 1000;
        const at = pos.i;
        while (pos.i < e) {
          const dg = b[pos.i] - D0;
          if (dg < 0 || dg > 9) break;
          scale /= 10;
          frac += dg * scale;
          pos.i++;
        }
        if (pos.i === at || pos.i - at > 9) return NaN;
      }
    }
    if (h > 24 || (h === 24 && (mi > 0 || sec > 0 || frac > 0))) return NaN;
    if (!zone(b, pos.i, e)) return NaN;
  }
  return (daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec) * 1000 + frac;
}

/** Whether b[i, e) is nothing, `Z`, ` UTC` or an offset `±HH`, `±HHMM`, `±HH:MM`. */
function zone(b: Uint8Array, i: number, e: number): boolean {
  if (i === e) return true;
  if (b[i] === 0x5a) return i + 1 === e;
  let k = i;
  while (k < e && isWs(b[k])) k++;
  if (e - k === 3 && b[k] === 0x55 && b[k + 1] === 0x54 && b[k + 2] === 0x43) return true;
  if (b[i] !== 0x2b && b[i] !== 0x2d) return false;
  const rest = e - i - 1;
  const dg = (o: number) => b[i + 1 + o] >= D0 && b[i + 1 + o] <= D0 + 9;
  if (rest === 2) return dg(0) && dg(1);
  if (rest === 4) return dg(0) && dg(1) && dg(2) && dg(3);
  if (rest === 5) return dg(0) && dg(1) && b[i + 3] === 0x3a && dg(3) && dg(4);
  return false;
}

const TRUE_WORDS = ['true', 't', 'yes', 'y', '1'];
const FALSE_WORDS = ['false', 'f', 'no', 'n', '0'];

/** A boolean as SQL reads it: true/false, t/f, yes/no, y/n, 1/0 in any case. BOOL_INVALID otherwise. */
export function parseBooleanLenient(b: Uint8Array, s: number, e: number): number {
  if (e - s > 5 || e <= s) return BOOL_INVALID;
  let w = '';
  for (let i = s; i < e; i++) w += String.fromCharCode(b[i] | 0x20);
  return TRUE_WORDS.includes(w) ? BOOL_TRUE : FALSE_WORDS.includes(w) ? BOOL_FALSE : BOOL_INVALID;
}

function trimmed(b: Uint8Array, s: number, e: number, parse: (b: Uint8Array, s: number, e: number) => number): number {
  while (s < e && isWs(b[s])) s++;
  while (e > s && isWs(b[e - 1])) e--;
  return s < e ? parse(b, s, e) : NaN;
}

/** A number with blanks around it, as SQL reads it. */
export function parseFloatLenient(b: Uint8Array, s: number, e: number): number {
  return trimmed(b, s, e, parseFloatBytes);
}

/** A whole number with blanks around it, as SQL reads it. */
export function parseIntegerLenient(b: Uint8Array, s: number, e: number): number {
  return trimmed(b, s, e, parseIntegerBytes);
}

/** Whether a field that parsed is written as documented: `YYYY-MM-DD HH:MM:SS[.fraction]`. */
export function isDocumentedTimestamp(b: Uint8Array, s: number, e: number): boolean {
  const len = e - s;
  return (
    (len === 19 || (len > 20 && b[s + 19] === 0x2e)) &&
    b[s + 10] === SPACE &&
    b[s + 13] === 0x3a &&
    b[s + 16] === 0x3a &&
    b[s + 4] === 0x2d
  );
}

/**
 * Rows whose cell no SQL load would read, per column (see TableData.unreadable). The loader asks
 * here only after the documented form failed, so this is off the fast path.
 */
export class UnreadableCells {
  private readonly rows = new Map<number, number[]>();

  /** A time (kind K_TIME), decimal (K_FLOAT) or integer cell read as a SQL load reads it; NaN (and counted) when none would. */
  number(kind: number, b: Uint8Array, s: number, e: number, k: number, row: number): number {
    const parse = kind === K_TIME ? parseTimestampLenient : kind === K_FLOAT ? parseFloatLenient : parseIntegerLenient;
    const v = parse(b, s, e);
    if (v !== v) this.mark(k, row);
    return v;
  }

  /** A boolean cell read as a SQL load reads it; BOOL_INVALID (and counted) when none would. */
  boolean(b: Uint8Array, s: number, e: number, k: number, row: number): number {
    const v = parseBooleanLenient(b, s, e);
    if (v === BOOL_INVALID) this.mark(k, row);
    return v;
  }

  byName(header: readonly string[]): Record<string, number[]> {
    return Object.fromEntries([...this.rows].map(([k, rows]) => [header[k], rows.slice()]));
  }

  private mark(k: number, row: number): void {
    let rows = this.rows.get(k);
    if (!rows) this.rows.set(k, (rows = []));
    rows.push(row);
  }
}
