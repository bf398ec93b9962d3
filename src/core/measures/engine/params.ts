/**
 * A request (text from the CLI or an input box) → a measure's parameters: dates checked, defaults
 * filled. The as-of date A is `--date`, else the export's own date (never the clock). A range runs
 * from `from` to `to` inclusive, by default the 90 days up to A; a point-in-time measure given a
 * range (or a resolution) becomes a series of snapshots.
 */
import { exportTimeFromName } from '../../catalog/naming';
import { timeColumn } from './columns';
import { dayOf, formatDay, parseDay, weekStart } from './dates';
import type { Measure } from './measure';
import { MeasureError, RESOLUTIONS, type MeasureInput, type MeasureParams, type Resolution } from './types';

/** What the user asked, as text (from the CLI or an input box). */
export interface MeasureRequest {
  readonly date?: string;
  readonly from?: string;
  readonly to?: string;
  readonly key?: string;
  readonly value?: string;
  /** day, week or month. */
  readonly resolution?: string;
}

export type DateSource = 'file name' | 'latest updated_at' | 'latest start_time';

/** Days in a range by default: the 90 days up to its last. */
export const DEFAULT_RANGE_DAYS = 90;

/**
 * The export's own date: the timestamp in the newest file name, else the latest updated_at, else the
 * latest start_time (UTC days). null for an input without a single dated row.
 */
export function exportDate(input: MeasureInput): { day: number; source: DateSource } | null {
  let named = -Infinity;
  for (const p of input.parts) named = Math.max(named, exportTimeFromName(p.delivery.file) ?? -Infinity);
  if (named > -Infinity) return { day: Math.floor(named / 86400), source: 'file name' };
  for (const [column, source] of [
    ['updated_at', 'latest updated_at'],
    ['start_time', 'latest start_time'],
  ] as const) {
    let latest = -Infinity;
    for (const p of input.parts) {
      const v = timeColumn(p.delivery.table, column);
      if (!v) continue;
      const n = p.rows ? p.rows.length : v.length;
      for (let k = 0; k < n; k++) {
        const x = v[p.rows ? p.rows[k] : k];
        if (x > latest) latest = x;
      }
    }
    if (latest > -Infinity) return { day: dayOf(latest), source };
  }
  return null;
}

function day(text: string, what: string): number {
  const d = parseDay(text);
  if (d === null)
    throw new MeasureError(`${what} must be a date written YYYY-MM-DD, not ${JSON.stringify(text)}`, 'request');
  return d;
}

/** Checks a request against what the measure takes and fills the defaults. */
export function resolveParams(
  measure: Measure,
  input: MeasureInput,
  req: MeasureRequest,
): { params: MeasureParams; shown: Record<string, string> } {
  const ranged = req.from !== undefined || req.to !== undefined;
  const shown: Record<string, string> = {};
  let fallback: { day: number; source: DateSource } | null = null;
  const defaultDay = (): number => {
    fallback ??= exportDate(input);
    if (!fallback)
      throw new MeasureError(
        'No date given, and the export has no date of its own (no timestamp in the file name and no rows)',
      );
    return fallback.day;
  };
  const asOf = (): number => (req.date !== undefined ? day(req.date, '--date') : defaultDay());
  const params: { -readonly [K in keyof MeasureParams]: MeasureParams[K] } = {};
  const kind = measure.takes;
  const title = measure.title;
  let resolution: Resolution | undefined;
  if (req.resolution !== undefined) {
    if (!(RESOLUTIONS as readonly string[]).includes(req.resolution))
      throw new MeasureError(`--resolution is day, week or month, not ${JSON.stringify(req.resolution)}`, 'request');
    resolution = req.resolution as Resolution;
  }
  const series = measure.snapshot !== undefined && (ranged || resolution !== undefined);
  const range = (fromDefault: (to: number) => number) => {
    params.to = req.to !== undefined ? day(req.to, '--to') : asOf();
    params.from = req.from !== undefined ? day(req.from, '--from') : fromDefault(params.to);
    if (params.from > params.to)
      throw new MeasureError(`--from ${formatDay(params.from)} is after --to ${formatDay(params.to)}`, 'request');
    shown.from = formatDay(params.from);
    shown.to = formatDay(params.to);
  };
  const lastDays = (to: number) => to - (DEFAULT_RANGE_DAYS - 1);
  const noResolution = () => {
    if (resolution !== undefined) throw new MeasureError(`${title} takes no --resolution`, 'request');
  };

  if (series || kind === 'movement') {
    range(lastDays);
    params.resolution = resolution ?? 'day';
    shown.resolution = params.resolution;
    if (kind === 'movement' || req.date !== undefined) {
      params.asOf = asOf();
      shown.date = formatDay(params.asOf);
    }
  } else if (kind === 'range' || (kind === 'date-or-range' && (ranged || resolution !== undefined))) {
    if (req.date !== undefined)
      throw new MeasureError(
        `${title} takes --from and --to${kind === 'range' ? '' : ', or --date'}, not both`,
        'request',
      );
    if (kind === 'date-or-range' && (req.from === undefined || req.to === undefined))
      throw new MeasureError(`${title} over a range needs both --from and --to`, 'request');
    // weekly revenue: by default the twelve weeks up to the export's date
    range((to) => weekStart(to) - 77);
    if (resolution !== undefined) shown.resolution = params.resolution = resolution;
  } else if (kind === 'since') {
    noResolution();
    if (req.to !== undefined)
      throw new MeasureError(`${title} takes --from only (subscriptions since then)`, 'request');
    params.asOf = asOf();
    params.from = req.from !== undefined ? day(req.from, '--from') : params.asOf - 365;
    shown.from = formatDay(params.from);
    if (req.date !== undefined) shown.date = formatDay(params.asOf);
  } else if (kind === 'cohorts') {
    noResolution();
    if (req.date !== undefined) {
      params.asOf = day(req.date, '--date');
      shown.date = formatDay(params.asOf);
    }
    if (ranged) {
      params.from = req.from !== undefined ? day(req.from, '--from') : -Infinity;
      params.to = req.to !== undefined ? day(req.to, '--to') : Infinity;
      if (params.from > params.to)
        throw new MeasureError(`--from ${formatDay(params.from)} is after --to ${formatDay(params.to)}`, 'request');
      if (req.from !== undefined) shown.from = formatDay(params.from);
      if (req.to !== undefined) shown.to = formatDay(params.to);
    }
  } else if (kind === 'retention') {
    noResolution();
    params.asOf = asOf();
    shown.date = formatDay(params.asOf);
    range(lastDays);
  } else {
    noResolution();
    if (ranged) throw new MeasureError(`${title} is measured on one date: use --date, not --from/--to`, 'request');
    params.date = asOf();
    shown.date = formatDay(params.date);
  }
  if (kind === 'attribute') {
    if (!req.key) throw new MeasureError(`${title} needs an attribute and a value (--attribute key=value)`, 'request');
    params.key = req.key;
    params.value = req.value ?? '';
    shown.attribute = req.key;
    shown.value = params.value;
  } else if (req.key !== undefined) {
    throw new MeasureError(`${title} takes no attribute`, 'request');
  }
  if (fallback) shown.dateSource = (fallback as { source: DateSource }).source;
  return { params, shown };
}
