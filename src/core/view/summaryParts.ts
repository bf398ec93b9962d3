/**
 * The two costly kinds of column summary: numbers and times (their values sorted once, the runs of
 * equal values counted), and text (every cell interned from its bytes where it lies, so a million
 * cells make no million strings; only the values shown become text). The most frequent values are
 * picked with a small bounded list, not a sort of every distinct value.
 */
import { TextInterner } from '../load/keyIndex';
import { RowText } from '../load/table';
import type { ColumnFilter } from './viewFilter';
import type { ViewEngine } from './view';
import type { ColumnSummary, SummaryBar, SummaryValue } from './summary';

/** Thrown when the signal aborts the computation. */
export class SummaryCancelled extends Error {}

/** Calls `each(row)` for every row in view, slice by slice (pausing, reporting progress, stopping when aborted). */
export type Walk = (each: (row: number) => void) => Promise<void>;
export type Part = Omit<ColumnSummary, 'column' | 'rows' | 'ms'>;

/** UTF-8 byte order (code point order), as DuckDB compares text. */
export function compareText(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** ms since the epoch → `YYYY-MM-DD HH:MM:SS[.fff]` (UTC), as a filter reads it back to the millisecond. */
export function timeText(ms: number): string {
  const iso = new Date(Math.floor(ms)).toISOString();
  const s = `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  return ms % 1000 === 0 ? s : `${s}${iso.slice(19, 23)}`;
}

export function valueFilter(column: number, value: string | null): ColumnFilter {
  return value === null ? { column, op: 'null' } : { column, op: 'equals', values: [value] };
}

/**
 * The `size` best of a stream of items (most frequent first, ties by `before`), kept in order in a
 * short list: an item that does not beat the last kept one costs one comparison.
 */
export class Best {
  readonly items: number[] = [];
  readonly counts: number[] = [];

  constructor(
    private readonly size: number,
    /** Whether item a goes before item b among equal counts. */
    private readonly before: (a: number, b: number) => boolean,
  ) {}

  offer(item: number, count: number): void {
    const { items, counts } = this;
    const n = items.length;
    if (this.size <= 0) return;
    if (n === this.size) {
      const c = counts[n - 1];
      if (count < c || (count === c && !this.before(item, items[n - 1]))) return;
    }
    let i = n === this.size ? n - 1 : n;
    while (i > 0 && (counts[i - 1] < count || (counts[i - 1] === count && this.before(item, items[i - 1])))) {
      if (i < this.size) {
        items[i] = items[i - 1];
        counts[i] = counts[i - 1];
      }
      i--;
    }
    items[i] = item;
    counts[i] = count;
  }
}

export async function numbers(
  engine: ViewEngine,
  column: number,
  d: Float64Array,
  time: boolean,
  rows: Uint32Array | null,
  walk: Walk,
  top: number,
  bins: number,
  check: () => void,
): Promise<Part> {
  const cursor = engine.cursor;
  const values = new Float64Array(rows ? rows.length : d.length);
  let n = 0;
  let nulls = 0;
  let invalid = 0;
  await walk((r) => {
    const x = d[r];
    if (x !== x) {
      if (!cursor.seek(r, column) || cursor.start === cursor.end) nulls++;
      else invalid++;
    } else values[n++] = x;
  });
  const sorted = values.subarray(0, n).sort();
  check();
  // runs of equal values: the distinct count, the most frequent, and the values of a short column
  const best = new Best(top, (a, b) => sorted[a] < sorted[b]);
  const few: { x: number; count: number }[] = [];
  let distinct = 0;
  for (let i = 0; i < n;) {
    const x = sorted[i];
    let j = i + 1;
    while (j < n && sorted[j] === x) j++;
    distinct++;
    best.offer(i, j - i);
    if (few.length <= bins) few.push({ x, count: j - i });
    i = j;
  }
  const show = (x: number) => (time ? timeText(x) : String(x));
  const frequent = best.items.map((i, k) => ({ x: sorted[i], count: best.counts[k] }));
  // the text of a cell holding each frequent value (and the extremes), as the grid shows it
  const wanted = new Map<number, number>(frequent.map((f) => [f.x, -1]));
  if (n) wanted.set(sorted[0], -1).set(sorted[n - 1], -1);
  let missing = wanted.size;
  const total = rows ? rows.length : d.length;
  for (let i = 0; i < total && missing > 0; i++) {
    const r = rows ? rows[i] : i;
    const x = d[r];
    if (x === x && wanted.get(x) === -1) {
      wanted.set(x, r);
      missing--;
    }
  }
  const text = (x: number) => cursor.text(wanted.get(x)!, column) ?? show(x);
  const bars: SummaryBar[] = [];
  const range = (lo: number, hi: number): ColumnFilter => ({ column, op: 'range', min: show(lo), max: show(hi) });
  if (few.length <= bins) {
    for (const r of few) bars.push({ label: show(r.x), count: r.count, filter: range(r.x, r.x) });
  } else {
    const lo = sorted[0];
    const width = (sorted[n - 1] - lo) / bins;
    // bins by position; each bar's filter runs from its smallest value to its largest, so it holds just its rows
    let i = 0;
    for (let b = 0; b < bins && i < n; b++) {
      const end = b === bins - 1 ? Infinity : lo + width * (b + 1);
      let j = i;
      // the first value at or past the bin's end, by halving
      let hi = n;
      while (j < hi) {
        const mid = (j + hi) >>> 1;
        if (sorted[mid] < end) j = mid + 1;
        else hi = mid;
      }
      if (j > i) {
        const a = sorted[i];
        const z = sorted[j - 1];
        bars.push({ label: a === z ? show(a) : `${show(a)} – ${show(z)}`, count: j - i, filter: range(a, z) });
      }
      i = j;
    }
  }
  return {
    nulls,
    invalid,
    distinct,
    min: n ? text(sorted[0]) : null,
    max: n ? text(sorted[n - 1]) : null,
    top: frequent.map((f) => ({
      value: text(f.x),
      count: f.count,
      filter: time ? range(f.x, f.x) : valueFilter(column, String(f.x)),
    })),
    histogram: { kind: 'bins', bars },
  };
}

/** A column of text (or JSON, arrays): distinct values by their bytes, strings only for what is shown. */
export async function texts(engine: ViewEngine, column: number, rows: number, walk: Walk, top: number): Promise<Part> {
  const cursor = engine.cursor;
  // the text segment by segment: the interner keeps each value's bytes where they lie, by segment
  const text = new RowText(engine.data);
  let b = text.bytes;
  let segment = 0;
  const interner = new TextInterner(b, rows);
  // a JSON column's byte ranges, where the loader kept them
  const v = engine.data.vectors[column];
  const spans = v?.kind === 'span' ? (v.data as Uint32Array) : null;
  let nulls = 0;
  let min = -1;
  let max = -1;
  const add = (s: number, e: number, quoted: boolean) => {
    const before = interner.count;
    const code = interner.field(s, e, quoted);
    if (interner.count > before) {
      if (min < 0 || interner.compare(code, min) < 0) min = code;
      if (max < 0 || interner.compare(code, max) > 0) max = code;
    }
  };
  await walk((r) => {
    b = text.at(r);
    if (text.segment !== segment) interner.segment(b, (segment = text.segment));
    if (spans) {
      const s = spans[2 * r];
      const e = spans[2 * r + 1];
      if (s === e) {
        nulls++;
        return;
      }
      // a well-formed quoted field, or one without a quote at its start: read where it lies
      if (b[s] !== 0x22 || (e - s >= 2 && b[e - 1] === 0x22)) return add(s, e, b[s] === 0x22);
    }
    if (!cursor.seek(r, column) || cursor.start === cursor.end) nulls++;
    else add(cursor.start, cursor.end, cursor.quoted);
  });
  const best = new Best(top, (x, y) => interner.compare(x, y) < 0);
  for (let c = 0; c < interner.count; c++) best.offer(c, interner.seen(c));
  const all: SummaryValue[] = best.items.map((c, k) => {
    const value = interner.text(c);
    return { value, count: best.counts[k], filter: valueFilter(column, value) };
  });
  // a short column: every value and NULL as a bar
  const bars: SummaryBar[] = [];
  if (interner.count <= 12) {
    const every = new Best(13, (x, y) => y < 0 || (x >= 0 && interner.compare(x, y) < 0));
    for (let c = 0; c < interner.count; c++) every.offer(c, interner.seen(c));
    if (nulls) every.offer(-1, nulls);
    every.items.forEach((c, k) => {
      const value = c < 0 ? null : interner.text(c);
      bars.push({ label: value ?? 'null', count: every.counts[k], filter: valueFilter(column, value) });
    });
  }
  return {
    nulls,
    invalid: 0,
    distinct: interner.count,
    min: min < 0 ? null : interner.text(min),
    max: max < 0 ? null : interner.text(max),
    top: all,
    histogram: { kind: 'values', bars },
  };
}
