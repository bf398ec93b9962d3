/**
 * A column's summary over the rows in view (the filter and the search applied): how many cells are
 * NULL (an empty unquoted field), how many are unreadable as the column's type, how many distinct
 * values the rest holds, the smallest and largest (as the text of a cell holding them, so the grid's
 * formatting applies), the most frequent values with their counts, and a small histogram: value
 * counts for booleans, dictionary columns and columns of few values, equal-width bins over numbers and
 * timestamps. Every bar carries the filter that shows exactly its rows.
 *
 * Work goes in slices of rows; between slices `pause` may yield (the view thread answers a cancel
 * then) and an aborted signal stops the computation.
 */
import { BOOL_FALSE, BOOL_NULL, BOOL_TRUE } from '../load/cells';
import { DICT_NULL } from '../load/dict';
import type { ColumnFilter } from './viewFilter';
import type { ViewEngine, ViewSpec } from './view';

export interface SummaryValue {
  /** The cell's text (null: NULL); for numbers and times the text of one cell holding the value. */
  value: string | null;
  count: number;
  /** Shows exactly the rows holding this value. */
  filter: ColumnFilter;
}

export interface SummaryBar {
  label: string;
  count: number;
  /** Shows exactly the rows of this bar. */
  filter: ColumnFilter;
}

export interface ColumnSummary {
  column: number;
  /** Rows in view. */
  rows: number;
  nulls: number;
  /** Not NULL but not readable as the column's type (a number, a time, true/false). */
  invalid: number;
  /** Distinct values among the readable, non-NULL cells ("" counts as a value of a text column). */
  distinct: number;
  min: string | null;
  max: string | null;
  top: SummaryValue[];
  histogram: { kind: 'values' | 'bins'; bars: SummaryBar[] };
  ms: number;
}

export interface SummaryOptions {
  readonly signal?: { readonly aborted: boolean };
  /** Called between slices of rows; may wait (to let other messages in). */
  readonly pause?: () => Promise<void>;
  readonly top?: number;
  readonly bins?: number;
  /** Rows per slice. */
  readonly slice?: number;
  /** The rows a view's row set (a chart point's rows) names, when its spec has one. */
  readonly rowSet?: Uint32Array | null;
}

/** Thrown when the signal aborts the computation. */
export class SummaryCancelled extends Error {}

const SLICE = 1 << 17;

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

type Counted = Omit<SummaryValue, 'filter'>;

function byCount(a: Counted, b: Counted): number {
  return b.count - a.count || (a.value === null ? 1 : b.value === null ? -1 : compareText(a.value, b.value));
}

function valueFilter(column: number, value: string | null): ColumnFilter {
  return value === null ? { column, op: 'null' } : { column, op: 'equals', values: [value] };
}

export async function summarize(
  engine: ViewEngine,
  column: number,
  spec: Pick<ViewSpec, 'filters' | 'search' | 'rowSet'>,
  options: SummaryOptions = {},
): Promise<ColumnSummary> {
  const t0 = performance.now();
  if (column >= engine.data.header.length) throw new Error(`There is no column ${column + 1}`);
  const rows = engine.rowsIn(spec, options.rowSet ?? null);
  const total = rows ? rows.length : engine.data.rowCount;
  /** Calls `each(row)` for every row in view, slice by slice. */
  const slice = options.slice ?? SLICE;
  const walk = async (each: (row: number) => void) => {
    for (let from = 0; from < total; from += slice) {
      if (options.signal?.aborted) throw new SummaryCancelled('Cancelled');
      const to = Math.min(total, from + slice);
      if (rows) for (let i = from; i < to; i++) each(rows[i]);
      else for (let i = from; i < to; i++) each(i);
      if (to < total && options.pause) await options.pause();
    }
    if (options.signal?.aborted) throw new SummaryCancelled('Cancelled');
  };
  const top = options.top ?? 10;
  const base = { column, rows: total, invalid: 0, ms: 0 };
  const v = engine.vector(column);
  let s: ColumnSummary;
  if (v && (v.kind === 'dict' || v.kind === 'bool')) {
    const size = v.kind === 'dict' ? v.dict!.length : 4;
    const nullCode = v.kind === 'dict' ? DICT_NULL : BOOL_NULL;
    const counts = new Float64Array(size + 1);
    const d = v.data;
    await walk((r) => {
      const code = d[r];
      counts[code === nullCode ? size : code]++;
    });
    const label = (code: number) =>
      v.kind === 'dict' ? v.dict![code] : code === BOOL_TRUE ? 'true' : code === BOOL_FALSE ? 'false' : null;
    const all: Counted[] = [];
    let invalid = 0;
    for (let code = 0; code < size; code++) {
      if (counts[code] === 0) continue;
      const text = label(code);
      if (text === null) invalid += counts[code];
      else all.push({ value: text, count: counts[code] });
    }
    const present = all.map((a) => a.value!).sort(compareText);
    all.sort(byCount);
    const withNull = counts[size] ? [...all, { value: null, count: counts[size] }].sort(byCount) : all;
    s = {
      ...base,
      nulls: counts[size],
      invalid,
      distinct: all.length,
      min: present[0] ?? null,
      max: present[present.length - 1] ?? null,
      top: all.slice(0, top).map((a) => ({ ...a, filter: valueFilter(column, a.value) })),
      histogram: {
        kind: 'values',
        bars: withNull.slice(0, 24).map((a) => ({
          label: a.value ?? 'null',
          count: a.count,
          filter: valueFilter(column, a.value),
        })),
      },
    };
  } else if (v) {
    s = { ...base, ...(await numbers(engine, column, v.data as Float64Array, v.kind === 'time', walk, top, options)) };
  } else s = { ...base, ...(await texts(engine, column, walk, top)) };
  s.ms = performance.now() - t0;
  return s;
}

