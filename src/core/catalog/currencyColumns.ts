/**
 * The In-App Currency feed (called Virtual Currency until September 2026): its 21 columns, every one
 * nullable, and its one template. Its files land beside the transactions in the same bucket, under
 * `virtual_currency/<date>/virtual_currency_<timestamp>`, and each delivery is a full snapshot.
 */
import { col } from './transactionColumns';
import type { ColumnSpec, TemplateVersion } from './templates';

/** The feed's own columns and its own meaning of the names it shares with Transactions. */
export const CURRENCY_COLUMNS: readonly ColumnSpec[] = [
  col(
    'rc_original_app_user_id',
    'string',
    'iac',
    'The first app user ID RevenueCat saw for the customer holding the balance.',
  ),
  col('rc_last_seen_app_user_id_alias', 'string', 'iac', 'The most recent app user ID alias of the customer.'),
  col(
    'transaction_type',
    'string',
    'iac',
    'What moved the balance: PURCHASE, DEDUCTION, GRANT, REFUND_REMOVAL, expiration or other (written in that mixed case).',
    { enumValues: ['PURCHASE', 'DEDUCTION', 'GRANT', 'REFUND_REMOVAL', 'expiration', 'other'], dictionary: true },
  ),
  col(
    'currency_code',
    'string',
    'iac',
    'The in-app currency adjusted, as configured in RevenueCat (for example `coins`).',
    {
      dictionary: true,
    },
  ),
  col('adjustment_amount', 'integer', 'iac', 'Signed change of the balance: a credit is above 0, a debit below 0.'),
  col('updated_balance', 'integer', 'iac', 'The balance right after this adjustment; never below 0.'),
  col('event_timestamp', 'timestamp', 'iac', 'When the adjustment happened (UTC).'),
  col('updated_at', 'timestamp', 'iac', 'When this row last changed (UTC).'),
  col(
    'idempotency_key',
    'string',
    'iac',
    'Identifies one adjustment: rows repeated across snapshots share it, so deduplicate on it.',
  ),
  col('store', 'string', 'iac', 'Store of the purchase behind the adjustment, when it came from one.', {
    dictionary: true,
  }),
  col('is_sandbox', 'boolean', 'iac', "Whether the adjustment happened in a store's test environment."),
  col('store_transaction_id', 'string', 'iac', "The store's transaction ID of the purchase, when there is one."),
  col('product_identifier', 'string', 'iac', 'Store identifier of the product bought, when there is one.', {
    dictionary: true,
    vector: false,
  }),
  col('price_in_usd', 'float', 'iac', 'Price paid in USD, net of refunds; empty on rows without a store purchase.'),
  col(
    'purchase_price_in_usd',
    'float',
    'iac',
    "The product's catalog price in USD before discounts and refunds (not the gross revenue it is in Transactions).",
  ),
  col('price_in_purchased_currency', 'float', 'iac', 'Price paid in the currency the customer paid in.', {
    vector: false,
  }),
  col(
    'purchase_price_in_purchased_currency',
    'float',
    'iac',
    'Catalog price before discounts and refunds, in the currency the customer paid in.',
    { vector: false },
  ),
  col('purchased_currency', 'string', 'iac', 'ISO 4217 code of the currency the customer paid in.', {
    format: 'currency',
    dictionary: true,
  }),
  col('refund_amount_usd', 'float', 'iac', 'Amount refunded in USD; only on REFUND_REMOVAL rows with a refund.'),
  col(
    'refund_amount_in_purchased_currency',
    'float',
    'iac',
    'Amount refunded in the currency the customer paid in; only on REFUND_REMOVAL rows with a refund.',
    { vector: false },
  ),
  col('refund_type', 'string', 'iac', '`FULL` or `PARTIAL`; only on REFUND_REMOVAL rows with a refund.', {
    enumValues: ['FULL', 'PARTIAL'],
    dictionary: true,
  }),
];

/** Columns only this feed has: a header with one of them is this feed's. */
export const CURRENCY_ONLY = [
  'transaction_type',
  'currency_code',
  'adjustment_amount',
  'updated_balance',
  'event_timestamp',
  'idempotency_key',
  'refund_amount_usd',
  'refund_amount_in_purchased_currency',
  'refund_type',
] as const;

export const CURRENCY_TEMPLATE: TemplateVersion = {
  id: 'iac',
  feed: 'in-app-currency',
  label: 'In-App Currency',
  period: 'from 2025 (Virtual Currency until September 2026)',
  columns: CURRENCY_COLUMNS.map((c) => ({ name: c.name, nullable: true })),
  encodings: { booleans: 'truefalse', arrays: 'json', attributes: 'plain-json', refundZeroesPrice: false },
  toleratesUnknownColumns: true,
  notes: 'Balance adjustments of in-app currencies, one full snapshot per delivery; deduplicate on idempotency_key.',
};
