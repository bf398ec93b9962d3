/**
 * The shape of a measure and the bookkeeping every measure shares: which rows each delivery gave,
 * how many were dropped for a NULL, and how the documented query was adapted to older templates.
 * Also the point-in-time measures' one-pass form over any number of days (snapshots, below).
 *
 * Room src/core/measures/engine: what every measure shares: columns, dates, the row filter, money, merge, result format.
 * May import: src/core, src/core/catalog, src/core/load, src/core/validate.
 */
import { dictColumn, intColumn, timeColumn, unreadableRows, type DictColumn } from './columns';
import { dayOf } from './dates';
import { effectiveEnd, required, select, type FilterSpec, type Selection } from './rowFilter';
import type { Feed } from '../../catalog/templates';
import type { MeasureInput, MeasureName, MeasureParams, MeasureValue, Part, Unreadable } from './types';

/**
 * What a measure takes: one date (a series with a range), a range, either, an attribute and a date;
 * 'movement': a range cut into periods (default the 90 days up to A); 'since': a first day only;
 * 'cohorts': an optional range of first-purchase dates; 'retention': a range of cohort start dates.
 */
export type ParamKind =
  'date' | 'range' | 'date-or-range' | 'attribute' | 'movement' | 'since' | 'cohorts' | 'retention';

export interface Measure {
  readonly name: MeasureName;
  readonly title: string;
  /** RevenueCat's documented sample query this reproduces. */
  readonly query: string;
  readonly takes: ParamKind;
  /** The feed it measures (default 'transactions'); deliveries of other feeds are skipped with a note. */
  readonly feed?: Feed;
  /** params arrive complete: date (or from/to, or key/value) already resolved. */
  compute(input: MeasureInput, params: MeasureParams, tally: Tally): MeasureValue;
  /** Point-in-time measures: the per-row form that gives any number of days in one pass. */
  readonly snapshot?: SnapshotMeasure;
  /**
   * The columns it reads besides the row filter's (FILTER_COLUMNS) and the merge key (KEY_COLUMNS),
   * so a delivery read column by column (Parquet) decodes no others. Absent: it may read any column.
   */
  readonly reads?: readonly string[];
}

/** A point-in-time measure's compute for its one date. */
export function onDate(m: SnapshotMeasure): Measure['compute'] {
  return (input, p, tally) => snapshots(m, input, p, p.date!, p.date!, [p.date!], tally)[0];
}

/** The columns select() reads on a part: a row with an unreadable value in one is left out. */
function selectColumns(part: Part, spec: FilterSpec, reads: readonly string[]): string[] {
  const t = part.delivery.table;
  const columns = ['start_time', 'is_sandbox', ...reads];
  if (spec.trial !== null) columns.push('is_trial_period');
  if (spec.endAfter !== undefined || spec.positiveSpan === 'effective' || spec.touches !== undefined)
    columns.push(timeColumn(t, 'effective_end_time') ? 'effective_end_time' : 'end_time');
  if (spec.positiveSpan === 'end') columns.push('end_time');
  return columns;
}

export class Tally {
  droppedForNull = 0;
  readonly droppedForNullByColumn: Record<string, number> = {};
  /** Rows left out for a value no SQL load would read, per column. */
  readonly unreadable: Record<string, Unreadable> = {};
  private readonly notes = new Map<Part, string[]>();
  private readonly masks = new Map<Part, { columns: Set<string>; mask: Uint8Array | null }>();
  /** Corrections of the documented query, the same for every part. */
  private readonly corrections: string[] = [];

  correct(...what: string[]): void {
    for (const c of what) if (!this.corrections.includes(c)) this.corrections.push(c);
  }

  /**
   * The shared filter over one part, with its drops and notes recorded. `reads`: the other columns
   * the measure reads on the selected rows; a row with an unreadable value in any of them is left out.
   */
  select(part: Part, spec: FilterSpec, reads: readonly string[] = []): Selection {
    const s = select(part, spec, this.unreadableMask(part, selectColumns(part, spec, reads)));
    this.told(part, s);
    return s;
  }

  /**
   * A selection that select() made with these arguments for an earlier run, on the same part: told
   * to this tally as select() tells it (unreadable cells, drops and notes), not made again.
   */
  selectedBefore(part: Part, spec: FilterSpec, reads: readonly string[], s: Selection): void {
    this.unreadableMask(part, selectColumns(part, spec, reads));
    this.told(part, s);
  }

  private told(part: Part, s: Selection): void {
    this.droppedForNull += s.droppedForNull;
    for (const [c, n] of Object.entries(s.droppedForNullByColumn))
      this.droppedForNullByColumn[c] = (this.droppedForNullByColumn[c] ?? 0) + n;
    for (const note of s.notes) this.note(part, note);
  }

  /**
   * Rows of a part with an unreadable value in one of `columns` (1 in the mask), counted once per
   * part and column; null when there is none.
   */
  unreadableMask(part: Part, columns: readonly string[]): Uint8Array | null {
    const t = part.delivery.table;
    let m = this.masks.get(part);
    if (!m) this.masks.set(part, (m = { columns: new Set(), mask: null }));
    for (const name of columns) {
      if (m.columns.has(name)) continue;
      m.columns.add(name);
      let rows = unreadableRows(t, name);
      if (rows.length === 0) continue;
      if (part.rows) {
        const keep = new Set(part.rows);
        rows = rows.filter((r) => keep.has(r));
        if (rows.length === 0) continue;
      }
      m.mask ??= new Uint8Array(t.rowCount);
      for (const r of rows) m.mask[r] = 1;
      const u = this.unreadable[name];
      const origin = part.delivery.origin?.rows;
      const first = {
        file: part.delivery.file,
        row: (origin ? origin[rows[0]] : rows[0]) + 1,
        value: t.cell(rows[0], t.columnIndex(name)) ?? '',
      };
      if (!u) this.unreadable[name] = { rows: rows.length, first };
      else this.unreadable[name] = { rows: u.rows + rows.length, first: u.first };
    }
    return m.mask;
  }

