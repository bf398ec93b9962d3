/**
 * The validator's rules: a stable id (Frictionless Data's vocabulary where one fits), the default
 * severity, the scope and a one-line explanation. Ids never change once published: diagnostics,
 * the CLI's JSON and the documentation link to them.
 */

export type Severity = 'error' | 'warning' | 'information';
export type RuleScope = 'header' | 'row' | 'cell' | 'cross-field' | 'file';

export interface RuleInfo {
  readonly id: RuleId;
  readonly severity: Severity;
  readonly scope: RuleScope;
  readonly title: string;
  /** Reported once per column, with the count and the first row, instead of once per cell. */
  readonly summed?: boolean;
}

const RULE_LIST = [
  // header
  {
    id: 'missing-label',
    severity: 'information',
    scope: 'header',
    title:
      'Columns of the template are not in the header: a column selection, said once with the measures and checks it disables.',
  },
  {
    id: 'extra-label',
    severity: 'warning',
    scope: 'header',
    title: 'The header has a column the template does not document.',
  },
  {
    id: 'duplicate-label',
    severity: 'error',
    scope: 'header',
    title: 'The same column name appears twice in the header.',
  },
  {
    id: 'label-order',
    severity: 'information',
    scope: 'header',
    title: 'Columns are not in the documented order (harmless when you read columns by name).',
  },
  // rows
  { id: 'extra-cell', severity: 'error', scope: 'row', title: 'A record has more fields than the header.' },
  { id: 'missing-cell', severity: 'error', scope: 'row', title: 'A record has fewer fields than the header.' },
  {
    id: 'unterminated-quote',
    severity: 'error',
    scope: 'row',
    title: 'A quoted field is never closed, so the rest of the file is read as one field.',
  },
  { id: 'blank-row', severity: 'warning', scope: 'row', title: 'An empty line between records.' },
  // cells
  { id: 'required-value', severity: 'error', scope: 'cell', title: 'A column that may not be null is empty.' },
  {
    id: 'type-error',
    severity: 'error',
    scope: 'cell',
    title: "A value does not parse as the column's type (timestamp, float or integer).",
  },
  {
    id: 'boolean-encoding',
    severity: 'error',
    scope: 'cell',
    title: 'A boolean is not written the way this template version writes booleans.',
  },
  {
    id: 'array-encoding',
    severity: 'error',
    scope: 'cell',
    title: 'A string array is not written the way this template version writes arrays.',
  },
  { id: 'json-error', severity: 'error', scope: 'cell', title: 'An attribute column does not hold valid JSON.' },
  {
    id: 'attribute-shape',
    severity: 'error',
    scope: 'cell',
    title: 'Attribute JSON is not an object of {"value", "updated_at_ms"} entries.',
  },
  {
    id: 'enum-value',
    severity: 'information',
    scope: 'cell',
    title: 'Values outside the documented set (RevenueCat adds stores and types over time), said once per column.',
    summed: true,
  },
  {
    id: 'sample-encoding',
    severity: 'warning',
    scope: 'cell',
    title:
      "Booleans written True/False or Python-style lists ['a']: how RevenueCat's example data file writes them, not a delivery; said once per column.",
    summed: true,
  },
  {
    id: 'timestamp-format',
    severity: 'warning',
    scope: 'cell',
    title:
      'A timestamp a SQL load reads (unpadded hour, T separator, Z or +00:00) but not in the documented YYYY-MM-DD HH:MM:SS form.',
  },
  {
    id: 'experiments-shape',
    severity: 'error',
    scope: 'cell',
    title:
      'enrolled_experiments_by_layer is not an object of layers, each a list of {"experiment_id", "variant", "enrolled_at"}.',
  },
  { id: 'duration-format', severity: 'error', scope: 'cell', title: 'product_duration is not an ISO 8601 duration.' },
  {
    id: 'currency-format',
    severity: 'warning',
    scope: 'cell',
    title: 'A currency that is not a three-letter ISO 4217 code.',
  },
  {
    id: 'country-format',
    severity: 'warning',
    scope: 'cell',
    title: 'A country that is not a two-letter ISO 3166-1 code.',
  },
  {
    id: 'range-error',
    severity: 'error',
    scope: 'cell',
    title: 'A number outside its range (percentages 0..1, renewal_number from 1).',
  },
  {
    id: 'encoding-error',
    severity: 'warning',
    scope: 'cell',
    title: 'Text values hold NUL bytes or bytes that are not UTF-8 (one warning per column, with the count).',
  },
  // across fields of one row
  {
    id: 'effective-end-time',
    severity: 'warning',
    scope: 'cross-field',
    title: 'effective_end_time is not the later of end_time and grace_period_end_time on a row that was not refunded.',
  },
  {
    id: 'end-time-renewable',
    severity: 'warning',
    scope: 'cross-field',
    title: 'end_time should be empty exactly when the product does not auto-renew.',
  },
  {
    id: 'refund-price',
    severity: 'warning',
    scope: 'cross-field',
    title: 'From v4 a refunded transaction has price_in_usd 0.',
  },
  {
    id: 'updated-before-start',
    severity: 'warning',
    scope: 'cross-field',
    title: 'updated_at is earlier than start_time.',
  },
  {
    id: 'end-before-start',
    severity: 'warning',
    scope: 'cross-field',
    title: 'end_time is before start_time outside Google Play.',
  },
  {
    id: 'play-store-invalidated',
    severity: 'information',
    scope: 'cross-field',
    title: 'Google Play marks an invalidated transaction with end_time before start_time (documented quirk).',
  },
  // across rows, and the file as a whole
  {
    id: 'no-rows',
    severity: 'warning',
    scope: 'file',
    title:
      'The file has a header and no transactions: normal for an incremental delivery with nothing new, unexpected for a full export.',
  },
  {
    id: 'duplicate-transaction',
    severity: 'error',
    scope: 'file',
    title: 'Two rows share store_transaction_id and renewal_number, the identity of a transaction.',
  },
] as const satisfies readonly { id: string; severity: Severity; scope: RuleScope; title: string; summed?: boolean }[];

export type RuleId = (typeof RULE_LIST)[number]['id'];

export const RULES: ReadonlyMap<RuleId, RuleInfo> = new Map(RULE_LIST.map((r) => [r.id, r as RuleInfo]));
export const RULE_IDS: readonly RuleId[] = RULE_LIST.map((r) => r.id);

export function ruleInfo(id: RuleId): RuleInfo {
  return RULES.get(id)!;
}
