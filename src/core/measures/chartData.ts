/**
 * A measure's result as a chart reads it: periods along x and named series of numbers (lines, bars
 * above or below zero), a cohort heatmap, or a table with bars. The same numbers, unrounded, make the
 * table under the chart, so what the chart shows is what the CLI's JSON says.
 */
import { parseDay, periods } from './engine/dates';
import type { MeasureName, MeasureResult, Resolution, RevenueValue, ResultRow } from './engine/types';

export type ChartKind = 'lines' | 'movement' | 'bars' | 'conversion' | 'heatmap' | 'table';
export type Unit = 'count' | 'usd' | 'ratio';

export interface ChartSeries {
  /** The field of the result (the key a drill-down names). */
  readonly key: string;
  readonly label: string;
  readonly values: (number | null)[];
  readonly style: 'line' | 'bar';
  /** Drawn below zero (churn in a movement); the table keeps the result's own sign. */
  readonly below?: boolean;
  /** On the right-hand axis (a rate beside counts). */
  readonly right?: boolean;
}

export interface HeatCell {
  readonly period: number;
  readonly count: number;
  /** count / the cohort's period-0 count (null when that is 0). */
  readonly share: number | null;
}

export interface HeatRow {
  readonly cohort: string;
  readonly product: string;
  readonly duration: string;
  readonly cells: HeatCell[];
}

export interface ChartData {
  readonly kind: ChartKind;
  readonly title: string;
  readonly unit: Unit;
  /** Period keys (YYYY-MM-DD) along x. */
  readonly x: string[];
  readonly series: ChartSeries[];
  readonly heat?: { periods: number[]; rows: HeatRow[] };
  /** A table-shaped result (LTV): its columns and rows as they are. */
  readonly table?: { columns: string[]; rows: (string | number | boolean | null)[][] };
  /**
   * A point-in-time chart by day whose first day is the day before the source's first transaction:
   * every earlier day has that day's values (no row has started on any of them), so a range that
   * begins before it is picked from it too (pickPeriods).
   */
  readonly flatBefore?: boolean;
}

/** The measures a chart can show, in the order its picker lists them (the attribute one needs a key). */
export const CHART_MEASURES: readonly MeasureName[] = [
  'active-subscriptions',
  'active-trials',
  'mrr',
  'active-subscriptions-by-auto-renew',
  'active-trials-by-grace-period',
  'active-subscriptions-with-attribute',
  'active-subscriptions-movement',
  'mrr-movement',
  'revenue',
  'weekly-revenue',
  'trial-conversion-rate',
  'subscription-retention',
  'realized-ltv-segments',
  'realized-ltv-per-paying-customer',
];

/** The longest span a chart covers, in days (the revenue measure's limit for days). */
export const CHART_MAX_DAYS = 3660;

export const REVENUE_KINDS = ['gross_revenue', 'revenue_net_of_refunds', 'revenue_net_of_taxes', 'proceeds'] as const;
export type RevenueKind = (typeof REVENUE_KINDS)[number];

/** A field's name as words for a legend or a table's heading: "new_mrr" → "New MRR", "realized_ltv" → "Realized LTV". */
const ACRONYMS = new Set(['mrr', 'ltv', 'cvr', 'arpu', 'usd', 'id']);
export const words = (k: string): string =>
  k
    .split('_')
    .map((w) => (ACRONYMS.has(w) ? w.toUpperCase() : w))
    .join(' ')
    .replace(/^./, (c) => c.toUpperCase());

const MOVEMENT = {
  'active-subscriptions-movement': ['new_actives', 'renewals', 'expirations', 'churned_actives', 'movement'],
  'mrr-movement': ['new_mrr', 'renewal_mrr', 'expired_mrr', 'churned_mrr', 'movement'],
} as const;

type Series = Record<string, unknown>;

