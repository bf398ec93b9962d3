/**
 * The Transactions feed's columns: every column RevenueCat has shipped in a transactions export, with
 * its type, its documented values and a short explanation. Which version carries which is versions.ts.
 */
import type { ColumnSpec, ColumnType, TemplateId } from './templates';

/**
 * Store values: the export pages list the first four; RevenueCat's API and webhooks use the rest.
 * A value outside the list is information (stores get added), never a problem per row.
 */
export const STORES: readonly string[] = [
  'app_store',
  'play_store',
  'stripe',
  'promotional',
  'amazon',
  'mac_app_store',
  'rc_billing',
  'roku',
  'paddle',
  'test_store',
  'external',
];

export const col = (
  name: string,
  type: ColumnType,
  since: TemplateId,
  doc: string,
  extra: Partial<Pick<ColumnSpec, 'enumValues' | 'format' | 'dictionary' | 'vector' | 'key'>> = {},
): ColumnSpec => ({ name, type, since, doc, ...extra });

/** Every known column, in the order of the current documentation table. */
export const COLUMNS: readonly ColumnSpec[] = [
  col(
    'rc_original_app_user_id',
    'string',
    'v1',
    "The first app user ID RevenueCat saw for this customer; stable, so it groups all of a customer's transactions.",
    { key: true },
  ),
  col(
    'rc_last_seen_app_user_id_alias',
    'string',
    'v1',
    'The most recent app user ID alias of the customer, handy for joining with your own user IDs.',
  ),
  col(
    'country',
    'string',
    'v2',
    'Two-letter country code. From v4 the store country when the store reports it, otherwise an estimate from the IP address.',
    { format: 'country', dictionary: true },
  ),
  col(
    'country_source',
    'string',
    'v4',
    'Where `country` came from: `from_sdk` (reported by the store) or `estimated` (IP based).',
    { enumValues: ['from_sdk', 'estimated'], dictionary: true },
  ),
  col('product_identifier', 'string', 'v1', 'Store identifier of the product bought.', {
    dictionary: true,
    vector: false,
    key: true,
  }),
  col('product_display_name', 'string', 'v4', 'Display name configured for the product, when there is one.', {
    dictionary: true,
    vector: false,
  }),
  col(
    'product_duration',
    'string',
    'v4',
    'Standard length of the product as an ISO 8601 duration (P1W, P1M, P1Y, ...). Not the trial or intro length; empty when RevenueCat does not know it (some Stripe products).',
    { format: 'duration', dictionary: true },
  ),
  col('start_time', 'timestamp', 'v1', 'When the transaction was purchased (UTC).'),
  col(
    'end_time',
    'timestamp',
    'v1',
    'When the period paid for is expected to expire (UTC). Empty for purchases that do not auto-renew. Google Play may put it before start_time to invalidate a transaction.',
  ),
  col(
    'grace_period_end_time',
    'timestamp',
    'v3',
    'End of the billing grace period, if the subscription entered one; stays set after the grace period ends without a renewal.',
  ),
  col(
    'effective_end_time',
    'timestamp',
    'v3',
    'When access actually ends: the later of end_time and grace_period_end_time, adjusted for refunds and store rules. Use it to decide whether a subscription is active.',
  ),
  col('store', 'string', 'v1', 'Where the purchase happened (app_store, play_store, stripe, rc_billing, ...).', {
    enumValues: STORES,
    dictionary: true,
  }),
  col('is_auto_renewable', 'boolean', 'v1', 'Whether the product renews automatically.'),
  col('is_trial_period', 'boolean', 'v1', 'Whether this transaction is a free trial.'),
  col('is_in_intro_offer_period', 'boolean', 'v1', 'Whether this transaction is in an introductory offer period.'),
  col('is_sandbox', 'boolean', 'v1', "Whether the purchase was made in a store's test (sandbox) environment."),
  col(
    'price_in_usd',
    'float',
    'v1',
    'Revenue of the transaction in USD. From v4 net of refunds, so 0 once refunded. Empty when the price is unknown.',
  ),
  col(
    'purchase_price_in_usd',
    'float',
    'v4',
    'Gross price in USD; unlike price_in_usd it keeps its value after a refund.',
  ),
  col(
    'takehome_percentage',
    'float',
    'v1',
    'Deprecated share of the price paid out to the developer (0.7 or 0.85), before taxes. Prefer tax_percentage and commission_percentage.',
    { format: 'fraction', vector: false },
  ),
  col(
    'tax_percentage',
    'float',
    'v3',
    'Estimated share of the price the store keeps for taxes (VAT, digital services taxes), between 0 and 1.',
    { format: 'fraction' },
  ),
  col(
    'commission_percentage',
    'float',
    'v3',
    'Share of the price the store keeps as commission, between 0 and 1. Lower than the published rate where the store takes tax first.',
    { format: 'fraction' },
  ),
  col(
    'store_transaction_id',
    'string',
    'v1',
    "The store's transaction or order ID. Not unique on its own (Stripe repeats it): pair it with renewal_number.",
  ),
  col(
    'original_store_transaction_id',
    'string',
    'v1',
    'Transaction ID of the first purchase of the subscription; shared by all of its renewals.',
    { key: true },
  ),
  col(
    'refunded_at',
    'timestamp',
    'v1',
    'When a refund was detected; empty when none. Not set for App Store partial refunds on upgrades.',
  ),
  col(
    'unsubscribe_registered_at',
    'timestamp',
    'v1',
    'v1 name of unsubscribe_detected_at: when turning off auto-renew was detected.',
  ),
  col(
    'unsubscribe_detected_at',
    'timestamp',
    'v2',
    'When RevenueCat detected that the customer turned off auto-renew.',
  ),
  col('billing_issues_detected_at', 'timestamp', 'v1', 'When a billing problem was detected; empty when none.'),
  col('purchased_currency', 'string', 'v1', 'ISO 4217 code of the currency the customer paid in.', {
    format: 'currency',
    dictionary: true,
  }),
  col(
    'price_in_purchased_currency',
    'float',
    'v1',
    'Revenue in the currency the customer paid in; from v4 net of refunds.',
    { vector: false },
  ),
  col(
    'purchase_price_in_purchased_currency',
    'float',
    'v4',
    'Gross price in the currency the customer paid in; kept after a refund.',
    { vector: false },
  ),
  col('entitlement_identifier', 'string', 'v1', 'v1 only: the single entitlement this transaction unlocked.', {
    dictionary: true,
    vector: false,
  }),
  col(
    'entitlement_identifiers',
    'array',
    'v2',
    'Entitlements the transaction unlocked. Written {a,b} before v4 and as a JSON array ["a", "b"] from v4.',
  ),
  col(
    'renewal_number',
    'integer',
    'v1',
    'Position of the transaction in its subscription, starting at 1. A trial conversion counts as a renewal.',
    { format: 'positive' },
  ),
  col('is_trial_conversion', 'boolean', 'v1', 'Whether this transaction converted a trial into a paid period.'),
  col('presented_offering', 'string', 'v2', 'Identifier of the offering shown to the customer before the purchase.', {
    dictionary: true,
    vector: false,
  }),
  col(
    'ownership_type',
    'string',
    'v3',
    '`PURCHASED` when the customer bought it, `FAMILY_SHARED` when it came through App Store Family Sharing.',
    { enumValues: ['PURCHASED', 'FAMILY_SHARED'], dictionary: true },
  ),
  col(
    'reserved_subscriber_attributes',
    'json',
    'v2',
    'RevenueCat\'s reserved customer attributes (keys start with $), each {"value", "updated_at_ms"}.',
    { vector: false },
  ),
  col('custom_subscriber_attributes', 'json', 'v2', 'Your own customer attributes, each {"value", "updated_at_ms"}.'),
  col('platform', 'string', 'v2', 'Platform the customer was last seen on.', { dictionary: true, vector: false }),
  col(
    'experiment_id',
    'string',
    'v4',
    'Experiment the customer is or was enrolled in; replaced by a JSON column in v7.',
    { dictionary: true, vector: false },
  ),
  col('experiment_variant', 'string', 'v4', 'Experiment arm: `a` is the control, `b` the treatment (up to `d`).', {
    enumValues: ['a', 'b', 'c', 'd'],
    dictionary: true,
  }),
  col(
    'enrolled_experiments_by_layer',
    'json',
    'v7',
    'Experiments the customer is enrolled in, by layer: {"layer": [{"experiment_id", "variant", "enrolled_at"}]}. Replaces experiment_id and experiment_variant from v7.',
    { format: 'experiments', vector: false },
  ),
  col(
    'updated_at',
    'timestamp',
    'v4',
    'Last time anything about this transaction changed; the newest version of a transaction wins.',
  ),
  col('offer', 'string', 'v5', 'Identifier of the offer used for the purchase, if any.', {
    dictionary: true,
    vector: false,
  }),
  col('offer_type', 'string', 'v5', 'Kind of offer used, for example `offer_code`.', {
    dictionary: true,
    vector: false,
  }),
  col('first_seen_time', 'timestamp', 'v5', 'When RevenueCat first saw the customer.', { vector: false }),
  col('auto_resume_time', 'timestamp', 'v5', 'When a paused Google Play subscription resumes.', { vector: false }),
];
