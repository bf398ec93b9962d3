/**
 * Point-in-time measures over many days in one pass. A row passes "active on d" exactly for the
 * days date(start_time) ≤ d < date(effective_end_time), since every other condition of the filter
 * does not depend on d. So the rows are selected once for the whole range (start on or before its
 * last day, end after its first), each row adds its contribution over its interval of days into a
 * difference array, and prefix sums give every day's total: one scan, whatever the number of days.
 * One date is the range of that single day.
 */
import { timeColumn } from './columns';
import { dayOf } from './dates';
import type { Tally } from './measure';
import { effectiveEnd, required } from './rowFilter';
import type { MeasureInput, MeasureParams, MeasureValue, Part } from './types';

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
