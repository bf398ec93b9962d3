/**
 * Turns the version-independent Txn into the cells of one template version: which columns, in which
 * order (documented or physical), and how each value is written (booleans, arrays, JSON quoting).
 */
import {
  templateVersion,
  type Encodings,
  type TemplateVersion,
  type VersionId,
} from '../../src/core/catalog/templates';
import type { Txn } from './model';
import { fmtNum, fmtTs, fmtTsOrNull } from './values';

/** A cell's text before CSV quoting; null is written as an empty unquoted field. */
export type Enc = (t: Txn) => string | null;

export interface OutColumn {
  readonly name: string;
  readonly enc: Enc;
  /** Always enclose in quotes (v4/v5 attribute JSON). */
  readonly force: boolean;
}

/** v7's experiment column, which replaces experiment_id and experiment_variant. */
export const V7_EXPERIMENT_COLUMN = 'enrolled_experiments_by_layer';

/** Physical order seen in the wild: V2's 27 columns, then each version's additions appended in this order. */
const PHYSICAL_ADDITIONS: readonly (readonly string[])[] = [
  ['tax_percentage', 'commission_percentage', 'effective_end_time', 'grace_period_end_time', 'ownership_type'],
  [
    'country_source',
    'experiment_id',
    'experiment_variant',
    'purchase_price_in_usd',
    'purchase_price_in_purchased_currency',
    'product_display_name',
    'product_duration',
    'updated_at',
  ],
  ['offer', 'offer_type', 'first_seen_time', 'auto_resume_time'],
];

type EncFactory = (e: Encodings, v: TemplateVersion) => Enc;

const bool = (e: Encodings, get: (t: Txn) => boolean): Enc =>
  e.booleans === 'tf' ? (t) => (get(t) ? 't' : 'f') : (t) => (get(t) ? 'true' : 'false');

const refundedZero = (e: Encodings, t: Txn): boolean =>
  t.refundedAt !== null && (e.refundZeroesPrice || t.oldRefundZero);

const ENCODERS: Record<string, EncFactory> = {
  rc_original_app_user_id: () => (t) => t.userId,
  rc_last_seen_app_user_id_alias: () => (t) => t.alias,
  country: () => (t) => t.country,
  country_source: () => (t) => t.countrySource,
  product_identifier: () => (t) => t.product,
  product_display_name: () => (t) => t.displayName,
  product_duration: () => (t) => t.duration,
  start_time: () => (t) => fmtTs(t.start),
  end_time: () => (t) => fmtTsOrNull(t.end),
  grace_period_end_time: () => (t) => fmtTsOrNull(t.grace),
  effective_end_time: () => (t) => fmtTsOrNull(t.effective),
  store: () => (t) => t.store,
  is_auto_renewable: (e) => bool(e, (t) => t.autoRenew),
  is_trial_period: (e) => bool(e, (t) => t.trial),
  is_in_intro_offer_period: (e) => bool(e, (t) => t.intro),
  is_sandbox: (e) => bool(e, (t) => t.sandbox),
  price_in_usd: (e) => (t) => (t.grossUsd === null ? null : refundedZero(e, t) ? '0' : fmtNum(t.grossUsd)),
  purchase_price_in_usd: () => (t) => (t.grossUsd === null ? null : fmtNum(t.grossUsd)),
  takehome_percentage: () => (t) => fmtNum(t.takehome),
  tax_percentage: () => (t) => fmtNum(t.tax),
  commission_percentage: () => (t) => fmtNum(t.commission),
  store_transaction_id: () => (t) => t.txId,
  original_store_transaction_id: () => (t) => t.origTxId,
  refunded_at: () => (t) => fmtTsOrNull(t.refundedAt),
  unsubscribe_registered_at: () => (t) => fmtTsOrNull(t.unsubAt),
  unsubscribe_detected_at: () => (t) => fmtTsOrNull(t.unsubAt),
  billing_issues_detected_at: () => (t) => fmtTsOrNull(t.billingAt),
  purchased_currency: () => (t) => t.currency,
  price_in_purchased_currency: (e) => (t) =>
    t.grossLocal === null ? null : refundedZero(e, t) ? '0' : fmtNum(t.grossLocal),
  purchase_price_in_purchased_currency: () => (t) => (t.grossLocal === null ? null : fmtNum(t.grossLocal)),
  entitlement_identifier: () => (t) => (t.ent ? t.ent.single : null),
  entitlement_identifiers: (e) =>
    e.arrays === 'braces' ? (t) => (t.ent ? t.ent.braces : null) : (t) => (t.ent ? t.ent.json : null),
  renewal_number: (_e, v) =>
    v.id === 'v1' ? (t) => (t.v1NullRenewal ? null : String(t.renewal)) : (t) => String(t.renewal),
  is_trial_conversion: (e) => bool(e, (t) => t.conversion),
  presented_offering: () => (t) => t.offering,
  ownership_type: () => (t) => t.ownership,
  reserved_subscriber_attributes: () => (t) => t.reserved,
  custom_subscriber_attributes: () => (t) => t.custom,
  platform: () => (t) => t.platform,
  experiment_id: () => (t) => t.expId,
  experiment_variant: () => (t) => t.expVariant,
  updated_at: () => (t) => fmtTs(t.updatedAt) + t.updatedFrac,
  offer: () => (t) => t.offer,
  offer_type: () => (t) => t.offerType,
  first_seen_time: () => (t) => fmtTs(t.firstSeen),
  auto_resume_time: () => (t) => fmtTsOrNull(t.autoResume),
  // the documented shape: layers, each a list of enrolments (the default layer's real key is not documented)
  [V7_EXPERIMENT_COLUMN]: () => (t) =>
    t.expId === null
      ? null
      : `{"default": [{"experiment_id": "${t.expId}", "variant": "${t.expVariant}", "enrolled_at": "${fmtTs(t.start)}"}]}`,
};

