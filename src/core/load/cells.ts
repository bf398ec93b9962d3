/**
 * Byte-level parsers for export cells. They read straight from the decompressed bytes, without
 * creating strings, because a million-row export has tens of millions of cells.
 */

export const QUOTE = 0x22;
export const LF = 0x0a;
export const CR = 0x0d;

const D0 = 0x30;

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The date civilFromDays() worked out last: year, month (1–12), day of month (no allocation per call). */
export const civilDate = { year: 0, month: 0, day: 0 };

/** The proleptic Gregorian date of a day number into civilDate (Howard Hinnant's civil_from_days; NaN for NaN). */
export function civilFromDays(days: number): void {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  civilDate.day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  civilDate.month = month;
  civilDate.year = yoe + era * 400 + (month <= 2 ? 1 : 0);
}

const MONTH_DAYS = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Days from 1970-01-01 to January 1st of each year 1970..2199 (the years exports use; others are computed). */
const TABLE_FIRST_YEAR = 1970;
const TABLE_YEARS = 230;
const YEAR_START = Int32Array.from({ length: TABLE_YEARS + 1 }, (_, k) => daysFromCivil(TABLE_FIRST_YEAR + k, 1, 1));
/** Days before each month (1..12) in a common year; leap years add one from March. */
const MONTH_START = [0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

/**
 * `YYYY-MM-DD HH:MM:SS` with optional `.fraction` (up to 9 digits) → milliseconds since the epoch
 * (UTC, fraction kept below the millisecond). NaN when the text is not such a timestamp.
 */
export function parseTimestamp(b: Uint8Array, s: number, e: number): number {
  // The parser is too large to be inlined, and a double it returned would be boxed on the heap (a
  // time in ms is no small integer), so it leaves the value in a typed array cell instead.
  return timestampInto(b, s, e) ? parsed[0] : NaN;
}

const parsed = new Float64Array(1);

/** Parses into parsed[0]; false when the text is not a timestamp. */
function timestampInto(b: Uint8Array, s: number, e: number): boolean {
  const len = e - s;
  if (
    len < 19 ||
    b[s + 4] !== 0x2d ||
    b[s + 7] !== 0x2d ||
    b[s + 10] !== 0x20 ||
    b[s + 13] !== 0x3a ||
    b[s + 16] !== 0x3a
  ) {
    return false;
  }
  // each digit as an unsigned offset from '0': a non-digit is above 9
  const y0 = (b[s] - D0) >>> 0;
  const y1 = (b[s + 1] - D0) >>> 0;
  const y2 = (b[s + 2] - D0) >>> 0;
  const y3 = (b[s + 3] - D0) >>> 0;
  const mo0 = (b[s + 5] - D0) >>> 0;
  const mo1 = (b[s + 6] - D0) >>> 0;
  const d0 = (b[s + 8] - D0) >>> 0;
  const d1 = (b[s + 9] - D0) >>> 0;
  const h0 = (b[s + 11] - D0) >>> 0;
  const h1 = (b[s + 12] - D0) >>> 0;
  const mi0 = (b[s + 14] - D0) >>> 0;
  const mi1 = (b[s + 15] - D0) >>> 0;
  const s0 = (b[s + 17] - D0) >>> 0;
  const s1 = (b[s + 18] - D0) >>> 0;
  if (
    y0 > 9 ||
    y1 > 9 ||
    y2 > 9 ||
    y3 > 9 ||
    mo0 > 9 ||
    mo1 > 9 ||
    d0 > 9 ||
    d1 > 9 ||
    h0 > 9 ||
    h1 > 9 ||
    mi0 > 9 ||
    mi1 > 9 ||
    s0 > 9 ||
    s1 > 9
  ) {
    return false;
  }
  const y = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const mo = mo0 * 10 + mo1;
  const d = d0 * 10 + d1;
  const h = h0 * 10 + h1;
  const mi = mi0 * 10 + mi1;
  const sec = s0 * 10 + s1;
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59) return false;
  let days: number;
  const k = y - TABLE_FIRST_YEAR;
  if (k >= 0 && k < TABLE_YEARS) {
    const leap = YEAR_START[k + 1] - YEAR_START[k] - 365; // 1 in a leap year
    if (d > MONTH_DAYS[mo] || (mo === 2 && d === 29 && leap === 0)) return false;
    days = YEAR_START[k] + MONTH_START[mo] + (mo > 2 ? leap : 0) + d - 1;
  } else {
    if (d > MONTH_DAYS[mo] || (mo === 2 && d === 29 && !isLeap(y))) return false;
    days = daysFromCivil(y, mo, d);
  }
  let frac = 0;
  if (len > 19) {
    if (b[s + 19] !== 0x2e || len === 20 || len > 29) return false;
    let scale = 1000;
    for (let i = s + 20; i < e; i++) {
      const dg = b[i] - D0;
      if (dg < 0 || dg > 9) return false;
      scale /= 10;
      frac += dg * scale;
    }
  }
  parsed[0] = (days * 86400 + h * 3600 + mi * 60 + sec) * 1000 + frac;
  return true;
}

