/**
 * What the movement queries (_10 Active Subscriptions Movement, _11 MRR Movement) share: their rows
 * F, selected once, and per-day accumulators summed into periods.
 *
 *   (date(start_time) BETWEEN from AND to OR date(effective_end_time) BETWEEN from AND to)
 *   AND is_trial_period = 'false' AND DATE_DIFF('s', start_time, end_time)::float > 0
 *   AND ownership_type != 'FAMILY_SHARED' AND store != 'promotional' AND is_sandbox != 'true'
 */
import { BOOL_FALSE, BOOL_TRUE } from '../../load/cells';
import { boolColumn, intColumn, timeColumn } from './columns';
import { dayOf } from './dates';
import type { Tally } from './measure';
import { periodOfDay, periods } from './dates';
import { effectiveEnd, required } from './rowFilter';
import type { MeasureInput, MeasureParams, Part } from './types';

/** The corrections both movement queries make (the result's variant lists them). */
export const MOVEMENT_CORRECTIONS = [
  'corrected: the table name typo and the trailing comma',
  'date() on both sides of the range test',
  'every day of the range reported (the FULL JOIN filter dropped days with only starts or only expirations)',
  'COALESCE(…, 0) inside the churn arithmetic',
];

/** How a row of F counts on its start day: new, renewal, or neither (SQL NULL logic kept). */
export const enum Kind {
  Neither = 0,
  New = 1,
  Renewal = 2,
}

export interface MovementRow {
  /** The row, its start day and effective end day as offsets into the range (outside: -1). */
  (row: number, kind: Kind, startAt: number, endAt: number): void;
}

/** What both ways of reading F read of one part, and its rows of F (Tally.select). */
function movementPart(part: Part, from: number, to: number, tally: Tally, reads: readonly string[]) {
  const t = part.delivery.table;
  const start = required(timeColumn(t, 'start_time'), 'start_time', part);
  const eff = effectiveEnd(t, []);
  const renewal = intColumn(t, 'renewal_number');
  const conversion = boolColumn(t, 'is_trial_conversion');
  if (!renewal) tally.note(part, 'no renewal_number column, so no row counts as new or as a renewal');
  if (!conversion) tally.note(part, 'no is_trial_conversion column (read as NULL)');
  const { rows } = tally.select(
    part,
    {
      startFrom: -Infinity,
      startTo: Infinity,
      touches: [from, to],
      positiveSpan: 'end',
      trial: false,
    },
    ['renewal_number', 'is_trial_conversion', ...reads],
  );
  return { start, eff, renewal, conversion, rows };
}

/** A row's kind from renewal_number n and is_trial_conversion c (SQL's NULL logic: NaN, ≥ BOOL_NULL). */
function kindOf(n: number, c: number): Kind {
  // renewal_number = 1 OR is_trial_conversion = 'true'; renewal_number > 1 AND is_trial_conversion = 'false'
  return n === 1 || c === BOOL_TRUE ? Kind.New : n > 1 && c === BOOL_FALSE ? Kind.Renewal : Kind.Neither;
}

/** Visits each row of F with its kind and where its start and expiration fall in [from, to]. */
export function eachMovementRow(
  input: MeasureInput,
  from: number,
  to: number,
  tally: Tally,
  visitor: (part: Part) => MovementRow,
  /** Columns the visitor reads besides these: rows with an unreadable value in one are left out and counted. */
  reads: readonly string[] = [],
): void {
  const days = to - from + 1;
  for (const part of input.parts) {
    const { start, eff, renewal, conversion, rows } = movementPart(part, from, to, tally, reads);
    const visit = visitor(part);
    for (let k = 0; k < rows.length; k++) {
      const r = rows[k];
      const kind = kindOf(renewal ? renewal[r] : NaN, conversion ? conversion[r] : 255);
      const s = dayOf(start[r]) - from;
      const e = dayOf(eff[r]) - from;
      visit(r, kind, s >= 0 && s < days ? s : -1, e >= 0 && e < days ? e : -1);
    }
  }
}

/**
 * The per-day sums of F over [from, to]: what started new, what started as a renewal, what
 * expired, each row adding its weight (1 without weights; a NaN weight leaves the row out). One
 * loop with no branch on a row's kind or days: every row adds to a slot, the ones outside the
 * range or of neither kind to slots nobody reads.
 */
export function movementSums(
  input: MeasureInput,
  from: number,
  to: number,
  tally: Tally,
  weights: ((part: Part) => Float64Array) | null,
  reads: readonly string[] = [],
): [added: Float64Array, renewed: Float64Array, expired: Float64Array] {
  const days = to - from + 1;
  const w = days + 1; // slot 0 of a channel: outside the range
  // channels: new, renewal, neither (read by nobody), expired
  const sums = new Float64Array(4 * w);
  const channel = new Int32Array([2 * w, 0, w]); // by Kind: Neither, New, Renewal
  const ex = 3 * w;
  for (const part of input.parts) {
    const { start, eff, renewal, conversion, rows } = movementPart(part, from, to, tally, reads);
    const weight = weights ? weights(part) : null;
    for (let k = 0; k < rows.length; k++) {
      const r = rows[k];
      const x = weight === null ? 1 : weight[r];
      if (x !== x) continue;
      // kindOf without branches
      const n = renewal ? renewal[r] : NaN;
      const c = conversion ? conversion[r] : 255;
      const isNew = +(n === 1) | +(c === BOOL_TRUE);
      const kind = isNew | (((1 - isNew) & +(n > 1) & +(c === BOOL_FALSE) & 1) * 2);
      const s = dayOf(start[r]) - from;
      const e = dayOf(eff[r]) - from;
      sums[channel[kind] + (((s + 1) * (+(s >= 0) & +(s < days))) | 0)] += x;
      sums[ex + (((e + 1) * (+(e >= 0) & +(e < days))) | 0)] += x;
    }
  }
  return [sums.subarray(1, w), sums.subarray(w + 1, 2 * w), sums.subarray(ex + 1, 4 * w)];
}

/** Per-day channels summed into the periods of the range: key → the sums, in order. */
export function sumByPeriod(p: MeasureParams, channels: readonly Float64Array[]): [string, number[]][] {
  const from = p.from!;
  const to = p.to!;
  const list = periods(from, to, p.resolution ?? 'day');
  const of = periodOfDay(list, from, to);
  const sums = list.map(() => channels.map(() => 0));
  for (let d = 0; d <= to - from; d++) channels.forEach((ch, i) => (sums[of[d]][i] += ch[d]));
  return list.map((per, i) => [per.key, sums[i]]);
}
