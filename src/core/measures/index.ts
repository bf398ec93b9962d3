/**
 * The measures, by name, and how a request becomes a result: parameters checked and defaulted (the
 * date defaults to the export's own date, never the clock), the measure run over the transactions,
 * and the facts around the number (files, rows, merge, NULL drops, variant, time).
 *
 * Room src/core/measures: the measures, one file per measure, and this registry.
 * May import: src/core, src/core/catalog, src/core/load, src/core/measures/engine.
 */
import { exportTimeFromName } from '../catalog/naming';
import { activeSubscriptions } from './activeSubscriptions';
import { activeTrials } from './activeTrials';
import { activeSubscriptionsByAutoRenew } from './autoRenew';
import { currencyBalance } from './currencyBalance';
import { currencyFlow } from './currencyFlow';
import { timeColumn } from './engine/columns';
import { activeSubscriptionsWithAttribute } from './customAttribute';
import { dayOf, formatDay, parseDay, weekStart } from './engine/dates';
import { Tally, type Measure } from './engine/measure';
import { mrr } from './mrr';
import { revenue } from './revenue';
import { activeTrialsByGracePeriod } from './trialsGracePeriod';
import {
  MeasureError,
  type MeasureInput,
  type MeasureName,
  type MeasureParams,
  type MeasureResult,
} from './engine/types';
import { weeklyRevenue } from './weeklyRevenue';

export { MeasureError } from './engine/types';
export type {
  Delivery,
  MeasureInput,
  MeasureName,
  MeasureResult,
  MeasureValue,
  Part,
  RevenueValue,
} from './engine/types';
export type { Measure } from './engine/measure';

export const MEASURES: readonly Measure[] = [
  activeSubscriptions,
  activeTrials,
  revenue,
  mrr,
  activeSubscriptionsByAutoRenew,
  activeSubscriptionsWithAttribute,
  weeklyRevenue,
  activeTrialsByGracePeriod,
  currencyBalance,
  currencyFlow,
];

export const MEASURE_NAMES = MEASURES.map((m) => m.name);

export function measureByName(name: string): Measure | undefined {
  return MEASURES.find((m) => m.name === name);
}

/** What the user asked, as text (from the CLI or an input box). */
export interface MeasureRequest {
  readonly date?: string;
  readonly from?: string;
  readonly to?: string;
  readonly key?: string;
  readonly value?: string;
}

export type DateSource = 'file name' | 'latest updated_at' | 'latest start_time';

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
  const params: { -readonly [K in keyof MeasureParams]: MeasureParams[K] } = {};
  if (measure.takes === 'range' || (measure.takes === 'date-or-range' && ranged)) {
    if (req.date !== undefined)
      throw new MeasureError(
        `${measure.title} takes --from and --to${measure.takes === 'range' ? '' : ', or --date'}, not both`,
        'request',
      );
    if (measure.takes === 'date-or-range' && (req.from === undefined || req.to === undefined)) {
      throw new MeasureError(`${measure.title} over a range needs both --from and --to`, 'request');
    }
    params.to = req.to !== undefined ? day(req.to, '--to') : defaultDay();
    // by default the twelve weeks up to the export's date
    params.from = req.from !== undefined ? day(req.from, '--from') : weekStart(params.to) - 77;
    if (params.from > params.to)
      throw new MeasureError(`--from ${formatDay(params.from)} is after --to ${formatDay(params.to)}`, 'request');
    shown.from = formatDay(params.from);
    shown.to = formatDay(params.to);
  } else {
    if (ranged)
      throw new MeasureError(`${measure.title} is measured on one date: use --date, not --from/--to`, 'request');
    params.date = req.date !== undefined ? day(req.date, '--date') : defaultDay();
    shown.date = formatDay(params.date);
  }
  if (measure.takes === 'attribute') {
    if (!req.key)
      throw new MeasureError(`${measure.title} needs an attribute and a value (--attribute key=value)`, 'request');
    params.key = req.key;
    params.value = req.value ?? '';
    shown.attribute = req.key;
    shown.value = params.value;
  } else if (req.key !== undefined) {
    throw new MeasureError(`${measure.title} takes no attribute`, 'request');
  }
  if (fallback) shown.dateSource = (fallback as { source: DateSource }).source;
  return { params, shown };
}

/** The deliveries of the measure's feed, and what was skipped (another feed's deliveries) or merged. */
function inputFor(measure: Measure, input: MeasureInput): { feedInput: MeasureInput; notes: string[] } {
  const notes = [...(input.notes ?? [])];
  if ((measure.feed ?? 'transactions') === 'in-app-currency') {
    if (!input.currency)
      throw new MeasureError(
        `${measure.title} measures the In-App Currency feed, and none of the files is one of its deliveries`,
      );
    if (input.parts.length)
      notes.push(`${input.parts.length} Transactions ${input.parts.length === 1 ? 'delivery' : 'deliveries'} skipped`);
    return { feedInput: { parts: input.currency.parts, superseded: input.currency.superseded }, notes };
  }
  const iac = input.currency ? input.currency.parts.length + input.currency.setAside.length : 0;
  const currencyNotes = input.currency ? notes.filter((n) => n.startsWith('In-App Currency deliveries')) : [];
  const own = notes.filter((n) => !currencyNotes.includes(n));
  if (input.parts.length === 0)
    throw new MeasureError(
      iac
        ? `${measure.title} measures transactions, and the files are In-App Currency deliveries (use currency-balance or currency-flow)`
        : `${measure.title} has no transactions to measure`,
    );
  if (iac)
    own.push(
      `${iac} In-App Currency ${iac === 1 ? 'delivery' : 'deliveries'} skipped: transaction measures read the Transactions feed`,
    );
  return { feedInput: { parts: input.parts, superseded: input.superseded }, notes: own };
}

export function runMeasure(name: MeasureName | Measure, input: MeasureInput, req: MeasureRequest): MeasureResult {
  const measure = typeof name === 'string' ? measureByName(name) : name;
  if (!measure)
    throw new MeasureError(
      `Unknown measure ${typeof name === 'string' ? name : name.name}; one of ${MEASURE_NAMES.join(', ')}`,
      'request',
    );
  const t0 = performance.now();
  const { feedInput, notes } = inputFor(measure, input);
  const { params, shown } = resolveParams(measure, feedInput, req);
  const tally = new Tally();
  const value = measure.compute(feedInput, params, tally);
  const ms = performance.now() - t0;
  let rows = 0;
  for (const p of feedInput.parts) rows += p.rows ? p.rows.length : p.delivery.table.rowCount;
  return {
    measure: measure.name,
    title: measure.title,
    query: measure.query,
    params: shown,
    value,
    files: feedInput.parts.map((p) => p.delivery.file),
    rows,
    superseded: feedInput.superseded,
    droppedForNull: tally.droppedForNull,
    droppedForNullByColumn: tally.droppedForNullByColumn,
    unreadable: tally.unreadable,
    notes,
    variant: tally.variant(feedInput.parts),
    ms,
  };
}
