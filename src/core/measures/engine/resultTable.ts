/**
 * A measure's result as a typed table: the one shape the text output, the CSV and a chart read.
 * 'series': one row per period, the first column the period's first day (series of point-in-time
 * measures, movements, revenue by day or period); 'rows': the measure's own rows (realized LTV,
 * retention); 'value': a single row (one number, or the parts of one date's value).
 */
import type { MeasureName, MeasureResult } from './types';

export type CellKind = 'date' | 'count' | 'money' | 'ratio' | 'text' | 'boolean';
export type Cell = string | number | boolean | null;

export interface ResultColumn {
  readonly name: string;
  readonly kind: CellKind;
}

export interface ResultTable {
  readonly shape: 'series' | 'rows' | 'value';
  readonly columns: readonly ResultColumn[];
  readonly rows: readonly (readonly Cell[])[];
}

/** Columns of the table-shaped measures, so an empty result still has its header. */
const ROW_COLUMNS: Partial<Record<MeasureName, readonly string[]>> = {
  'realized-ltv-segments': [
    'subscription_start_month',
    'had_a_trial',
    'subscriptions',
    'realized_ltv',
    'realized_ltv_per_subscription',
  ],
  'realized-ltv-per-paying-customer': [
    'first_purchase_date',
    'paying_customers',
    ...['total', 'avg'].flatMap((k) =>
      ['7_days', '30_days', '6_months', '12_months', '24_months', 'unbounded'].map((w) => `${k}_ltv_${w}`),
    ),
  ],
  'subscription-retention': [
    'first_start_date',
    'product_duration',
    'product_identifier',
    'period_number',
    'period_name',
    'subscriptions',
  ],
};

const MONEY = /revenue|mrr|ltv|proceeds/;

function kindOf(measure: MeasureName, name: string): CellKind {
  if (/_date$|_month$|^period_start$/.test(name)) return 'date';
  if (name === 'cvr') return 'ratio';
  if (name === 'had_a_trial') return 'boolean';
  if (['product_duration', 'product_identifier', 'period_name'].includes(name)) return 'text';
  if (
    MONEY.test(name) ||
    (name === 'value' && MONEY.test(measure)) ||
    (name === 'movement' && measure === 'mrr-movement')
  )
    return 'money';
  return 'count';
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

export function resultTable(r: MeasureResult): ResultTable {
  const v = r.value;
  const col = (name: string): ResultColumn => ({ name, kind: kindOf(r.measure, name) });
  if (Array.isArray(v)) {
    const names = ROW_COLUMNS[r.measure] ?? (v[0] ? Object.keys(v[0]) : []);
    return {
      shape: 'rows',
      columns: names.map(col),
      rows: v.map((row) => names.map((n) => row[n] ?? null)),
    };
  }
  if (v === null || typeof v === 'number') return { shape: 'value', columns: [col('value')], rows: [[v]] };
  const entries = Object.entries(v as Record<string, unknown>);
  const dated = r.params.from !== undefined && entries.every(([k]) => /^\d{4}-\d{2}-\d{2}$/.test(k));
  if (!dated) {
    const names = entries.map(([k]) => k);
    return {
      shape: 'value',
      columns: names.map(col),
      rows: [entries.map(([, x]) => x as Cell)],
    };
  }
  const first = entries.find(([, x]) => x !== null)?.[1];
  const names = isObject(first) ? Object.keys(first) : ['value'];
  return {
    shape: 'series',
    columns: [{ name: 'period_start', kind: 'date' }, ...names.map(col)],
    rows: entries.map(([k, x]) => [
      k,
      ...(isObject(x) ? names.map((n) => (x as Record<string, Cell>)[n] ?? null) : [x as Cell]),
    ]),
  };
}

function csvCell(c: Cell): string {
  if (c === null) return '';
  const s = String(c);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The table as CSV (RFC 4180, a header line, NULL as an empty field, numbers with every digit). */
export function tableCsv(t: ResultTable): string {
  const lines = [t.columns.map((c) => csvCell(c.name)).join(',')];
  for (const row of t.rows) lines.push(row.map(csvCell).join(','));
  return `${lines.join('\n')}\n`;
}
