/**
 * From a point of a measure's chart back to the transactions behind it: the surviving rows (after a
 * merge) that make up one value, per part, as row numbers of the part's table. Computed on demand for
 * one point, apart from the measures themselves, so the numbers pay nothing for it.
 *
 *   point-in-time measures (and their series): the rows the measure's filter keeps on the period's
 *     last day (date(start_time) ≤ d < date(effective_end_time)) that add to the value, or to the
 *     chosen group of a split measure;
 *   movement: the new (or renewal) rows that started in the period, the rows whose effective end falls
 *     in it (expirations, behind churn), or both for the net movement;
 *   revenue: the paid transactions that started in the period;
 *   trial conversion: the trials ending in the period (or those of them whose customer converted);
 *   retention: the transactions one cohort cell counts (a transaction counted twice there is one row).
 */
import { BOOL_TRUE } from '../load/cells';
import { boolColumn, keys, timeColumn } from './engine/columns';
import { dayOf, formatDay, parseDay, periods, type Period } from './engine/dates';
import { Tally, type Measure } from './engine/measure';
import { eachMovementRow, Kind } from './engine/movement';
import { resolveParams, type MeasureRequest } from './engine/params';
import { activeOn, effectiveEnd, required, select, startedBetween } from './engine/rowFilter';
import { MeasureError, type MeasureInput, type MeasureParams } from './engine/types';
import { retention } from './subscriptionRetention';

/** One value of a chart: its period (a retention cohort's first day), and which series or cell. */
export interface PointRef {
  readonly period: string;
  /** A group of a split measure, a part of a movement ('new_actives', …), a trial count. */
  readonly series?: string;
  /** A retention cell: product, calculated duration, period number. */
  readonly product?: string;
  readonly duration?: string;
  readonly periodNumber?: number;
}

export interface RowSet {
  /** What the rows are, in words for the grid's info bar. */
  readonly label: string;
  /** Per part of the input: its rows (row numbers of the part's table), ascending. */
  readonly parts: Uint32Array[];
  /** Rows in all. */
  readonly count: number;
  /** Counts the value holds (retention counts some transactions more than once), else `count`. */
  readonly counted: number;
}

const refuse = (message: string) => new MeasureError(message, 'request');

function periodOf(p: MeasureParams, key: string): Period {
  const found = periods(p.from!, p.to!, p.resolution ?? 'day').find((x) => x.key === key);
  if (!found) throw refuse(`${key} is not a period of ${formatDay(p.from!)} … ${formatDay(p.to!)}`);
  return found;
}

function span(per: Pick<Period, 'first' | 'last'>): string {
  return per.first === per.last ? formatDay(per.first) : `${formatDay(per.first)} … ${formatDay(per.last)}`;
}

/** Row numbers collected per part into ascending arrays. */
class Collector {
  private readonly lists: number[][];
  counted = 0;
  constructor(parts: number) {
    this.lists = Array.from({ length: parts }, () => []);
  }
  add(part: number, row: number): void {
    this.lists[part].push(row);
    this.counted++;
  }
  done(label: string): RowSet {
    const parts = this.lists.map((l) => {
      const a = Uint32Array.from(l).sort();
      // a row counted twice is one row
      let k = 0;
      for (let i = 0; i < a.length; i++) if (i === 0 || a[i] !== a[i - 1]) a[k++] = a[i];
      return a.subarray(0, k);
    });
    const count = parts.reduce((n, a) => n + a.length, 0);
    return { label, parts, count, counted: this.counted };
  }
}

/** Which channel of a split point-in-time measure feeds group `series` (probed through its value). */
function channelOf(value: (t: Float64Array) => unknown, channels: number, series: string): number {
  for (let c = 0; c < channels; c++) {
    const t = new Float64Array(channels);
    t[c] = 1;
    const v = value(t);
    if (v && typeof v === 'object' && (v as Record<string, unknown>)[series] === 1) return c;
  }
  return -1;
}