type Walk = (each: (row: number) => void) => Promise<void>;
type Part = Omit<ColumnSummary, 'column' | 'rows' | 'ms'>;

async function numbers(
  engine: ViewEngine,
  column: number,
  d: Float64Array,
  time: boolean,
  walk: Walk,
  top: number,
  options: SummaryOptions,
): Promise<Part> {
  const cursor = engine.cursor;
  const values = new Float64Array(d.length);
  let n = 0;
  let nulls = 0;
  let invalid = 0;
  let minRow = -1;
  let maxRow = -1;
  await walk((r) => {
    const x = d[r];
    if (x !== x) {
      if (!cursor.seek(r, column) || cursor.start === cursor.end) nulls++;
      else invalid++;
      return;
    }
    if (minRow < 0 || x < d[minRow]) minRow = r;
    if (maxRow < 0 || x > d[maxRow]) maxRow = r;
    values[n++] = x;
  });
  const sorted = values.subarray(0, n).sort();
  if (options.signal?.aborted) throw new SummaryCancelled('Cancelled');
  // runs of equal values: the distinct count and the most frequent
  const runs: { x: number; count: number }[] = [];
  let distinct = 0;
  for (let i = 0; i < n;) {
    let j = i + 1;
    while (j < n && sorted[j] === sorted[i]) j++;
    distinct++;
    runs.push({ x: sorted[i], count: j - i });
    i = j;
  }
  const show = (x: number) => (time ? timeText(x) : String(x));
  const frequent = [...runs].sort((a, b) => b.count - a.count || a.x - b.x).slice(0, top);
  // the text of a cell holding each frequent value, as the grid shows it
  const texts = new Map<number, string>(frequent.map((f) => [f.x, show(f.x)]));
  const found = new Set<number>();
  await walk((r) => {
    const x = d[r];
    if (texts.has(x) && !found.has(x)) {
      found.add(x);
      texts.set(x, cursor.text(r, column) ?? show(x));
    }
  });
  const bars: SummaryBar[] = [];
  const bins = options.bins ?? 20;
  const range = (lo: number, hi: number): ColumnFilter => ({ column, op: 'range', min: show(lo), max: show(hi) });
  if (runs.length <= bins) {
    for (const r of runs) bars.push({ label: show(r.x), count: r.count, filter: range(r.x, r.x) });
  } else {
    const lo = sorted[0];
    const width = (sorted[n - 1] - lo) / bins;
    // bins by position; each bar's filter runs from its smallest value to its largest, so it holds just its rows
    let i = 0;
    for (let b = 0; b < bins && i < n; b++) {
      const end = b === bins - 1 ? Infinity : lo + width * (b + 1);
      let j = i;
      while (j < n && sorted[j] < end) j++;
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
    min: minRow < 0 ? null : cursor.text(minRow, column),
    max: maxRow < 0 ? null : cursor.text(maxRow, column),
    top: frequent.map((f) => ({
      value: texts.get(f.x)!,
      count: f.count,
      filter: time ? range(f.x, f.x) : valueFilter(column, String(f.x)),
    })),
    histogram: { kind: 'bins', bars },
  };
}

async function texts(engine: ViewEngine, column: number, walk: Walk, top: number): Promise<Part> {
  const cursor = engine.cursor;
  const counts = new Map<string, number>();
  let nulls = 0;
  await walk((r) => {
    const t = cursor.text(r, column);
    if (t === null) nulls++;
    else counts.set(t, (counts.get(t) ?? 0) + 1);
  });
  let min: string | null = null;
  let max: string | null = null;
  const all: Counted[] = [];
  for (const [value, count] of counts) {
    if (min === null || compareText(value, min) < 0) min = value;
    if (max === null || compareText(value, max) > 0) max = value;
    all.push({ value, count });
  }
  all.sort(byCount);
  const few = all.length <= 12;
  const withNull = nulls ? [...all, { value: null, count: nulls }].sort(byCount) : all;
  return {
    nulls,
    invalid: 0,
    distinct: counts.size,
    min,
    max,
    top: all.slice(0, top).map((a) => ({ ...a, filter: valueFilter(column, a.value) })),
    histogram: {
      kind: 'values',
      bars: few
        ? withNull.map((a) => ({ label: a.value ?? 'null', count: a.count, filter: valueFilter(column, a.value) }))
        : [],
    },
  };
}
