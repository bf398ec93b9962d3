/**
 * The columns each measure reads, so a delivery that can be read column by column (Parquet) decodes
 * only those. A measure not listed here reads every column. The merge's key columns are always read.
 */
import type { MeasureName } from './types';

/** What the shared row filter reads (rowFilter.ts), end_time standing in for effective_end_time. */
const FILTER = [
  'start_time',
  'end_time',
  'effective_end_time',
  'is_trial_period',
  'ownership_type',
  'store',
  'is_sandbox',
];
/** A transaction's identity and version (merge.ts), and the dates the export's own date comes from. */
const MERGE = ['store_transaction_id', 'renewal_number', 'updated_at'];

const NEEDS: Partial<Record<MeasureName, readonly string[]>> = {
  'active-subscriptions': FILTER,
  'active-trials': FILTER,
  revenue: [
    ...FILTER,
    'price_in_usd',
    'purchase_price_in_usd',
    'tax_percentage',
    'commission_percentage',
    'refunded_at',
  ],
  mrr: [...FILTER, 'price_in_usd', 'is_in_intro_offer_period', 'product_duration'],
  'active-subscriptions-by-auto-renew': [...FILTER, 'unsubscribe_detected_at', 'unsubscribe_registered_at'],
  'active-subscriptions-with-attribute': [...FILTER, 'custom_subscriber_attributes'],
  'weekly-revenue': [...FILTER, 'price_in_usd'],
  'active-trials-by-grace-period': [...FILTER, 'grace_period_end_time'],
};

/** The columns `measure` reads, or null when it may read any. */
export function columnsFor(measure: string): string[] | null {
  const own = NEEDS[measure as MeasureName];
  return own ? [...new Set([...own, ...MERGE])] : null;
}