function snapshotRows(m: Measure, input: MeasureInput, p: MeasureParams, point: PointRef): RowSet {
  const snap = m.snapshot!;
  const per = p.resolution ? periodOf(p, point.period) : null;
  const day = per ? per.last : p.date!;
  const tally = new Tally();
  const run = snap.start(p, tally);
  const out = new Float64Array(run.channels);
  const channel = point.series === undefined ? -1 : channelOf((t) => run.value(t), run.channels, point.series);
  if (point.series !== undefined && channel < 0 && run.channels > 1)
    throw refuse(`${m.title} has no group ${JSON.stringify(point.series)}`);
  const c = new Collector(input.parts.length);
  input.parts.forEach((part, i) => {
    const { rows } = select(part, activeOn(day, snap.trial, snap.span ?? 'end'));
    const add = run.part(part);
    for (let k = 0; k < rows.length; k++) {
      const r = rows[k];
      if (!add(r, out)) continue;
      if (channel >= 0 && run.channels > 1 && out[channel] === 0) continue;
      c.add(i, r);
    }
  });
  const group = channel >= 0 && run.channels > 1 ? ` (${point.series})` : '';
  return c.done(`${m.title}${group} on ${formatDay(day)}`);
}

const MOVEMENT_PARTS: Record<string, 'new' | 'renewal' | 'expired' | 'net'> = {
  new_actives: 'new',
  new_mrr: 'new',
  renewals: 'renewal',
  renewal_mrr: 'renewal',
  expirations: 'expired',
  expired_mrr: 'expired',
  churned_actives: 'expired',
  churned_mrr: 'expired',
  movement: 'net',
};

function movementRows(m: Measure, input: MeasureInput, p: MeasureParams, point: PointRef): RowSet {
  const per = periodOf(p, point.period);
  const which = MOVEMENT_PARTS[point.series ?? 'movement'];
  if (!which) throw refuse(`${m.title} has no series ${JSON.stringify(point.series)}`);
  const c = new Collector(input.parts.length);
  const parts = input.parts;
  eachMovementRow(input, per.first, per.last, new Tally(), (part) => {
    const i = parts.indexOf(part);
    return (r, kind, s, e) => {
      const started = s >= 0 && (which === 'net' || which === 'new' ? kind === Kind.New : kind === Kind.Renewal);
      const ended = e >= 0;
      if (which === 'new' || which === 'renewal' ? started : which === 'expired' ? ended : started || ended)
        c.add(i, r);
    };
  });
  const when = span(per);
  const words = {
    new: `new subscriptions started ${when}`,
    renewal: `renewals started ${when}`,
    expired: `subscriptions expiring ${when} (churn is these less the renewals)`,
    net: `new subscriptions started and subscriptions expiring ${when}`,
  }[which];
  return c.done(`${m.title}: ${words}`);
}

function revenueRows(m: Measure, input: MeasureInput, p: MeasureParams, point: PointRef): RowSet {
  const per: Period = p.resolution
    ? periodOf(p, point.period)
    : m.name === 'weekly-revenue'
      ? { first: parseDay(point.period) ?? NaN, last: (parseDay(point.period) ?? NaN) + 6, key: point.period }
      : { first: p.from ?? p.date!, last: p.to ?? p.date!, key: point.period };
  if (per.first !== per.first) throw refuse(`${point.period} is not a date`);
  const first = Math.max(per.first, p.from ?? -Infinity);
  const last = Math.min(per.last, p.to ?? Infinity);
  const c = new Collector(input.parts.length);
  input.parts.forEach((part, i) => {
    const { rows } = select(part, startedBetween(first, last));
    for (let k = 0; k < rows.length; k++) c.add(i, rows[k]);
  });
  return c.done(`${m.title}: paid transactions started ${span({ first, last })}`);
}

