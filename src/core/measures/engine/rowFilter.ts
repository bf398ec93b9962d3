/**
 * The row filter every documented query shares, in one place:
 *
 *   date(effective_end_time) > d AND date(start_time) <= d          (subscription measures)
 *   date(start_time) BETWEEN a AND b                                 (revenue measures)
 *   AND is_trial_period = 'true' | 'false'
 *   AND DATE_DIFF('s', start_time, end_time)::float > 0              (subscription measures)
 *   AND ownership_type != 'FAMILY_SHARED' AND store != 'promotional' AND is_sandbox != 'true'
 *
 * with SQL's NULL logic: a NULL in any compared column makes the condition not true, so the row is
 * dropped. Rows dropped only because a `!=` condition met a NULL are counted per column, since that
 * is the surprising part of the documented queries (a NULL ownership_type is not 'FAMILY_SHARED',
 * yet the row goes). Where an export lacks a column the query names, the condition adapts and a note
 * says how: v1/v2 have no effective_end_time (end_time stands in), ownership_type arrives in v3.
 */
import { BOOL_FALSE, BOOL_NULL, BOOL_TRUE } from '../../load/cells';
import { boolColumn, codeOf, dictColumn, timeColumn } from './columns';
import { DAY_MS } from './dates';
import { MeasureError, type Part } from './types';
import type { ExportTable } from '../../load/table';

/** What the row filter may read (end_time stands in for effective_end_time in v1/v2). */
export const FILTER_COLUMNS = [
  'start_time',
  'end_time',
  'effective_end_time',
  'is_trial_period',
  'ownership_type',
  'store',
  'is_sandbox',
] as const;

export interface FilterSpec {
  /** date(start_time) between these days, inclusive (±Infinity for an open end). */
  readonly startFrom: number;
  readonly startTo: number;
  /** date(effective_end_time) > this day; undefined: no such condition. */
  readonly endAfter?: number;
  /** DATE_DIFF('s', start_time, X)::float > 0 with X = end_time, or the effective end (query _7). */
  readonly positiveSpan?: 'end' | 'effective';
  /** is_trial_period = 'true' (trials) or 'false'; null: no such condition (query _6). */
  readonly trial: boolean | null;
  /**
   * `date(start_time) BETWEEN a AND b OR date(effective_end_time) BETWEEN a AND b` (the movement
   * queries _10 and _11, with the date() their range test needs).
   */
  readonly touches?: readonly [number, number];
}

/** Active on day d: the subscription measures' filter. */
export function activeOn(day: number, trial: boolean, positiveSpan: 'end' | 'effective' = 'end'): FilterSpec {
  return { startFrom: -Infinity, startTo: day, endAfter: day, positiveSpan, trial };
}

/** Paid transactions that started between two days: the revenue measures' filter. */
export function startedBetween(from: number, to: number): FilterSpec {
  return { startFrom: from, startTo: to, trial: false };
}

export interface Selection {
  /** Matching rows of the part's table, ascending. */
  readonly rows: Uint32Array;
  /** Rows dropped only for a NULL in a `!=` condition, in all and per column. */
  readonly droppedForNull: number;
  readonly droppedForNullByColumn: Record<string, number>;
  readonly notes: string[];
}

/** The column, or a MeasureError naming it (and the delivery, when given) in one line. */
export function required<T>(column: T | null, name: string, part?: Part): T {
  if (column === null) {
    throw new MeasureError(
      part
        ? `${part.delivery.file} has no ${name} column, which this measure needs (the delivery's column selection leaves it out)`
        : `The export has no ${name} column, which this measure needs`,
    );
  }
  return column;
}

/** effective_end_time, or end_time where the export predates it (with a note saying so). */
export function effectiveEnd(table: ExportTable, notes: string[]): Float64Array {
  const eff = timeColumn(table, 'effective_end_time');
  if (eff) return eff;
  notes.push('end_time stands in for effective_end_time (not in this export)');
  return required(timeColumn(table, 'end_time'), 'end_time');
}

