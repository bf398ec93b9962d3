/**
 * The template catalog: every column RevenueCat has shipped in a scheduled data export, and which
 * template version carries which columns, in which documented order, with which nullability.
 * Everything else (detection, validation, the grid's typing, hovers, the CLI) reads this file.
 * Adding a template version is one entry in VERSIONS.
 *
 * Room src/core/catalog: the one template catalog, header detection, the rule catalog, naming and the canonical text of values.
 * May import: src/core.
 */

import { COLUMNS, type ColumnSpec, type VersionId } from './columns';

export { COLUMNS, VERSION_IDS, type ColumnFormat, type ColumnSpec, type ColumnType, type VersionId } from './columns';

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