const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
  1e21, 1e22,
];

function latin1(b: Uint8Array, s: number, e: number): string {
  let out = '';
  for (let i = s; i < e; i++) out += String.fromCharCode(b[i]);
  return out;
}

const FLOAT_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Whether text is written as a decimal number, whatever its size. */
export function isDecimalText(text: string): boolean {
  return FLOAT_RE.test(text);
}

function finite(v: number): number {
  return v === Infinity || v === -Infinity ? NaN : v;
}

/**
 * A decimal number → the nearest double (the same value `Number(text)` gives). NaN when the text
 * is not a plain decimal number (no `NaN`, `Infinity`, hex or blanks), and when it is one too large
 * for a double (`1e309`, 400 digits): such a value has no number to stand for it.
 */
export function parseFloatBytes(b: Uint8Array, s: number, e: number): number {
  let i = s;
  let neg = false;
  if (i < e && (b[i] === 0x2d || b[i] === 0x2b)) {
    neg = b[i] === 0x2d;
    i++;
  }
  let mant = 0;
  let sig = 0;
  let exp = 0;
  let seen = false;
  let c = 0;
  for (; i < e; i++) {
    c = b[i] - D0;
    if (c < 0 || c > 9) break;
    seen = true;
    if (sig > 0 || c > 0) sig++;
    mant = mant * 10 + c;
  }
  if (i < e && b[i] === 0x2e) {
    for (i++; i < e; i++) {
      c = b[i] - D0;
      if (c < 0 || c > 9) break;
      seen = true;
      if (sig > 0 || c > 0) sig++;
      mant = mant * 10 + c;
      exp--;
    }
  }
  if (!seen) return NaN;
  if (i < e) {
    // exponent or junk: the exact slow path decides
    const text = latin1(b, s, e);
    return FLOAT_RE.test(text) ? finite(Number(text)) : NaN;
  }
  if (sig > 15 || exp < -22) {
    return finite(Number(latin1(b, s, e)));
  }
  // Clinger's fast path: an exact integer mantissa divided by an exact power of ten rounds once.
  const v = exp === 0 ? mant : mant / POW10[-exp];
  return neg ? -v : v;
}