  note(part: Part, note: string): void {
    let list = this.notes.get(part);
    if (!list) this.notes.set(part, (list = []));
    if (!list.includes(note)) list.push(note);
  }

  /** "v5: as documented", or the adaptations per template version (deliveries alike are said once). */
  variant(parts: readonly Part[]): string {
    const lines: string[] = [];
    for (const p of parts) {
      const notes = [...this.corrections, ...(this.notes.get(p) ?? [])];
      const line = `${p.delivery.version}: ${notes.length ? notes.join('; ') : 'the documented query as written'}`;
      if (!lines.includes(line)) lines.push(line);
    }
    return lines.join(' | ');
  }
}

/** What the In-App Currency measures read of a feed's row: its currency, one more text column, amount and time. */
export interface Adjustments {
  readonly currency: DictColumn;
  /** The measure's own grouping column (the customer, the transaction type). */
  readonly by: DictColumn;
  readonly amount: Float64Array;
  readonly at: Float64Array;
}

/**
 * Calls `each(row)` for every row of an In-App Currency part whose adjustment_amount and
 * event_timestamp are readable (the rest are counted once by the tally), with the columns read.
 */
export function eachAdjustment(part: Part, tally: Tally, by: string, each: (r: number, a: Adjustments) => void): void {
  const t = part.delivery.table;
  const a: Adjustments = {
    currency: required(dictColumn(t, 'currency_code'), 'currency_code', part),
    by: required(dictColumn(t, by), by, part),
    amount: required(intColumn(t, 'adjustment_amount'), 'adjustment_amount', part),
    at: required(timeColumn(t, 'event_timestamp'), 'event_timestamp', part),
  };
  const skip = tally.unreadableMask(part, ['adjustment_amount', 'event_timestamp']);
  const n = part.rows ? part.rows.length : t.rowCount;
  for (let k = 0; k < n; k++) {
    const r = part.rows ? part.rows[k] : k;
    if (!skip || !skip[r]) each(r, a);
  }
}

/*
 * Point-in-time measures over many days in one pass. A row passes "active on d" exactly for the
 * days date(start_time) ≤ d < date(effective_end_time), since every other condition of the filter
 * does not depend on d. So the rows are selected once for the whole range (start on or before its
 * last day, end after its first), each row adds its contribution over its interval of days into a
 * difference array, and prefix sums give every day's total: one scan, whatever the number of days.
 * One date is the range of that single day.
 */

/** What one run of a point-in-time measure adds per row, and how the day's totals read. */
export interface SnapshotRun {
  /** Accumulators per day (a count, a sum and its number of values, …). */
  readonly channels: number;
  /** The row's contributions for one part, written into out[0 … channels-1]; false: it adds nothing. */
  part(part: Part): (row: number, out: Float64Array) => boolean;
  /** The measure's value from one day's totals. */
  value(totals: Float64Array): MeasureValue;
}

export interface SnapshotMeasure {
  readonly trial: boolean;
  /** DATE_DIFF('s', start_time, X) > 0 with X = end_time, or the effective end (query _7). */
  readonly span?: 'end' | 'effective';
  /**
   * The other columns its rows are read in: a row with a value no SQL load would read in one of them
   * is left out and counted (Tally.select), for a series as for one date.
   */
  readonly reads?: readonly string[];
  start(params: MeasureParams, tally: Tally): SnapshotRun;
}

/** The measure's value as of each of `days` (ascending, within [from, to]). */
export function snapshots(
  m: SnapshotMeasure,
  input: MeasureInput,
  params: MeasureParams,
  from: number,
  to: number,
  days: readonly number[],
  tally: Tally,
): MeasureValue[] {
  const run = m.start(params, tally);
  const c = run.channels;
  const width = to - from + 2;
  const diff = new Float64Array(c * width);
  const out = new Float64Array(c);
  for (const part of input.parts) {
    const eff = effectiveEnd(part.delivery.table, []);
    const { rows } = tally.select(
      part,
      {
        startFrom: -Infinity,
        startTo: to,
        endAfter: from,
        positiveSpan: m.span ?? 'end',
        trial: m.trial,
      },
      m.reads,
    );
    const startTime = required(timeColumn(part.delivery.table, 'start_time'), 'start_time', part);
    const add = run.part(part);
    for (let k = 0; k < rows.length; k++) {
      const r = rows[k];
      const lo = Math.max(dayOf(startTime[r]), from) - from;
      const hi = Math.min(dayOf(eff[r]) - 1, to) - from;
      if (lo > hi) continue;
      if (!add(r, out)) continue;
      for (let i = 0; i < c; i++) {
        diff[i * width + lo] += out[i];
        diff[i * width + hi + 1] -= out[i];
      }
    }
  }
  for (let i = 0; i < c; i++) {
    let acc = 0;
    for (let d = 0; d < width; d++) diff[i * width + d] = acc += diff[i * width + d];
  }
  return days.map((day) => {
    const totals = new Float64Array(c);
    for (let i = 0; i < c; i++) totals[i] = diff[i * width + day - from];
    return run.value(totals);
  });
}

/** A measure that counts the rows active on its date (trials or paid ones). */
export function countActive(trial: boolean): SnapshotMeasure {
  return {
    trial,
    start: () => ({
      channels: 1,
      part: () => (_r, out) => ((out[0] = 1), true),
      value: (t) => t[0],
    }),
  };
}
