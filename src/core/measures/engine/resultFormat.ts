/** A measure's result as an aligned text table: the CLI prints it, the extension writes it to its output channel. */
import type { MeasureName, MeasureResult, RevenueValue } from './types';

export interface Timings {
  /** Loading the files, when they were loaded for this run. */
  readonly loadMs?: number;
  readonly mergeMs?: number;
  /** Show at most this many table rows: the first and last ones, the middle folded (default: all). */
  readonly fold?: number;
}

const count = (n: number) => n.toLocaleString('en-US');

/** Sums: as computed, thousands grouped, at most 6 decimals (JSON has every digit); null as SQL shows it. */
export function amount(x: number | null): string {
  return x === null ? 'NULL' : x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 6 });
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
}

/** Rows of cells → lines with every column padded to its widest cell (numbers right-aligned). */
export function align(rows: readonly (readonly string[])[], indent = '  '): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map(
    (r) =>
      indent +
      r
        .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
        .join('   ')
        .trimEnd(),
  );
}

/** The value each `!=` condition of the documented queries excludes. */
const EXCLUDED: Record<string, string> = { ownership_type: 'FAMILY_SHARED', store: 'promotional', is_sandbox: 'true' };

const REVENUE_KEYS: (keyof RevenueValue)[] = [
  'gross_revenue',
  'revenue_net_of_refunds',
  'revenue_net_of_taxes',
  'proceeds',
];

function cellText(c: Cell, kind: CellKind): string {
  if (c === null) return 'NULL';
  if (typeof c === 'number') {
    if (kind === 'money') return amount(c);
    if (kind === 'ratio') return c.toFixed(6);
    return count(c);
  }
  return String(c);
}

/** Series and tables, from the typed table: a header, then the rows (folded past `fold`). */
function tableLines(r: MeasureResult, fold: number | undefined): string[] {
  const t = resultTable(r);
  if (t.rows.length === 0) return ['no rows'];
  const shown: string[][] = t.rows.map((row) => row.map((c, i) => cellText(c, t.columns[i].kind)));
  let folded = 0;
  if (fold !== undefined && shown.length > fold) {
    const head = Math.ceil(fold / 2);
    folded = shown.length - fold;
    shown.splice(head, folded, [`… ${count(folded)} more rows …`]);
  }
  return align([t.columns.map((c) => c.name), ...shown], '');
}

/** Results shaped as a table of several rows: a series, a movement, realized LTV, retention. */
export function isTabular(r: MeasureResult): boolean {
  return Array.isArray(r.value) || r.params.resolution !== undefined;
}

function valueLines(r: MeasureResult, fold?: number): string[] {
  if (isTabular(r)) return tableLines(r, fold);
  const v = r.value;
  if (v === null || typeof v === 'number') {
    return [`${r.measure === 'mrr' ? amount(v) : v === null ? 'NULL' : count(v)}`];
  }
  if (r.measure === 'revenue' && 'proceeds' in v) {
    return align(
      REVENUE_KEYS.map((k) => [k, amount((v as RevenueValue)[k])]),
      '',
    );
  }
  if (r.measure === 'revenue') {
    const days = v as Record<string, RevenueValue>;
    return align(
      [
        ['day', ...REVENUE_KEYS],
        ...Object.entries(days).map(([d, x]) => [d, ...REVENUE_KEYS.map((k) => amount(x[k]))]),
      ],
      '',
    );
  }
  if (r.measure === 'currency-flow') {
    const rows = Object.entries(v as Record<string, Record<string, number | null>>);
    if (rows.length === 0) return ['no adjustments in the range'];
    const n = (x: number | null) => (x === null ? 'NULL' : count(x));
    return align(
      [
        ['day · currency · transaction_type', 'credits', 'debits'],
        ...rows.map(([k, x]) => [k, n(x.credits), n(x.debits)]),
      ],
      '',
    );
  }
  if (r.measure === 'weekly-revenue') {
    const weeks = Object.entries(v as Record<string, number | null>);
    if (weeks.length === 0) return ['no revenue rows in the range'];
    return align([['week of (Monday)', 'total_revenue'], ...weeks.map(([w, x]) => [w, amount(x)])], '');
  }
  return align(
    Object.entries(v as Record<string, number | null>).map(([k, x]) => [k, x === null ? 'unknown' : count(x)]),
    '',
  );
}

