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

  // The time conditions pass rows at random when they bound a window (a range, a day): a branch
  // per row would be mispredicted often, so they run first, over every row, without one (each
  // row is written, and the count moves on past those that pass), and the other conditions run
  // over the rows left. Otherwise (a start after some day, or no time condition) one pass with
  // branches does all. The rows go to a buffer kept per table, the result is copied out of it.
  // A column the export lacks reads as zeros: not FAMILY_SHARED, not promotional, not sandbox.
  const sel = part.rows;
  const n = sel ? sel.length : t.rowCount;
  const out = scratch(t, n);
  const window =
    spec.touches !== undefined ||
    spec.endAfter !== undefined ||
    (spec.startFrom !== -Infinity && spec.startTo !== Infinity);
  const m = window ? timePass(sel, n, start, eff, spec, out) : n;
  const time = window ? null : new TimeTest(start, eff, spec);
  const zeros = own && store && sandbox && skip ? null : zerosOf(t);
  const want = spec.trial ? BOOL_TRUE : BOOL_FALSE;
  const T = trial ?? zeros!;
  const trialAll = trial === null ? 1 : 0;
  const S = span ?? start;
  const spanAll = span === null ? 1 : 0;
  const O = own ? own.codes : zeros!;
  const ownNull = own ? own.nullCode : -1;
  const family = own ? codeOf(own, 'FAMILY_SHARED') : -2;
  const P = store ? store.codes : zeros!;
  const storeNull = store ? store.nullCode : -1;
  const promo = store ? codeOf(store, 'promotional') : -2;
  const B = sandbox ?? zeros!;
  const K = skip ?? zeros!;
  let count = 0;
  let nullOwn = 0;
  let nullStore = 0;
  let nullSandbox = 0;
  let dropped = 0;
  if (time === null) {
    // the rows left are mostly random too: the others without branches as well
    for (let j = 0; j < m; j++) {
      const r = out[j];
      const o = O[r];
      const st = P[r];
      const sb = B[r];
      const ok =
        +(K[r] !== 1) &
        (trialAll | +(T[r] === want)) &
        (spanAll | +(Math.floor(S[r] / 1000) > Math.floor(start[r] / 1000))) &
        +(o !== family) &
        +(st !== promo) &
        +(sb !== BOOL_TRUE);
      const n1 = +(o === ownNull);
      const n2 = +(st === storeNull);
      const n4 = +(sb >= BOOL_NULL);
      const nulls = n1 | n2 | n4;
      out[count] = r;
      count += ok & (1 - nulls);
      dropped += ok & nulls;
      nullOwn += ok & n1;
      nullStore += ok & n2;
      nullSandbox += ok & n4;
    }
  } else
    for (let j = 0; j < m; j++) {
      const r = sel ? sel[j] : j;
      if (!time.passes(r)) continue;
      if (K[r] === 1) continue;
      if (trialAll === 0 && T[r] !== want) continue;
      if (spanAll === 0 && !(Math.floor(S[r] / 1000) > Math.floor(start[r] / 1000))) continue;
      const o = O[r];
      const st = P[r];
      const sb = B[r];
      if (o === family || st === promo || sb === BOOL_TRUE) continue;
      if (o === ownNull || st === storeNull || sb >= BOOL_NULL) {
        dropped++;
        if (o === ownNull) nullOwn++;
        if (st === storeNull) nullStore++;
        if (sb >= BOOL_NULL) nullSandbox++;
        continue;
      }
      out[count++] = r;
    }
  const byColumn: Record<string, number> = {};
  if (nullOwn) byColumn.ownership_type = nullOwn;
  if (nullStore) byColumn.store = nullStore;
  if (nullSandbox) byColumn.is_sandbox = nullSandbox;
  return { rows: out.slice(0, count), droppedForNull: dropped, droppedForNullByColumn: byColumn, notes };
}

/** Per table, a buffer of row numbers that select() fills and copies its result out of. */
const scratches = new WeakMap<object, Uint32Array>();

function scratch(t: ExportTable, n: number): Uint32Array {
  let b = scratches.get(t.data);
  if (!b || b.length < n) scratches.set(t.data, (b = new Uint32Array(Math.max(n, 1))));
  return b;
}