/** A base-10 integer (optional sign). NaN otherwise, or when it does not fit a double exactly. */
export function parseIntegerBytes(b: Uint8Array, s: number, e: number): number {
  let i = s;
  let neg = false;
  if (i < e && (b[i] === 0x2d || b[i] === 0x2b)) {
    neg = b[i] === 0x2d;
    i++;
  }
  if (i >= e || e - i > 15) return NaN;
  let v = 0;
  for (; i < e; i++) {
    const c = b[i] - D0;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  return neg ? -v : v;
}

/** Boolean cell codes as stored in the typed vectors. */
export const BOOL_FALSE = 0;
export const BOOL_TRUE = 1;
export const BOOL_NULL = 2;
export const BOOL_INVALID = 3;

/** `t`/`f` (v1–v3) and `true`/`false` (v4+), any case → BOOL_TRUE / BOOL_FALSE, else BOOL_INVALID. */
export function parseBoolean(b: Uint8Array, s: number, e: number): number {
  const len = e - s;
  const c = b[s] | 0x20;
  if (len === 1) return c === 0x74 ? BOOL_TRUE : c === 0x66 ? BOOL_FALSE : BOOL_INVALID;
  if (len === 4 && c === 0x74 && (b[s + 1] | 0x20) === 0x72 && (b[s + 2] | 0x20) === 0x75 && (b[s + 3] | 0x20) === 0x65)
    return BOOL_TRUE;
  if (
    len === 5 &&
    c === 0x66 &&
    (b[s + 1] | 0x20) === 0x61 &&
    (b[s + 2] | 0x20) === 0x6c &&
    (b[s + 3] | 0x20) === 0x73 &&
    (b[s + 4] | 0x20) === 0x65
  )
    return BOOL_FALSE;
  return BOOL_INVALID;
}

const utf8 = new TextDecoder('utf-8');

/** The text of a field: quotes removed and doubled quotes undone when the field was quoted. */
export function fieldText(b: Uint8Array, s: number, e: number, quoted: boolean): string {
  if (!quoted) return e - s < 24 && isAscii(b, s, e) ? latin1(b, s, e) : utf8.decode(b.subarray(s, e));
  const inner = utf8.decode(b.subarray(s + 1, e - 1));
  return inner.indexOf('"') < 0 ? inner : inner.replace(/""/g, '"');
}

/** Bytes of a field decoded at most for a message or a problem's value. */
export const SHOWN_BYTES = 4096;

/** A field's text for a message: fieldText, or for a longer field its first SHOWN_BYTES bytes and `…`. */
export function shownField(b: Uint8Array, s: number, e: number, quoted: boolean): string {
  if (e - s <= SHOWN_BYTES) return fieldText(b, s, e, quoted);
  const from = quoted ? s + 1 : s;
  const text = utf8.decode(b.subarray(from, from + SHOWN_BYTES));
  return `${quoted ? text.replace(/""/g, '"') : text}…`;
}

function isAscii(b: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (b[i] > 0x7f) return false;
  return true;
}

/** 32-bit FNV-1a over a byte range. */
export function hashBytes(b: Uint8Array, s: number, e: number, seed = 0x811c9dc5): number {
  let h = seed;
  for (let i = s; i < e; i++) {
    h ^= b[i];
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A 32-bit hash of b[s, e) read four bytes at a time through `dv` (a DataView over b's bytes):
 * faster than hashBytes on long fields, and a different function.
 */
export function hashWords(b: Uint8Array, dv: DataView, s: number, e: number): number {
  // offsets relative to s, so the loops count in small integers
  const n = (e - s) | 0; // a field is far shorter than 2 GiB
  let h = n;
  let k = 0;
  for (; k + 4 <= n; k += 4) h = Math.imul(h ^ dv.getInt32(s + k, true), 0x9e3779b1) ^ (h >>> 15);
  for (; k < n; k++) h = Math.imul(h ^ b[s + k], 0x01000193);
  return h ^ (h >>> 16);
}

/** Whether the n bytes at s and at t are equal, compared four at a time through `dv` (over b). */
export function wordsEqual(b: Uint8Array, dv: DataView, s: number, t: number, n: number): boolean {
  let k = 0;
  for (; k + 4 <= n; k += 4) if (dv.getInt32(t + k, true) !== dv.getInt32(s + k, true)) return false;
  for (; k < n; k++) if (b[t + k] !== b[s + k]) return false;
  return true;
}

export function bytesEqual(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): boolean {
  if (ae - as !== be - bs) return false;
  for (let i = 0; i < ae - as; i++) if (a[as + i] !== b[bs + i]) return false;
  return true;
}

/** Milliseconds since the epoch → `YYYY-MM-DD HH:MM:SS` (UTC), with the fraction when there is one. */
export function formatTimestamp(ms: number): string {
  const iso = new Date(Math.floor(ms)).toISOString();
  const base = `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  const frac = ms - Math.floor(ms / 1000) * 1000;
  return frac === 0
    ? base
    : `${base}.${String(Math.round(frac * 1000))
        .padStart(6, '0')
        .replace(/0+$/, '')}`;
}

/** Vector kinds as small codes (0: no vector), so the loaders' row loops compare numbers. */
export const [K_TIME, K_FLOAT, K_INT, K_BOOL, K_DICT, K_SPAN] = [1, 2, 3, 4, 5, 6];
/** A vector kind's code. */
export const KIND_CODE = {
  time: K_TIME,
  float: K_FLOAT,
  int: K_INT,
  bool: K_BOOL,
  dict: K_DICT,
  span: K_SPAN,
} as const;

/** The columns (not skipped, 1 in `skip`) by the kind of their vector: numbers (time, float, int), booleans, dictionaries, spans. */
export function columnsByKind(kinds: Int8Array, skip: Uint8Array): Int32Array<ArrayBuffer>[] {
  const cols = (keep: (kind: number) => boolean) =>
    Int32Array.from([...kinds.keys()].filter((k) => skip[k] === 0 && keep(kinds[k])));
  const numbers = cols((kind) => kind === K_TIME || kind === K_FLOAT || kind === K_INT);
  return [numbers, cols((kind) => kind === K_BOOL), cols((kind) => kind === K_DICT), cols((kind) => kind === K_SPAN)];
}

/**
 * The loaders' quick parse of a typed field b[s, e) (quotes taken off, not empty): its value when it
 * is written in the documented form (a time, float or integer of kind K_TIME, K_FLOAT or K_INT;
 * BOOL_TRUE or BOOL_FALSE for K_BOOL), else NaN (BOOL_INVALID): a lenient parse decides then.
 * The table builder types cells with it, and a columns-only load keeps the text it does not read.
 */
export function quickValue(kind: number, b: Uint8Array, s: number, e: number): number {
  return kind === K_TIME
    ? parseTimestamp(b, s, e)
    : kind === K_FLOAT
      ? parseFloatBytes(b, s, e)
      : kind === K_INT
        ? parseIntegerBytes(b, s, e)
        : parseBoolean(b, s, e);
}

/** Whether the quick parse reads field [s, e) of a typed column (quotes included when quoted), or it is NULL. */
export function quickReadable(kind: number, b: Uint8Array, s: number, e: number, quoted: number): boolean {
  if (quoted === 1) {
    s++;
    e--;
  }
  if (s >= e) return true;
  const v = quickValue(kind, b, s, e);
  return kind === K_BOOL ? v !== BOOL_INVALID : v === v;
}