/** Header names a generated file of this version carries, in documented order. */
export function documentedNames(id: VersionId): string[] {
  const v = templateVersion(id);
  return v.columns.filter((c) => !c.optional).map((c) => c.name);
}

/** Header names in the physical order: V2's columns, then later additions in version order. */
export function physicalNames(id: VersionId): string[] {
  const documented = documentedNames(id);
  if (id === 'v1') return documented;
  const have = new Set(documented);
  const order = [...templateVersion('v2').columns.map((c) => c.name), ...PHYSICAL_ADDITIONS.flat()];
  const out = order.filter((n) => have.has(n) && n !== V7_EXPERIMENT_COLUMN);
  const placed = new Set(out);
  for (const n of documented) if (!placed.has(n)) out.push(n); // anything newer (e.g. v7's JSON column) goes last
  return out;
}

export function layout(id: VersionId, order: 'documented' | 'physical'): OutColumn[] {
  const v = templateVersion(id);
  const names = order === 'physical' ? physicalNames(id) : documentedNames(id);
  return names.map((name) => {
    const f = ENCODERS[name];
    if (!f) throw new Error(`generator: no encoder for column ${name}`);
    const attr = name === 'reserved_subscriber_attributes' || name === 'custom_subscriber_attributes';
    return { name, enc: f(v.encodings, v), force: attr && v.encodings.attributes === 'quoted-json' };
  });
}

// --- CSV ----------------------------------------------------------------------------------------

export function quote(s: string): string {
  return '"' + (s.indexOf('"') >= 0 ? s.replace(/"/g, '""') : s) + '"';
}

/** Fields that must be quoted under RFC 4180 for this delimiter. */
export function needsQuoting(delimiter: string): RegExp {
  return delimiter === ';' ? /[";\r\n]/ : /[",\r\n]/;
}

/** The CSV text of one field. */
export function field(c: string | null, force: boolean, re: RegExp): string {
  if (c === null) return '';
  return force || re.test(c) ? quote(c) : c;
}