/**
 * Makes the table's select() buffer now, and touches its pages (the first write to fresh memory is
 * what a first run would otherwise pay for, tens of milliseconds on some machines).
 */
export function prepareSelect(t: ExportTable): void {
  scratch(t, t.rowCount).fill(0);
}

/** Per table, a row of zeros (never written): the stand-in for a column the export lacks. */
const zeroRows = new WeakMap<object, Uint8Array>();

function zerosOf(t: ExportTable): Uint8Array {
  let z = zeroRows.get(t.data);
  if (!z) zeroRows.set(t.data, (z = new Uint8Array(t.rowCount)));
  return z;
}

/** The time conditions of a spec, row by row. */
class TimeTest {
  private readonly startAll: boolean;
  private readonly lo: number;
  private readonly hi: number;
  private readonly endMin: number;
  private readonly touchLo: number;
  private readonly touchHi: number;
  constructor(
    private readonly start: Float64Array,
    private readonly eff: Float64Array | null,
    private readonly spec: FilterSpec,
  ) {
    this.startAll = spec.startFrom === -Infinity && spec.startTo === Infinity;
    this.lo = spec.startFrom * DAY_MS;
    this.hi = (spec.startTo + 1) * DAY_MS;
    this.endMin = spec.endAfter === undefined ? -Infinity : (spec.endAfter + 1) * DAY_MS;
    this.touchLo = spec.touches ? spec.touches[0] * DAY_MS : 0;
    this.touchHi = spec.touches ? (spec.touches[1] + 1) * DAY_MS : 0;
  }
  passes(r: number): boolean {
    const s = this.start[r];
    if (!this.startAll && !(s >= this.lo && s < this.hi)) return false;
    const eff = this.eff;
    if (eff === null) return true;
    const e = eff[r];
    if (!(e >= this.endMin)) return false;
    return !this.spec.touches || (s >= this.touchLo && s < this.touchHi) || (e >= this.touchLo && e < this.touchHi);
  }
}

/**
 * The time conditions of `spec` over the rows (`sel`, or 0 … n-1): the rows that pass, written to
 * out[0 …], and their number. A condition the spec does not have passes every row (a NaN start
 * too, as in the row-by-row form), but needing the effective end drops a NaN one.
 */
function timePass(
  sel: Uint32Array | null,
  n: number,
  start: Float64Array,
  eff: Float64Array | null,
  spec: FilterSpec,
  out: Uint32Array,
): number {
  const E = eff ?? start;
  const startAll = spec.startFrom === -Infinity && spec.startTo === Infinity ? 1 : 0;
  const lo = spec.startFrom * DAY_MS;
  const hi = (spec.startTo + 1) * DAY_MS;
  const effAll = eff === null ? 1 : 0;
  const endMin = spec.endAfter === undefined ? -Infinity : (spec.endAfter + 1) * DAY_MS;
  const touchAll = spec.touches ? 0 : 1;
  const touchLo = spec.touches ? spec.touches[0] * DAY_MS : 0;
  const touchHi = spec.touches ? (spec.touches[1] + 1) * DAY_MS : 0;
  let c = 0;
  // the same test in two loops, written out: a shared closure made the loops 30% slower
  if (sel === null) {
    for (let r = 0; r < n; r++) {
      const s = start[r];
      const e = E[r];
      out[c] = r;
      c +=
        (startAll | (+(s >= lo) & +(s < hi))) &
        (effAll | +(e >= endMin)) &
        (touchAll | (+(s >= touchLo) & +(s < touchHi)) | (+(e >= touchLo) & +(e < touchHi)));
    }
  } else {
    for (let k = 0; k < n; k++) {
      const r = sel[k];
      const s = start[r];
      const e = E[r];
      out[c] = r;
      c +=
        (startAll | (+(s >= lo) & +(s < hi))) &
        (effAll | +(e >= endMin)) &
        (touchAll | (+(s >= touchLo) & +(s < touchHi)) | (+(e >= touchLo) & +(e < touchHi)));
    }
  }
  return c;
}
