/**
 * The measures, by name, and how a request becomes a result: parameters checked and defaulted (the
 * date defaults to the export's own date, never the clock), the measure run over the transactions,
 * and the facts around the number (files, rows, merge, NULL drops, variant, time).
 *
 * Room src/core/measures: the measures, one file per measure, and this registry.
 * May import: src/core, src/core/catalog, src/core/load, src/core/measures/engine.
 */
import { activeSubscriptions } from './activeSubscriptions';
import { activeSubscriptionsMovement } from './activeSubscriptionsMovement';
import { activeTrials } from './activeTrials';
import { activeSubscriptionsByAutoRenew } from './autoRenew';
import { currencyBalance } from './currencyBalance';
import { currencyFlow } from './currencyFlow';
import { activeSubscriptionsWithAttribute } from './customAttribute';
import { Tally, type Measure } from './engine/measure';
import { resolveParams, type MeasureRequest } from './engine/params';
import { periods } from './engine/dates';
import { snapshots } from './engine/measure';
import { FILTER_COLUMNS, prepareSelect } from './engine/rowFilter';
import { KEY_COLUMNS } from './engine/merge';
import { ExportTable, type TableData } from '../load/table';
import {
  MeasureError,
  type MeasureInput,
  type MeasureName,
  type MeasureResult,
  type MeasureValue,
} from './engine/types';
import { mrr } from './mrr';
import { mrrMovement } from './mrrMovement';
import { realizedLtvPerPayingCustomer } from './realizedLtvPerPayingCustomer';
import { realizedLtvSegments } from './realizedLtvSegments';
import { revenue } from './revenue';
import { subscriptionRetention } from './subscriptionRetention';
import { trialConversionRate } from './trialConversionRate';
import { activeTrialsByGracePeriod } from './trialsGracePeriod';
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
export { exportDate, resolveParams, DEFAULT_RANGE_DAYS, type DateSource, type MeasureRequest } from './engine/params';
export type { Resolution, ResultRow } from './engine/types';
export { RESOLUTIONS } from './engine/types';
export { KeyFold } from './engine/fold';
export { mergeDeliveries } from './engine/merge';

export const MEASURES: readonly Measure[] = [
  activeSubscriptions,
  activeTrials,
  revenue,
  mrr,
  activeSubscriptionsByAutoRenew,
  activeSubscriptionsWithAttribute,
  weeklyRevenue,
  activeTrialsByGracePeriod,
  activeSubscriptionsMovement,
  mrrMovement,
  subscriptionRetention,
  realizedLtvSegments,
  realizedLtvPerPayingCustomer,
  trialConversionRate,
  currencyBalance,
  currencyFlow,
];

export const MEASURE_NAMES = MEASURES.map((m) => m.name);

/**
 * The columns a measure reads (its own, the row filter's and the merge key's), or null when it may
 * read any: a Parquet delivery then decodes only these.
 */
export function columnsFor(name: string): string[] | null {
  const reads = measureByName(name)?.reads;
  return reads ? [...new Set([...FILTER_COLUMNS, ...KEY_COLUMNS, ...reads])] : null;
}

export function measureByName(name: string): Measure | undefined {
  return MEASURES.find((m) => m.name === name);
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
  let value: MeasureValue;
  if (measure.snapshot && params.resolution !== undefined) {
    // a series: each period's value as of its last day, all in one pass
    const list = periods(params.from!, params.to!, params.resolution);
    const at = snapshots(
      measure.snapshot,
      feedInput,
      params,
      params.from!,
      params.to!,
      list.map((p) => p.last),
      tally,
    );
    const series: Record<string, MeasureValue> = {};
    list.forEach((p, i) => (series[p.key] = at[i]));
    value = series as MeasureValue;
  } else value = measure.compute(feedInput, params, tally);
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

/** The first `rows` rows of a table, as a table of their own (the same bytes, the vectors cut short). */
function firstRows(data: TableData, rows: number): ExportTable {
  const cut = <T extends { subarray(a: number, b: number): T }>(a: T, n: number) => a.subarray(0, n);
  return new ExportTable({
    ...data,
    rowCount: rows,
    vectors: data.vectors.map((v) => v && { ...v, data: cut(v.data, v.kind === 'span' ? 2 * rows : rows) }),
    ...(data.textKeys ? { textKeys: data.textKeys.map((k) => k && { ...k, codes: cut(k.codes, rows) }) } : {}),
    ...(data.unreadable
      ? {
          unreadable: Object.fromEntries(
            Object.entries(data.unreadable).map(([c, list]) => [c, list.filter((r) => r < rows)]),
          ),
        }
      : {}),
  });
}

/** The measures a warm-up runs: those whose loops every other measure's share, and no per-customer keys. */
const WARM: readonly [Measure, MeasureRequest][] = [
  [activeSubscriptionsMovement, {}],
  [mrrMovement, {}],
  [activeSubscriptions, {}],
  [activeSubscriptions, { resolution: 'month' }],
];

/**
 * Runs a few measures over the first rows of the input's first delivery, a dozen times each, so that
 * the engine compiles the loops the measures share (the row filter, the movement and snapshot
 * sums) before a real request, whose first run would otherwise pay for it. For a table that
 * stays open (the editor's). One step per measure run: a worker runs them between its messages.
 */
export function* warmUpSteps(input: MeasureInput): Generator<void> {
  const part = input.parts[0];
  if (!part) return;
  const rows = Math.min(4096, part.delivery.table.rowCount);
  const delivery = { ...part.delivery, table: firstRows(part.delivery.table.data, rows) };
  const small: MeasureInput = { parts: [{ delivery, rows: null }], superseded: 0 };
  for (const p of input.parts) {
    prepareSelect(p.delivery.table);
    yield;
  }
  for (let i = 0; i < 12; i++)
    for (const [m, req] of WARM) {
      try {
        runMeasure(m, small, req);
      } catch {
        // a measure this export cannot answer: nothing to compile
      }
      yield;
    }
}

/** The whole warm-up at once; the ms it took. */
export function warmUp(input: MeasureInput): number {
  const t0 = performance.now();
  for (const _ of warmUpSteps(input));
  return performance.now() - t0;
}
