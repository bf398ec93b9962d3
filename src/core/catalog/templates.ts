/**
 * The template catalog: every column RevenueCat has shipped in a scheduled data export, and which
 * template version carries which columns, in which documented order, with which nullability.
 * Everything else (detection, validation, the grid's typing, hovers, the CLI) reads this file.
 * Adding a template version is one entry in VERSIONS.
 *
 * Room src/core/catalog: the one template catalog, header detection, the rule catalog, naming and the canonical text of values.
 * May import: src/core.
 */

export type ColumnType = 'string' | 'timestamp' | 'boolean' | 'float' | 'integer' | 'array' | 'json';

/** Special value checks a column may carry on top of its type. */
export type ColumnFormat = 'country' | 'currency' | 'duration' | 'fraction' | 'positive';

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  /** Short explanation shown in hovers, the grid header tooltip and `rc-export info`. */
  readonly doc: string;
  /** Documented values. A value outside the list is a warning, because stores get added over time. */
  readonly enumValues?: readonly string[];
  readonly format?: ColumnFormat;
  /** Low-cardinality text worth dictionary encoding (sorting, filtering and measures read the codes). */
  readonly dictionary?: boolean;
  /** false: no typed vector (or dictionary) is built while loading, because no measure or rule
   *  reads one; cells are still checked, and a vector can be built when the grid needs it. */
  readonly vector?: boolean;
  /** First template version that has the column. */
  readonly since: VersionId;
}

export type VersionId = 'v1' | 'v2' | 'v3' | 'v4' | 'v5' | 'v6' | 'v7';
export const VERSION_IDS: readonly VersionId[] = ['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7'];

/** How booleans, string arrays and the attribute JSON are written in a version's files. */
export interface Encodings {
  readonly booleans: 'tf' | 'truefalse';
  readonly arrays: 'braces' | 'json';
  /** 'text': attribute columns are opaque text (before v4); 'quoted-json': JSON, always enclosed in
   *  quotes; 'plain-json': JSON quoted only where CSV needs it (v6 onwards). */
  readonly attributes: 'text' | 'quoted-json' | 'plain-json';
  /** From v4 a refunded transaction's price_in_usd is 0, the gross price stays in purchase_price_in_usd. */
  readonly refundZeroesPrice: boolean;
}

export interface VersionColumn {
  readonly name: string;
  readonly nullable: boolean;
  /** Older spellings of the same column accepted in this version (early v2 files). */
  readonly aliases?: readonly string[];
  /** May be absent without being reported missing (v7 dropped the experiment columns). */
  readonly optional?: boolean;
}

export interface TemplateVersion {
  readonly id: VersionId;
  readonly label: string;
  readonly period: string;
  /** Documented column order. */
  readonly columns: readonly VersionColumn[];
  readonly encodings: Encodings;
  /** Columns not in the catalog are information, not warnings (v7 adds an undocumented JSON column). */
  readonly toleratesUnknownColumns: boolean;
  readonly notes: string;
}

const col = (
  name: string,
  type: ColumnType,
  since: VersionId,
  doc: string,
  extra: Partial<Pick<ColumnSpec, 'enumValues' | 'format' | 'dictionary' | 'vector'>> = {},
): ColumnSpec => ({ name, type, since, doc, ...extra });