/** The chart of a result. `revenueKind` picks the Revenue bars (the table has all four). */
export function chartData(r: MeasureResult, revenueKind: RevenueKind = 'revenue_net_of_refunds'): ChartData {
  const name = r.measure;
  const title = r.title;
  if (Array.isArray(r.value)) {
    if (name === 'subscription-retention') return heatmap(title, r.value);
    const columns = r.value.length ? Object.keys(r.value[0]) : [];
    return {
      kind: 'table',
      title,
      unit: 'usd',
      x: [],
      series: [],
      table: { columns, rows: r.value.map((row) => columns.map((c) => row[c] ?? null)) },
    };
  }
  const value = (r.value ?? {}) as Series;
  const x = Object.keys(value);
  const field = (k: string) => x.map((p) => num((value[p] as Series | null)?.[k]));
  if (name === 'active-subscriptions-movement' || name === 'mrr-movement') {
    const [n, rn, ex, churn, net] = MOVEMENT[name];
    return {
      kind: 'movement',
      title,
      unit: name === 'mrr-movement' ? 'usd' : 'count',
      x,
      series: [
        { key: n, label: words(n), values: field(n), style: 'bar' },
        { key: churn, label: words(churn), values: field(churn), style: 'bar', below: true },
        { key: net, label: 'Net movement', values: field(net), style: 'line' },
        { key: rn, label: words(rn), values: field(rn), style: 'line' },
        { key: ex, label: words(ex), values: field(ex), style: 'line' },
      ],
    };
  }
  if (name === 'trial-conversion-rate')
    return {
      kind: 'conversion',
      title,
      unit: 'count',
      x,
      series: [
        { key: 'trials_ending', label: 'Trials ending', values: field('trials_ending'), style: 'bar' },
        { key: 'conversions', label: 'Conversions', values: field('conversions'), style: 'bar' },
        { key: 'cvr', label: 'Conversion rate', values: field('cvr'), style: 'line', right: true },
      ],
    };
  if (name === 'revenue') {
    const kinds = [revenueKind, ...REVENUE_KINDS.filter((k) => k !== revenueKind)];
    return {
      kind: 'bars',
      title,
      unit: 'usd',
      x,
      series: kinds.map((k, i) => ({
        key: k,
        label: words(k),
        values: x.map((p) => num((value[p] as RevenueValue | null)?.[k])),
        style: i === 0 ? 'bar' : 'line',
      })),
    };
  }
  if (name === 'weekly-revenue')
    return {
      kind: 'bars',
      title,
      unit: 'usd',
      x,
      series: [{ key: 'revenue', label: 'Revenue', values: x.map((p) => num(value[p])), style: 'bar' }],
    };
  // point-in-time series: one line, or a line per group
  const first = x.length ? value[x[0]] : null;
  const unit: Unit = name === 'mrr' ? 'usd' : 'count';
  if (first !== null && typeof first === 'object') {
    const groups = Object.keys(first);
    return {
      kind: 'lines',
      title,
      unit,
      x,
      series: groups.map((g) => ({ key: g, label: words(g), values: field(g), style: 'line' })),
    };
  }
  return {
    kind: 'lines',
    title,
    unit,
    x,
    series: [{ key: 'value', label: title, values: x.map((p) => num(value[p])), style: 'line' }],
  };
}

/** How many of an attribute key's values the attribute chart draws (the most used first). */
export const ATTRIBUTE_LINES = 5;

/**
 * Active Subscriptions with a custom attribute as a chart: a line per value of the key, each the
 * measure's series for `key` = that value (`lines`: the values, most used first, with their results).
 */
export function attributeChart(key: string, lines: { value: string; result: MeasureResult }[]): ChartData {
  const x = lines.length ? Object.keys(lines[0].result.value ?? {}) : [];
  return {
    kind: 'lines',
    title: `${lines[0]?.result.title ?? 'Active Subscriptions with Custom Attribute'}: ${key}`,
    unit: 'count',
    x,
    series: lines.map(({ value, result }) => {
      const v = (result.value ?? {}) as Series;
      return { key: value, label: value === '' ? '(empty)' : value, values: x.map((p) => num(v[p])), style: 'line' };
    }),
  };
}

/**
 * The days a point-in-time chart is measured on by day for a source whose first transaction starts on
 * `firstDay` and whose export date is `last` (day numbers): from the day before the first transaction
 * (every earlier day has its values: `flatBefore`) to the export's date, CHART_MAX_DAYS at most. A
 * source that spans a year is measured on its year, not on ten: a tenth of the days to send the page.
 */
