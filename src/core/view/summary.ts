/**
 * A column's summary over the rows in view (the filter and the search applied): how many cells are
 * NULL (an empty unquoted field), how many are unreadable as the column's type, how many distinct
 * values the rest holds, the smallest and largest (as the text of a cell holding them, so the grid's
 * formatting applies), the most frequent values with their counts, and a small histogram: value
 * counts for booleans, dictionary columns and columns of few values, equal-width bins over numbers and
 * timestamps. Every bar carries the filter that shows exactly its rows.
 *
 * Work goes in slices of rows; between slices `pause` may yield (the view thread answers a cancel
 * then), `progress` hears how far it got, and an aborted signal stops the computation. Dictionary
 * and boolean columns count codes here; numbers, times and text are in summaryParts.ts.
 */
import { BOOL_FALSE, BOOL_NULL, BOOL_TRUE } from '../load/cells';
import { DICT_NULL } from '../load/dict';
import { compareText, numbers, SummaryCancelled, texts, valueFilter } from './summaryParts';
import type { ColumnFilter } from './viewFilter';
import type { ViewEngine, ViewSpec } from './view';

export { compareText, SummaryCancelled, timeText } from './summaryParts';

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
  /** Called after each slice with the rows looked at so far and the rows in view. */
  readonly progress?: (done: number, total: number) => void;
}

const SLICE = 1 << 16;

type Counted = Omit<SummaryValue, 'filter'>;

function byCount(a: Counted, b: Counted): number {
  return b.count - a.count || (a.value === null ? 1 : b.value === null ? -1 : compareText(a.value, b.value));
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
      options.progress?.(to, total);
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
    const check = () => {
      if (options.signal?.aborted) throw new SummaryCancelled('Cancelled');
    };
    const d = v.data as Float64Array;
    const bins = options.bins ?? 20;
    s = { ...base, ...(await numbers(engine, column, d, v.kind === 'time', rows, walk, top, bins, check)) };
  } else s = { ...base, ...(await texts(engine, column, total, walk, top)) };
  s.ms = performance.now() - t0;
  return s;
}