/** Every known column, in the order of the current documentation table. */
export const COLUMNS: readonly ColumnSpec[] = [
  col(
    'rc_original_app_user_id',
    'string',
    'v1',
    "The first app user ID RevenueCat saw for this customer; stable, so it groups all of a customer's transactions.",
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
  col('store', 'string', 'v1', 'Where the purchase happened.', {
    enumValues: ['app_store', 'play_store', 'stripe', 'promotional'],
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
  col('billing_issues_detected_at', 'timestamp', 'v1', 'When a billing problem was detected; empty when none.', {
    vector: false,
  }),
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
  col('experiment_variant', 'string', 'v4', 'Experiment arm: `a` is the control, `b` the treatment.', {
    enumValues: ['a', 'b'],
    dictionary: true,
  }),
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

const BY_NAME = new Map(COLUMNS.map((c) => [c.name, c]));

export function columnSpec(name: string): ColumnSpec | undefined {
  return BY_NAME.get(name);
}

// --- versions ---------------------------------------------------------------------------------

type Entry = string | [name: string, opts: Omit<VersionColumn, 'name' | 'nullable'>];

/** Builds a version's column list; names ending in `?` may be null. */
function columns(entries: readonly Entry[]): VersionColumn[] {
  return entries.map((e) => {
    const [raw, opts] = typeof e === 'string' ? [e, {}] : e;
    const nullable = raw.endsWith('?');
    const name = nullable ? raw.slice(0, -1) : raw;
    if (!BY_NAME.has(name)) throw new Error(`template catalog: unknown column ${name}`);
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
const V7 = columns(
  V5_NAMES.map((e): Entry => (e === 'experiment_id?' || e === 'experiment_variant?' ? [e, { optional: true }] : e)),
);

const OLD: Encodings = { booleans: 'tf', arrays: 'braces', attributes: 'text', refundZeroesPrice: false };
const V4_ENC: Encodings = { booleans: 'truefalse', arrays: 'json', attributes: 'quoted-json', refundZeroesPrice: true };
const V6_ENC: Encodings = { ...V4_ENC, attributes: 'plain-json' };

export const VERSIONS: readonly TemplateVersion[] = [
  {
    id: 'v1',
    label: 'Version 1',
    period: 'until 2020 ("Amazon S3" deliveries)',
    columns: V1,
    encodings: OLD,
    toleratesUnknownColumns: false,
    notes: 'Plain .csv files; a single entitlement_identifier and unsubscribe_registered_at.',
  },
  {
    id: 'v2',
    label: 'Version 2',
    period: '2020–2022 ("ETL Exports")',
    columns: V2,
    encodings: OLD,
    toleratesUnknownColumns: false,
    notes: 'Adds country, entitlement_identifiers, presented_offering, the attribute columns and platform.',
  },
  {
    id: 'v3',
    label: 'Version 3',
    period: 'January–June 2023',
    columns: V3,
    encodings: OLD,
    toleratesUnknownColumns: false,
    notes: 'Adds grace and effective end times, tax and commission percentages and ownership_type.',
  },
  {
    id: 'v4',
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
    label: 'Version 5',
    period: 'from December 2023',
    columns: V5,
    encodings: V4_ENC,
    toleratesUnknownColumns: false,
    notes: 'Adds offer, offer_type, first_seen_time and auto_resume_time.',
  },
  {
    id: 'v6',
    label: 'Version 6',
    period: 'from January 2026',
    columns: V5,
    encodings: V6_ENC,
    toleratesUnknownColumns: false,
    notes: 'Same columns as v5; attribute JSON is quoted only where CSV requires it.',
  },
  {
    id: 'v7',
    label: 'Version 7',
    period: 'from March 2026',
    columns: V7,
    encodings: V6_ENC,
    toleratesUnknownColumns: true,
    notes:
      'Replaces experiment_id and experiment_variant with a JSON column of experiment enrolments whose name is not documented yet; unknown columns are accepted.',
  },
];

const VERSION_BY_ID = new Map(VERSIONS.map((v) => [v.id, v]));

export function templateVersion(id: VersionId): TemplateVersion {
  const v = VERSION_BY_ID.get(id);
  if (!v) throw new Error(`unknown template version ${id}`);
  return v;
}

export function isVersionId(s: string): s is VersionId {
  return VERSION_BY_ID.has(s as VersionId);
}

/** The version column a header name stands for in `version`, following aliases. */
export function versionColumnFor(version: TemplateVersion, headerName: string): VersionColumn | undefined {
  return version.columns.find((c) => c.name === headerName || c.aliases?.includes(headerName));
}