function trialRows(m: Measure, input: MeasureInput, p: MeasureParams, point: PointRef): RowSet {
  const per = periodOf(p, point.period);
  const onlyConverted = point.series === 'conversions';
  const users = keys(input, 'rc_original_app_user_id');
  const converted = new Uint8Array(users.count);
  if (onlyConverted)
    input.parts.forEach((part, i) => {
      const conv = required(boolColumn(part.delivery.table, 'is_trial_conversion'), 'is_trial_conversion');
      const of = users.of[i];
      if (!of) return;
      const n = part.rows ? part.rows.length : part.delivery.table.rowCount;
      for (let k = 0; k < n; k++) {
        const r = part.rows ? part.rows[k] : k;
        const u = of[r];
        if (conv[r] === BOOL_TRUE && u >= 0) converted[u] = 1;
      }
    });
  const last = Math.min(per.last, p.asOf! - 1);
  const c = new Collector(input.parts.length);
  input.parts.forEach((part, i) => {
    const t = part.delivery.table;
    const eff = effectiveEnd(t, []);
    const trial = required(boolColumn(t, 'is_trial_period'), 'is_trial_period');
    const n = part.rows ? part.rows.length : t.rowCount;
    for (let k = 0; k < n; k++) {
      const r = part.rows ? part.rows[k] : k;
      if (trial[r] !== BOOL_TRUE) continue;
      const d = dayOf(eff[r]);
      if (!(d >= per.first && d <= last)) continue;
      if (onlyConverted) {
        const u = users.of[i]?.[r] ?? -1;
        if (u < 0 || !converted[u]) continue;
      }
      c.add(i, r);
    }
  });
  const when = span({ first: per.first, last });
  return c.done(`${m.title}: trials ending ${when}${onlyConverted ? ' whose customer converted' : ''}`);
}

function retentionRows(m: Measure, input: MeasureInput, p: MeasureParams, point: PointRef): RowSet {
  const first = parseDay(point.period);
  if (first === null || point.product === undefined || point.duration === undefined || point.periodNumber === undefined)
    throw refuse('A retention cell is a cohort day, a product, a duration and a period number');
  const c = new Collector(input.parts.length);
  retention(input, p, new Tally(), (part, row, cohort, product, duration, period) => {
    if (cohort === first && product === point.product && duration === point.duration && period === point.periodNumber)
      c.add(part, row);
  });
  return c.done(
    `${m.title}: cohort ${point.period}, ${point.product} (${point.duration}), period ${point.periodNumber}`,
  );
}

/** The rows behind one point of `measure` run with `req` (the chart's request). */
export function measureRows(m: Measure, input: MeasureInput, req: MeasureRequest, point: PointRef): RowSet {
  const { params } = resolveParams(m, input, req);
  if (m.snapshot) return snapshotRows(m, input, params, point);
  switch (m.name) {
    case 'active-subscriptions-movement':
    case 'mrr-movement':
      return movementRows(m, input, params, point);
    case 'revenue':
    case 'weekly-revenue':
      return revenueRows(m, input, params, point);
    case 'trial-conversion-rate':
      return trialRows(m, input, params, point);
    case 'subscription-retention':
      return retentionRows(m, input, params, point);
    default:
      throw refuse(`${m.title} has no rows to show for one value`);
  }
}

/** The first day any transaction starts on (the start of the export's own span), null for no rows. */
export function firstStartDay(input: MeasureInput): number | null {
  let first = Infinity;
  for (const p of input.parts) {
    const v = timeColumn(p.delivery.table, 'start_time');
    if (!v) continue;
    const n = p.rows ? p.rows.length : v.length;
    for (let k = 0; k < n; k++) {
      const x = v[p.rows ? p.rows[k] : k];
      if (x < first) first = x;
    }
  }
  return first === Infinity ? null : dayOf(first);
}

/** A row set as the files it comes from: each file with rows in it, and its rows. */
export function rowsByFile(set: RowSet, input: MeasureInput): { file: string; rows: Uint32Array }[] {
  return input.parts
    .map((p, i) => {
      const origin = p.delivery.origin?.rows;
      // rows of a table merging compacted are numbered as in the file
      return { file: p.delivery.file, rows: origin ? set.parts[i].map((r) => origin[r]) : set.parts[i] };
    })
    .filter((f) => f.rows.length > 0);
}
