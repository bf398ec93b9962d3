/**
 * The Transactions feed's template versions v1–v7: which columns each carries, in which documented
 * order, with which nullability, and how its files write values. Adding a version is one entry here.
 */
import { COLUMNS } from './transactionColumns';
import type { Encodings, TemplateVersion, VersionColumn, VersionId } from './templates';

export type Entry = string | [name: string, opts: Omit<VersionColumn, 'name' | 'nullable'>];

/** Builds a version's column list; names ending in `?` may be null. */
function columns(entries: readonly Entry[]): VersionColumn[] {
  return entries.map((e) => {
    const [raw, opts] = typeof e === 'string' ? [e, {}] : e;
    const nullable = raw.endsWith('?');
    const name = nullable ? raw.slice(0, -1) : raw;
    if (!COLUMNS.some((c) => c.name === name)) throw new Error(`template catalog: unknown column ${name}`);
    return { name, nullable, ...opts };
  });
}

const V1 = columns([
  'rc_original_app_user_id',
  'rc_last_seen_app_user_id_alias',
  'product_identifier',
  'start_time',
  'end_time?',
  'store',
  'is_auto_renewable',
  'is_trial_period',
  'is_in_intro_offer_period',
  'is_sandbox',
  'price_in_usd?',
  'takehome_percentage',
  'store_transaction_id',
  'original_store_transaction_id',
  'refunded_at?',
  'unsubscribe_registered_at?',
  'billing_issues_detected_at?',
  'purchased_currency?',
  'price_in_purchased_currency?',
  'entitlement_identifier?',
  'renewal_number?',
  'is_trial_conversion',
]);

const V2 = columns([
  'rc_original_app_user_id',
  'rc_last_seen_app_user_id_alias',
  'country?',
  'product_identifier',
  'start_time',
  'end_time?',
  'store',
  'is_auto_renewable',
  'is_trial_period',
  'is_in_intro_offer_period',
  'is_sandbox',
  'price_in_usd?',
  'takehome_percentage',
  'store_transaction_id',
  'original_store_transaction_id',
  'refunded_at?',
  ['unsubscribe_detected_at?', { aliases: ['unsubscribe_registered_at'] }],
  'billing_issues_detected_at?',
  'purchased_currency?',
  'price_in_purchased_currency?',
  'entitlement_identifiers?',
  'renewal_number',
  'is_trial_conversion',
  'presented_offering?',
  'reserved_subscriber_attributes?',
  'custom_subscriber_attributes?',
  'platform?',
]);

const V3 = columns([
  'rc_original_app_user_id',
  'rc_last_seen_app_user_id_alias',
  'country?',
  'product_identifier',
  'start_time',
  'end_time?',
  'grace_period_end_time?',
  'effective_end_time?',
  'store',
  'is_auto_renewable',
  'is_trial_period',
  'is_in_intro_offer_period',
  'is_sandbox',
  'price_in_usd?',
  'takehome_percentage',
  'tax_percentage',
  'commission_percentage',
  'store_transaction_id',
  'original_store_transaction_id',
  'refunded_at?',
  'unsubscribe_detected_at?',
  'billing_issues_detected_at?',
  'purchased_currency?',
  'price_in_purchased_currency?',
  'entitlement_identifiers?',
  'renewal_number',
  'is_trial_conversion',
  'presented_offering?',
  'ownership_type?',
  'reserved_subscriber_attributes?',
  'custom_subscriber_attributes?',
  'platform?',
]);

