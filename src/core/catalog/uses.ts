/**
 * What each column is needed for: the measures that cannot run without it, the measures whose
 * filters change without it, and the checks that are off without it. A delivery with a column
 * selection gets one line saying what its missing columns disable, from this table.
 */

/** Measures (by title) that read a column and stop without it. */
const MEASURES_NEED: readonly (readonly [string, readonly string[]])[] = [
  ['start_time', ['every transaction measure']],
  ['is_trial_period', ['every transaction measure']],
  [
    'end_time',
    [
      'Active Subscriptions',
      'Active Trials',
      'MRR',
      'the auto-renew, attribute and grace-period measures',
      'Active Subscriptions Movement',
      'MRR Movement',
      'Subscription Retention',
    ],
  ],
  ['price_in_usd', ['MRR', 'MRR Movement']],
  ['unsubscribe_detected_at', ['Active Subscriptions by Auto-Renew Status']],
  ['custom_subscriber_attributes', ['Active Subscriptions with Custom Attribute']],
  [
    'rc_original_app_user_id',
    ['Subscription Retention', 'Realized LTV per Paying Customer', 'Trial Conversion Rate', 'Currency Balance'],
  ],
  ['product_identifier', ['Subscription Retention']],
  ['original_store_transaction_id', ['Realized LTV Segments']],
  ['is_trial_conversion', ['Trial Conversion Rate']],
  ['adjustment_amount', ['Currency Balance', 'Currency Flow']],
  ['event_timestamp', ['Currency Balance', 'Currency Flow']],
  ['currency_code', ['Currency Balance', 'Currency Flow']],
  ['transaction_type', ['Currency Flow']],
];

/** What a column's absence changes or turns off without stopping anything. */
const CHANGES: readonly (readonly [string, string])[] = [
  ['effective_end_time', 'the subscription measures use end_time in its place'],
  ['ownership_type', 'measures do not exclude family-shared rows'],
  ['store', 'measures do not exclude promotional rows'],
  ['is_sandbox', 'measures do not exclude sandbox rows'],
  ['purchase_price_in_usd', 'Revenue has no gross revenue'],
  ['tax_percentage', 'Revenue has no net of taxes or proceeds'],
  ['commission_percentage', 'Revenue has no proceeds'],
  ['grace_period_end_time', 'no trial shows as in a grace period'],
  ['store_transaction_id', 'versions of one transaction are not reduced to the latest'],
  ['renewal_number', 'versions of one transaction are told apart by store_transaction_id alone'],
  ['renewal_number', 'the movement measures count only trial conversions as new and nothing as a renewal'],
  [
    'is_trial_conversion',
    'the movement measures count only first transactions (renewal_number 1) as new and nothing as a renewal',
  ],
  ['product_duration', 'MRR normalises by the length in days; Subscription Retention reads durations from the data'],
  ['billing_issues_detected_at', 'Subscription Retention keeps rows with billing issues'],
  ['refunded_at', 'Realized LTV per Paying Customer counts refunded transactions as paid'],
  ['updated_at', 'the latest version of a transaction is the one in the later delivery'],
  ['idempotency_key', 'repeated adjustments are not reduced to one'],
  ['refunded_at', 'the refund checks are off'],
  ['is_auto_renewable', 'the end-time-renewable check is off'],
];

/** One sentence on what the absence of `missing` disables, or '' when nothing depends on them. */
export function missingColumnsEffect(missing: readonly string[]): string {
  const set = new Set(missing);
  const stopped = new Set<string>();
  for (const [column, measures] of MEASURES_NEED) if (set.has(column)) for (const m of measures) stopped.add(m);
  const changed = CHANGES.filter(([column]) => set.has(column)).map(([, what]) => what);
  const parts: string[] = [];
  if (stopped.size) parts.push(`cannot run without them: ${[...stopped].join(', ')}`);
  if (changed.length) parts.push(changed.join('; '));
  return parts.join('. ');
}