/** `skip`: rows left out before any condition (1: a value no SQL load reads, see Tally.unreadableMask). */
export function select(part: Part, spec: FilterSpec, skip: Uint8Array | null = null): Selection {
  const t = part.delivery.table;
  const notes: string[] = [];
  const start = required(timeColumn(t, 'start_time'), 'start_time', part);
  const trial = spec.trial === null ? null : required(boolColumn(t, 'is_trial_period'), 'is_trial_period', part);
  const needEff = spec.endAfter !== undefined || spec.positiveSpan === 'effective' || spec.touches !== undefined;
  const eff = needEff ? effectiveEnd(t, notes) : null;
  const span =
    spec.positiveSpan === 'end'
      ? required(timeColumn(t, 'end_time'), 'end_time', part)
      : spec.positiveSpan === 'effective'
        ? eff
        : null;
  const own = dictColumn(t, 'ownership_type');
  if (!own) notes.push('no ownership_type column, so family-shared rows are not excluded');
  const store = dictColumn(t, 'store');
  if (!store) notes.push('no store column, so promotional rows are not excluded');
  const sandbox = boolColumn(t, 'is_sandbox');
  if (!sandbox) notes.push('no is_sandbox column, so sandbox rows are not excluded');

  const ownCodes = own?.codes;
  const ownNull = own?.nullCode ?? -1;
  const family = own ? codeOf(own, 'FAMILY_SHARED') : -1;
  const storeCodes = store?.codes;
  const storeNull = store?.nullCode ?? -1;
  const promo = store ? codeOf(store, 'promotional') : -1;

  const lo = spec.startFrom * DAY_MS;
  const hi = (spec.startTo + 1) * DAY_MS;
  const endMin = spec.endAfter === undefined ? -Infinity : (spec.endAfter + 1) * DAY_MS;
  const want = spec.trial ? BOOL_TRUE : BOOL_FALSE;
  const touchLo = spec.touches ? spec.touches[0] * DAY_MS : 0;
  const touchHi = spec.touches ? (spec.touches[1] + 1) * DAY_MS : 0;
  const sel = part.rows;
  const n = sel ? sel.length : t.rowCount;
  const out = new Uint32Array(n);
  let count = 0;
  let nullOwn = 0;
  let nullStore = 0;
  let nullSandbox = 0;
  let dropped = 0;
  for (let k = 0; k < n; k++) {
    const r = sel ? sel[k] : k;
    if (skip !== null && skip[r] === 1) continue;
    const s = start[r];
    if ((lo !== -Infinity || hi !== Infinity) && !(s >= lo && s < hi)) continue;
    if (eff !== null && !(eff[r] >= endMin)) continue;
    if (spec.touches && !((s >= touchLo && s < touchHi) || (eff![r] >= touchLo && eff![r] < touchHi))) continue;
    if (trial !== null && trial[r] !== want) continue;
    if (span !== null && !(Math.floor(span[r] / 1000) > Math.floor(s / 1000))) continue;
    let nulls = 0;
    if (ownCodes) {
      const c = ownCodes[r];
      if (c === ownNull) nulls |= 1;
      else if (c === family) continue;
    }
    if (storeCodes) {
      const c = storeCodes[r];
      if (c === storeNull) nulls |= 2;
      else if (c === promo) continue;
    }
    if (sandbox) {
      const c = sandbox[r];
      if (c >= BOOL_NULL) nulls |= 4;
      else if (c === BOOL_TRUE) continue;
    }
    if (nulls !== 0) {
      dropped++;
      if (nulls & 1) nullOwn++;
      if (nulls & 2) nullStore++;
      if (nulls & 4) nullSandbox++;
      continue;
    }
    out[count++] = r;
  }
  const byColumn: Record<string, number> = {};
  if (nullOwn) byColumn.ownership_type = nullOwn;
  if (nullStore) byColumn.store = nullStore;
  if (nullSandbox) byColumn.is_sandbox = nullSandbox;
  return { rows: out.subarray(0, count), droppedForNull: dropped, droppedForNullByColumn: byColumn, notes };
}