export function dailySpan(firstDay: number | null, last: number): { from: number; to: number; flatBefore: boolean } {
  const longest = last - (CHART_MAX_DAYS - 1);
  // no transaction starts (or none before the export's date): every day up to it has the same values
  const before = firstDay === null ? last : Math.min(firstDay - 1, last);
  return before >= longest
    ? { from: before, to: last, flatBefore: true }
    : { from: longest, to: last, flatBefore: false };
}

/**
 * A point-in-time chart over a range and resolution, picked from the same chart by day over a span
 * that holds the range (`daily`: every day of it, in order; with `flatBefore`, every day before it
 * too), or null when the span does not hold it. Each period's value is its last day's, as the
 * measure's series takes it; the days' totals are whole numbers (counts, cents), so they do not
 * depend on the range they were summed over, and the pick is the number the measure gives for that
 * request.
 */
export function pickPeriods(daily: ChartData, from: string, to: string, resolution: Resolution): ChartData | null {
  const first = daily.x.length ? parseDay(daily.x[0]) : null;
  const f = parseDay(from);
  const t = parseDay(to);
  if (daily.kind !== 'lines' || first === null || f === null || t === null) return null;
  if ((f < first && !daily.flatBefore) || t > first + daily.x.length - 1 || f > t) return null;
  const list = periods(f, t, resolution);
  const { flatBefore: _, ...chart } = daily;
  return {
    ...chart,
    x: list.map((p) => p.key),
    series: daily.series.map((s) => ({ ...s, values: list.map((p) => s.values[Math.max(0, p.last - first)]) })),
  };
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** Retention rows → one row per cohort (day, product, duration), its counts per period and shares of period 0. */
function heatmap(title: string, rows: ResultRow[]): ChartData {
  const by = new Map<string, { cohort: string; product: string; duration: string; counts: Map<number, number> }>();
  const periods = new Set<number>();
  for (const r of rows) {
    const key = `${String(r.first_start_date)}|${String(r.product_identifier)}|${String(r.product_duration)}`;
    let row = by.get(key);
    if (!row)
      by.set(
        key,
        (row = {
          cohort: String(r.first_start_date),
          product: String(r.product_identifier),
          duration: String(r.product_duration),
          counts: new Map(),
        }),
      );
    const p = Number(r.period_number);
    periods.add(p);
    row.counts.set(p, Number(r.subscriptions));
  }
  // the cohort's own periods first (start, +1, …); a transaction the query places before its cohort's
  // first day (another duration of the same product) gets a negative period, listed after them
  const list = [...periods].sort((a, b) => (a < 0 !== b < 0 ? (a < 0 ? 1 : -1) : a - b));
  const out: HeatRow[] = [...by.values()]
    .sort((a, b) => (a.cohort < b.cohort ? -1 : a.cohort > b.cohort ? 1 : a.product < b.product ? -1 : 1))
    .map((row) => {
      const base = row.counts.get(0) ?? 0;
      return {
        cohort: row.cohort,
        product: row.product,
        duration: row.duration,
        cells: [...row.counts.entries()]
          .sort((a, b) => a[0] - b[0])
          .map(([period, count]) => ({ period, count, share: base ? count / base : null })),
      };
    });
  return { kind: 'heatmap', title, unit: 'count', x: [], series: [], heat: { periods: list, rows: out } };
}

/** The table under a chart as CSV (the numbers as the result has them). */
export function chartCsv(d: ChartData): string {
  const cell = (v: string | number | boolean | null) => {
    const s = v === null ? '' : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines: (string | number | boolean | null)[][] = [];
  if (d.table) lines.push(d.table.columns, ...d.table.rows);
  else if (d.heat) {
    lines.push([
      'first_start_date',
      'product_identifier',
      'product_duration',
      'period_number',
      'subscriptions',
      'share',
    ]);
    for (const r of d.heat.rows)
      for (const c of r.cells) lines.push([r.cohort, r.product, r.duration, c.period, c.count, c.share]);
  } else {
    lines.push(['period', ...d.series.map((s) => s.key)]);
    d.x.forEach((p, i) => lines.push([p, ...d.series.map((s) => s.values[i])]));
  }
  return lines.map((l) => l.map(cell).join(',')).join('\n') + '\n';
}
