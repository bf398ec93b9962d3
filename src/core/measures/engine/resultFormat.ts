/** A measure's result as an aligned text table: the CLI prints it, the extension writes it to its output channel. */
import { resultTable, type Cell, type CellKind } from './resultTable';
import type { MeasureResult, RevenueValue } from './types';

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
        ? `${count(r.superseded)} (older versions of transactions in later deliveries)`
        : '0 (one file, nothing merged)',
    ],
    ['dropped for NULL', `${count(r.droppedForNull)}${byColumn ? ` (${byColumn})` : ''}`],
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
