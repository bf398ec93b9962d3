/**
 * Row filters for the grid: per column (equals one of some values, contains, a numeric or time range,
 * is null, is not null) and a search over every cell. Typed columns are filtered on their vectors;
 * text is searched in the bytes (see search.ts) and only candidate rows are looked at closely.
 * Text matching ignores the case of ASCII letters; equality is exact.
 */
import { BOOL_FALSE, BOOL_NULL, BOOL_TRUE, parseTimestamp } from '../load/cells';
import { DICT_NULL } from '../load/dict';
import { type FieldCursor } from './fields';
import { Needle, rowsContaining } from './search';
import { RowText, type TableData, type VectorData } from '../load/table';

export type ColumnFilter =
  | { column: number; op: 'equals'; values: string[] }
  | { column: number; op: 'contains'; text: string }
  /** Inclusive bounds; either may be null. Numbers, or timestamps (a date alone covers the whole day). */
  | { column: number; op: 'range'; min: string | null; max: string | null }
  | { column: number; op: 'null' }
  | { column: number; op: 'notNull' };

/** A bad filter, told in words a user understands. */
export class FilterError extends Error {}

/** What a filter can read: the table, a column's typed vector (built on demand) and a field cursor. */
export interface FilterSource {
  readonly data: TableData;
  vector(column: number): VectorData | null;
  readonly cursor: FieldCursor;
}

const enc = new TextEncoder();
const foldAscii = (s: string) => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

/** `YYYY-MM-DD[ HH:MM[:SS[.fff]]]` (or with a T) → [from, to) in ms: the span the written precision covers. */
export function timeSpan(text: string): [number, number] | null {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?Z?$/.exec(text.trim());
  if (!m) return null;
  const [, date, hh, mm, ss, frac] = m;
  const full = `${date} ${hh ?? '00'}:${mm ?? '00'}:${ss ?? '00'}${frac ?? ''}`;
  const b = enc.encode(full);
  const t = parseTimestamp(b, 0, b.length);
  if (Number.isNaN(t)) return null;
  const width = frac ? 10 ** (3 - (frac.length - 1)) : ss ? 1000 : mm ? 60_000 : 86_400_000;
  return [t, t + Math.max(width, 1e-6)];
}

function numberOf(text: string, column: string): number {
  const t = text.trim();
  const v = t === '' ? NaN : Number(t);
  if (!Number.isFinite(v)) throw new FilterError(`${column}: "${text}" is not a number`);
  return v;
}

function spanOf(text: string, column: string): [number, number] {
  const s = timeSpan(text);
  if (!s)
    throw new FilterError(`${column}: "${text}" is not a date or time; write YYYY-MM-DD or YYYY-MM-DD HH:MM:SS (UTC)`);
  return s;
}

function boolCode(text: string, column: string): number {
  const t = text.trim().toLowerCase();
  if (t === 'true' || t === 't') return BOOL_TRUE;
  if (t === 'false' || t === 'f') return BOOL_FALSE;
  throw new FilterError(`${column}: "${text}" is neither true nor false`);
}

/** Rows still in: a 0/1 flag per row. */
export type Mask = Uint8Array;

function count(mask: Mask): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i];
  return n;
}

/** Keeps the rows of `mask` for which `keep` holds. */
function refine(mask: Mask, keep: (row: number) => boolean): void {
  for (let r = 0; r < mask.length; r++) if (mask[r] && !keep(r)) mask[r] = 0;
}

/**
 * Keeps the rows of `mask` whose bytes hold `needle` and for which `verify` holds. The bytes are
 * searched once when many rows are in; with few left, each is verified directly.
 */
function refineByText(src: FilterSource, mask: Mask, needles: Needle[], verify: (row: number) => boolean): void {
  const n = mask.length;
  if (needles.length === 0 || count(mask) * 16 < n) {
    refine(mask, verify);
    return;
  }
  const candidate = new Uint8Array(n);
  for (const needle of needles) rowsContaining(src.data, n, needle, (r) => (candidate[r] = 1));
  for (let r = 0; r < n; r++) if (mask[r] && !(candidate[r] && verify(r))) mask[r] = 0;
}