const V4_NAMES: Entry[] = [
  'rc_original_app_user_id',
  'rc_last_seen_app_user_id_alias',
  'country?',
  'country_source?',
  'product_identifier',
  'product_display_name?',
  'product_duration?',
  'start_time',
  'end_time?',
  'grace_period_end_time?',
  'effective_end_time?',
  'store',
  'is_auto_renewable',
  'is_trial_period',
  'is_in_intro_offer_period',
  'is_sandbox',
  'price_in_usd?',
  'purchase_price_in_usd?',
  'takehome_percentage',
  'tax_percentage',
  'commission_percentage',
  'store_transaction_id',
  'original_store_transaction_id',
  'refunded_at?',
  'unsubscribe_detected_at?',
  'billing_issues_detected_at?',
  'purchased_currency?',
  'price_in_purchased_currency?',
  'purchase_price_in_purchased_currency?',
  'entitlement_identifiers?',
  'renewal_number',
  'is_trial_conversion',
  'presented_offering?',
  'ownership_type?',
  'reserved_subscriber_attributes?',
  'custom_subscriber_attributes?',
  'platform?',
  'experiment_id?',
  'experiment_variant?',
  'updated_at',
];
const V4 = columns(V4_NAMES);
const V5_NAMES: Entry[] = [...V4_NAMES, 'offer?', 'offer_type?', 'first_seen_time', 'auto_resume_time?'];
const V5 = columns(V5_NAMES);
/** v7: the two experiment columns become one JSON column, in experiment_id's place (43 columns). */
const V7 = columns(
  V5_NAMES.flatMap((e): Entry[] =>
    e === 'experiment_id?' ? ['enrolled_experiments_by_layer?'] : e === 'experiment_variant?' ? [] : [e],
  ),
);

const OLD: Encodings = { booleans: 'tf', arrays: 'braces', attributes: 'text', refundZeroesPrice: false };
const V4_ENC: Encodings = { booleans: 'truefalse', arrays: 'json', attributes: 'quoted-json', refundZeroesPrice: true };
const V6_ENC: Encodings = { ...V4_ENC, attributes: 'plain-json' };

/** A Transactions template version. */
export type TransactionsVersion = TemplateVersion & { readonly id: VersionId };

export const VERSIONS: readonly TransactionsVersion[] = [
  {
    id: 'v1',
    feed: 'transactions',
    label: 'Version 1',
    period: 'until 2020 ("Amazon S3" deliveries)',
    columns: V1,
    encodings: OLD,
    toleratesUnknownColumns: false,
    notes: 'Plain .csv files; a single entitlement_identifier and unsubscribe_registered_at.',
  },
  {
    id: 'v2',
    feed: 'transactions',
    label: 'Version 2',
    period: '2020–2022 ("ETL Exports")',
    columns: V2,
    encodings: OLD,
    toleratesUnknownColumns: false,
    notes: 'Adds country, entitlement_identifiers, presented_offering, the attribute columns and platform.',
  },
  {
    id: 'v3',
    feed: 'transactions',
    label: 'Version 3',
    period: 'January–June 2023',
    columns: V3,
    encodings: OLD,
    toleratesUnknownColumns: false,
    notes: 'Adds grace and effective end times, tax and commission percentages and ownership_type.',
  },
  {
    id: 'v4',
    feed: 'transactions',
    label: 'Version 4',
    period: 'from June 2023',
    columns: V4,
    encodings: V4_ENC,
    toleratesUnknownColumns: false,
    notes:
      'true/false booleans, JSON arrays and quoted JSON; prices net of refunds; adds gross prices, product duration, experiments and updated_at.',
  },
  {
    id: 'v5',
    feed: 'transactions',
    label: 'Version 5',
    period: 'from December 2023',
    columns: V5,
    encodings: V4_ENC,
    toleratesUnknownColumns: false,
    notes: 'Adds offer, offer_type, first_seen_time and auto_resume_time.',
  },
  {
    id: 'v6',
    feed: 'transactions',
    label: 'Version 6',
    period: 'from January 2026',
    columns: V5,
    encodings: V6_ENC,
    toleratesUnknownColumns: false,
    notes: 'Same columns as v5; attribute JSON is quoted only where CSV requires it.',
  },
  {
    id: 'v7',
    feed: 'transactions',
    label: 'Version 7',
    period: 'from March 2026',
    columns: V7,
    encodings: V6_ENC,
    toleratesUnknownColumns: true,
    notes:
      'Replaces experiment_id and experiment_variant with enrolled_experiments_by_layer, a JSON object of experiment enrolments by layer; unknown columns are accepted.',
  },
];