/** The rows left out for values no SQL load reads: one fact, by column, with the first such cell. */
function unreadableFacts(r: MeasureResult): [string, string][] {
  const cols = Object.entries(r.unreadable);
  if (cols.length === 0) return [];
  const text = cols
    .map(
      ([c, u]) =>
        `${count(u.rows)} with an unreadable ${c} (first: ${JSON.stringify(u.first.value)} at row ${count(u.first.row)}${r.files.length > 1 ? ` of ${u.first.file}` : ''})`,
    )
    .join('; ');
  return [['unreadable', `rows left out: ${text}`]];
}

export function formatResult(r: MeasureResult, t: Timings = {}): string {
  const p = r.params;
  const source = p.dateSource ? ` (the export's date, from its ${p.dateSource})` : '';
  const params: [string, string][] = [];
  if (p.date) params.push(['date', `${p.date}${source}`]);
  if (p.from && p.to)
    params.push(['range', `${p.from} … ${p.to}${p.resolution ? `, by ${p.resolution}` : ''}${source}`]);
  else if (p.from) params.push(['since', p.from]);
  if (p.attribute !== undefined) params.push(['attribute', `${p.attribute} = ${JSON.stringify(p.value)}`]);
  const value = valueLines(r, t.fold);
  const byColumn = Object.entries(r.droppedForNullByColumn)
    .map(([c, n]) => `${count(n)} with NULL ${c}: NULL != '${EXCLUDED[c] ?? '…'}' is not true`)
    .join('; ');
  const time = [`${seconds(r.ms)} measuring`];
  if (t.loadMs !== undefined) time.push(`${seconds(t.loadMs)} loading`);
  if (t.mergeMs !== undefined && r.files.length > 1) time.push(`${seconds(t.mergeMs)} merging`);
  const facts: [string, string][] = [
    ...params,
    ['value', value.length === 1 ? value[0] : ''],
    ['files', r.files.length === 1 ? r.files[0] : `${r.files.length} deliveries, merged`],
    ['rows', `${count(r.rows)} considered`],
    [
      'superseded',
      r.files.length > 1
        ? `${count(r.superseded)} (older versions of the same key, in later deliveries or the same file)`
        : `${count(r.superseded)} (${r.superseded ? 'older versions of the same key within the file' : 'no key repeats in the file'})`,
    ],
    ['dropped for NULL', `${count(r.droppedForNull)}${byColumn ? ` (${byColumn})` : ''}`],
    ...unreadableFacts(r),
    ...(r.notes.length ? [['notes', r.notes.join('; ')] as [string, string]] : []),
    ['variant', r.variant],
    ['time', time.join(', ')],
  ];
  const width = Math.max(...facts.map(([k]) => k.length));
  const lines = [`${r.title} — RevenueCat's sample query ${r.query}`];
  for (const [k, v] of facts) {
    lines.push(`  ${k.padEnd(width)}   ${v}`.trimEnd());
    if (k === 'value' && value.length > 1) lines.push(...value.map((l) => `    ${l}`));
    if (k === 'files' && r.files.length > 1) lines.push(...r.files.map((f) => `    ${f}`));
  }
  return lines.join('\n');
}

/**
 * A measure's result as a typed table: the one shape the text output, the CSV and a chart read.
 * 'series': one row per period, the first column the period's first day (series of point-in-time
 * measures, movements, revenue by day or period); 'rows': the measure's own rows (realized LTV,
 * retention); 'value': a single row (one number, or the parts of one date's value).
 */
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
