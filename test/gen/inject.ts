/**
 * Violation injection: which rules apply to a version, on which rows they go, the header transforms,
 * and the cell edits. Rows that carry an injection are standalone "plain" transactions (paid,
 * auto-renewable, complete, no quirk) so the injected violation is the only finding on the row.
 */
import { RULE_IDS, type RuleId } from '../../src/core/catalog/rules';
import { VERSION_IDS, type VersionId } from '../../src/core/catalog/templates';
import type { OutColumn } from './encode';
import type { Plain, Txn } from './model';
import { Rng } from './rng';
import { DAY, HOUR, fmtTs } from './values';

export interface Injected {
  rule: RuleId;
  row: number | null;
  line: number;
  column: string | null;
  value: string | null;
}

const HEADER_RULES: readonly RuleId[] = ['missing-label', 'extra-label', 'duplicate-label', 'label-order'];
/** Rules edited into the record's fields after quoting, not into cells. */
export const FIELD_RULES: readonly RuleId[] = ['extra-cell', 'missing-cell', 'unterminated-quote', 'blank-row'];

export const DROPPED_COLUMN = 'is_sandbox';
export const EXTRA_COLUMN = 'mystery_column';
export const DUPLICATED_COLUMN = 'store';
export const SWAPPED_COLUMN = 'is_trial_period';
export const EXTRA_CELL_VALUE = 'extra_value';

/** Lowest version a rule applies to (1-based); rules not listed apply to all; null: never injected. */
const SINCE: Partial<Record<RuleId, number | null>> = {
  'array-encoding': 2,
  'country-format': 2,
  'effective-end-time': 3,
  'json-error': 4,
  'attribute-shape': 4,
  'duration-format': 4,
  'refund-price': 4,
  'updated-before-start': 4,
  'play-store-invalidated': null, // a documented quirk, present in clean data (~1% of Play rows)
  'experiments-shape': 7,
};

export function applies(rule: RuleId, version: VersionId): boolean {
  const since = SINCE[rule];
  if (since === null) return false;
  return VERSION_IDS.indexOf(version) + 1 >= (since ?? 1);
}

/** What a planned row is: a rule's row, or the earlier row a duplicate-transaction copies. */
export interface RowAction {
  readonly rule: RuleId | 'duplicate-source';
  readonly plain: Plain;
}

export interface Plan {
  readonly rules: ReadonlySet<RuleId>;
  readonly rows: ReadonlyMap<number, RowAction>;
  readonly header: Injected[];
}

function plainFor(rule: RuleId | 'duplicate-source'): Plain {
  if (rule === 'refund-price') return { refund: true };
  if (rule === 'end-before-start') return { store: 'app_store', refund: false };
  return { refund: false };
}

/** Many problems at once: every `every`-th row carries one of `rules` in turn. */
export interface Scatter {
  readonly every: number;
  readonly rules?: readonly RuleId[];
}

const SCATTER_RULES: readonly RuleId[] = [
  'type-error',
  'enum-value',
  'required-value',
  'country-format',
  'currency-format',
  'range-error',
  'refund-price',
];

/** The action of a row that a scatter plants a problem on (rows the plan uses keep theirs). */
export function scatterAction(row: number, scatter: Scatter | undefined, version: VersionId): RowAction | undefined {
  if (!scatter || scatter.every < 1 || row % scatter.every !== 0) return undefined;
  const rules = (scatter.rules ?? SCATTER_RULES).filter(
    (r) =>
      applies(r, version) && !HEADER_RULES.includes(r) && !FIELD_RULES.includes(r) && r !== 'duplicate-transaction',
  );
  if (rules.length === 0) return undefined;
  const rule = rules[(row / scatter.every) % rules.length];
  return { rule, plain: plainFor(rule) };
}

/** Places each applicable rule at its own row, spread over the file (never row 1; the last row only for unterminated-quote). */
export function planInjections(inject: readonly RuleId[], version: VersionId, rows: number, seed: number): Plan {
  const wanted = new Set(inject.filter((r) => applies(r, version)));
  for (const r of inject) if (!RULE_IDS.includes(r)) throw new Error(`generator: unknown rule ${r}`);
  const header: Injected[] = [];
  for (const r of HEADER_RULES) {
    if (!wanted.has(r)) continue;
    const column =
      r === 'missing-label'
        ? DROPPED_COLUMN
        : r === 'extra-label'
          ? EXTRA_COLUMN
          : r === 'duplicate-label'
            ? DUPLICATED_COLUMN
            : SWAPPED_COLUMN;
    header.push({ rule: r, row: null, line: 1, column, value: null });
  }
  const items: (RuleId | 'duplicate-source')[] = [];
  if (wanted.has('duplicate-transaction')) items.push('duplicate-source');
  for (const r of RULE_IDS) if (wanted.has(r) && !HEADER_RULES.includes(r) && r !== 'unterminated-quote') items.push(r);
  const map = new Map<number, RowAction>();
  const needed = items.length + (wanted.has('unterminated-quote') ? 1 : 0);
  if (needed > 0 && rows - 2 < items.length) {
    throw new Error(`generator: ${needed} injected rows need at least ${items.length + 2} rows (got ${rows})`);
  }
  if (wanted.has('unterminated-quote') && rows < 1) throw new Error('generator: unterminated-quote needs a row');
  const rng = new Rng(seed ^ 0x51ed270b);
  const width = items.length ? Math.floor((rows - 2) / items.length) : 0;
  items.forEach((rule, i) => map.set(2 + i * width + rng.int(width), { rule, plain: plainFor(rule) }));
  if (wanted.has('unterminated-quote')) map.set(rows, { rule: 'unterminated-quote', plain: { refund: false } });
  return { rules: wanted, rows: map, header };
}