/** Narrows `mask` to the rows that pass filter `f`. Throws FilterError for a filter that cannot apply. */
export function applyFilter(src: FilterSource, f: ColumnFilter, mask: Mask): void {
  const { data, cursor } = src;
  const name = data.header[f.column];
  if (name === undefined) throw new FilterError(`There is no column ${f.column + 1}`);
  const c = f.column;
  const isNull = (r: number) => !cursor.seek(r, c) || cursor.start === cursor.end;
  if (f.op === 'null' || f.op === 'notNull') {
    const v = src.vector(c);
    const want = f.op === 'null';
    if (v?.kind === 'dict') refine(mask, (r) => (v.data[r] === DICT_NULL) === want);
    else if (v?.kind === 'bool') refine(mask, (r) => (v.data[r] === BOOL_NULL) === want);
    // NaN is null or unreadable text: only the first is null
    else if (v) refine(mask, (r) => (v.data[r] !== v.data[r] && isNull(r)) === want);
    else refine(mask, (r) => isNull(r) === want);
    return;
  }
  if (f.op === 'contains') {
    const text = foldAscii(f.text);
    const needle = new Needle(text);
    if (text.includes('"')) {
      // doubled in quoted fields: compare decoded text
      const raw = [needle, new Needle(text.replace(/"/g, '""'))];
      refineByText(src, mask, raw, (r) => foldAscii(cursor.text(r, c) ?? '').includes(text));
      return;
    }
    const v = src.vector(c);
    if (v?.kind === 'dict') {
      const hit = v.dict!.map((s) => {
        const bytes = enc.encode(s);
        return needle.within(bytes, 0, bytes.length);
      });
      refine(mask, (r) => v.data[r] !== DICT_NULL && hit[v.data[r]]);
      return;
    }
    refineByText(
      src,
      mask,
      [needle],
      (r) => cursor.seek(r, c) && needle.within(cursor.bytes, cursor.start, cursor.end),
    );
    return;
  }
  const v = src.vector(c);
  if (f.op === 'range') {
    if (!v || v.kind === 'dict' || v.kind === 'bool')
      throw new FilterError(`${name}: a range needs a number or time column`);
    const d = v.data as Float64Array;
    let lo = -Infinity;
    let hi = Infinity;
    let hiOpen = false;
    if (v.kind === 'time') {
      if (f.min !== null && f.min.trim()) lo = spanOf(f.min, name)[0];
      if (f.max !== null && f.max.trim()) {
        hi = spanOf(f.max, name)[1];
        hiOpen = true;
      }
    } else {
      if (f.min !== null && f.min.trim()) lo = numberOf(f.min, name);
      if (f.max !== null && f.max.trim()) hi = numberOf(f.max, name);
    }
    refine(mask, hiOpen ? (r) => d[r] >= lo && d[r] < hi : (r) => d[r] >= lo && d[r] <= hi);
    return;
  }
  // equals one of the values
  if (f.values.length === 0) {
    mask.fill(0);
    return;
  }
  if (v?.kind === 'dict') {
    const wanted = new Set(f.values);
    const hit = v.dict!.map((s) => wanted.has(s));
    refine(mask, (r) => v.data[r] !== DICT_NULL && hit[v.data[r]]);
  } else if (v?.kind === 'bool') {
    const codes = new Set(f.values.map((s) => boolCode(s, name)));
    refine(mask, (r) => codes.has(v.data[r]));
  } else if (v?.kind === 'time') {
    const d = v.data as Float64Array;
    const spans = f.values.map((s) => spanOf(s, name));
    refine(mask, (r) => spans.some(([a, z]) => d[r] >= a && d[r] < z));
  } else if (v) {
    const d = v.data as Float64Array;
    const nums = new Set(f.values.map((s) => numberOf(s, name)));
    refine(mask, (r) => nums.has(d[r]));
  } else {
    const wanted = new Set(f.values);
    const needles = f.values.some((s) => s === '' || s.includes('"')) ? [] : f.values.map((s) => new Needle(s));
    refineByText(src, mask, needles, (r) => {
      const t = cursor.text(r, c);
      return t !== null && wanted.has(t);
    });
  }
}

/**
 * Narrows `mask` to the rows with a cell that contains `text` (ASCII case ignored). A needle without
 * the delimiter, a quote or a line break matches the bytes exactly as it matches some cell's text;
 * any other is checked against the decoded cells of the rows the bytes suggest.
 */
export function applySearch(src: FilterSource, text: string, mask: Mask): void {
  const folded = foldAscii(text);
  if (!folded) return;
  const { data, cursor } = src;
  const plain = !folded.includes(data.delimiter) && !/["\r\n]/.test(folded);
  const needles = plain ? [new Needle(folded)] : [new Needle(folded), new Needle(folded.replace(/"/g, '""'))];
  const columns = data.header.length;
  const rows = new RowText(data);
  refineByText(src, mask, needles, (r) => {
    if (plain) return needles[0].within(rows.at(r), data.rowStarts[r], rows.end(r));
    for (let c = 0; c < columns; c++) if (foldAscii(cursor.text(r, c) ?? '').includes(folded)) return true;
    return false;
  });
}