/** Header transforms, in a fixed order: swap, drop, then the appended columns. */
export function transformHeader(cols: OutColumn[], rules: ReadonlySet<RuleId>): OutColumn[] {
  const out = [...cols];
  if (rules.has('label-order')) {
    const i = out.findIndex((c) => c.name === SWAPPED_COLUMN);
    [out[i], out[i + 1]] = [out[i + 1], out[i]];
  }
  if (rules.has('missing-label'))
    out.splice(
      out.findIndex((c) => c.name === DROPPED_COLUMN),
      1,
    );
  if (rules.has('extra-label'))
    out.push({ name: EXTRA_COLUMN, enc: (t) => 'mx_' + t.renewal + '_' + t.txId.slice(-3), force: false });
  if (rules.has('duplicate-label')) {
    const store = out.find((c) => c.name === DUPLICATED_COLUMN)!;
    out.push({ ...store });
  }
  return out;
}

export interface CellEdit {
  readonly column: string | null;
  readonly value: string | null;
}

/**
 * Edits the cells (unquoted text, in output order) of a row that carries a cell or cross-field rule.
 * `index` maps a column name to its first position; `source` is the row a duplicate copies.
 */
export function editCells(
  rule: RuleId,
  version: VersionId,
  t: Txn,
  cells: (string | null)[],
  index: ReadonlyMap<string, number>,
  rules: ReadonlySet<RuleId>,
  source: Txn | null,
): CellEdit {
  const v = VERSION_IDS.indexOf(version) + 1;
  const set = (column: string, value: string | null): CellEdit => {
    const i = index.get(column);
    if (i === undefined) throw new Error(`generator: ${rule} needs column ${column}`);
    cells[i] = value;
    return { column, value };
  };
  const setIfPresent = (column: string, value: string | null): void => {
    const i = index.get(column);
    if (i !== undefined) cells[i] = value;
  };
  switch (rule) {
    case 'required-value':
      return set('store_transaction_id', null);
    case 'type-error':
      return set('start_time', '2024-13-45 99:00:00');
    case 'boolean-encoding':
      return set(rules.has('missing-label') ? 'is_in_intro_offer_period' : 'is_sandbox', v >= 4 ? 't' : 'true');
    case 'array-encoding':
      return set('entitlement_identifiers', v >= 4 ? '{premium}' : '["premium"]');
    case 'json-error':
      return set('custom_subscriber_attributes', '{"plan": ');
    case 'attribute-shape':
      return set('custom_subscriber_attributes', '{"plan": 1}');
    case 'enum-value':
      return set('store', 'windows_store');
    case 'sample-encoding':
      return set(rules.has('missing-label') ? 'is_in_intro_offer_period' : 'is_sandbox', 'False');
    case 'timestamp-format':
      return set('start_time', fmtTs(t.start).replace(' ', 'T') + 'Z');
    case 'experiments-shape':
      return set('enrolled_experiments_by_layer', '{"default": [{"experiment_id": "prexp1"}]}');
    case 'duration-format':
      return set('product_duration', '1 month');
    case 'currency-format':
      return set('purchased_currency', 'usd');
    case 'country-format':
      return set('country', 'GBR');
    case 'encoding-error':
      return set('product_identifier', `${t.product}\u0000`);
    case 'range-error':
      return set(v >= 3 ? 'tax_percentage' : 'takehome_percentage', '1.5');
    case 'effective-end-time':
      return set('effective_end_time', fmtTs(t.end! - HOUR));
    case 'end-time-renewable':
      setIfPresent('effective_end_time', null);
      return set('end_time', null);
    case 'refund-price':
      return set('price_in_usd', '4.99');
    case 'updated-before-start':
      return set('updated_at', fmtTs(t.start - DAY));
    case 'end-before-start': {
      const end = fmtTs(t.start - DAY);
      setIfPresent('effective_end_time', end);
      return set('end_time', end);
    }
    case 'duplicate-transaction': {
      if (!source) throw new Error('generator: duplicate-transaction without its source row');
      set('renewal_number', String(source.renewal));
      return set('store_transaction_id', source.txId);
    }
    default:
      return { column: null, value: null };
  }
}
