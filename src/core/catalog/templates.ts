/**
 * The template catalog: every column RevenueCat has shipped in a scheduled data export, per feed
 * (Transactions, In-App Currency), and which template carries which columns, in which documented
 * order, with which nullability. Everything else (detection, validation, the grid's typing, hovers,
 * the CLI) reads it through this file. The column data is in transactionColumns.ts and
 * currencyColumns.ts, the Transactions versions in versions.ts.
 *
 * Room src/core/catalog: the one template catalog, header detection, the rule catalog, naming and the canonical text of values.
 * May import: src/core.
 */

export type ColumnType = 'string' | 'timestamp' | 'boolean' | 'float' | 'integer' | 'array' | 'json';

/** Special value checks a column may carry on top of its type. */
export type ColumnFormat = 'country' | 'currency' | 'duration' | 'fraction' | 'positive' | 'experiments';

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  /** Short explanation shown in hovers, the grid header tooltip and `rc-export info`. */
  readonly doc: string;
  /** Documented values. A value outside the list is information (one line per column), as stores get added. */
  readonly enumValues?: readonly string[];
  readonly format?: ColumnFormat;
  /** Low-cardinality text worth dictionary encoding (sorting, filtering and measures read the codes). */
  readonly dictionary?: boolean;
  /** false: no typed vector (or dictionary) is built while loading, because no measure or rule
   *  reads one; cells are still checked, and a vector can be built when the grid needs it. */
  readonly vector?: boolean;
  /** Text the measures group or join by (customers, subscriptions, products): the loader gives its
   *  cells whole-number codes, equal text ↔ equal code (TableData.textKeys). */
  readonly key?: boolean;
  /** First template version that has the column ('iac' for the In-App Currency feed's). */
  readonly since: TemplateId;
}

/** The Transactions feed's template versions. */
export type VersionId = 'v1' | 'v2' | 'v3' | 'v4' | 'v5' | 'v6' | 'v7';
export const VERSION_IDS: readonly VersionId[] = ['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7'];
/** Every template: the Transactions versions and the In-App Currency feed's one template. */
export type TemplateId = VersionId | 'iac';
export const TEMPLATE_IDS: readonly TemplateId[] = [...VERSION_IDS, 'iac'];

/** The feeds of a scheduled data export integration; each has its own columns. */
export type Feed = 'transactions' | 'in-app-currency';

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
  readonly id: TemplateId;
  readonly feed: Feed;
  readonly label: string;
  readonly period: string;
  /** Documented column order. */
  readonly columns: readonly VersionColumn[];
  readonly encodings: Encodings;
  /** Columns not in the catalog are information, not warnings (v7 adds an undocumented JSON column). */
  readonly toleratesUnknownColumns: boolean;
  readonly notes: string;
}

import { CURRENCY_COLUMNS, CURRENCY_TEMPLATE } from './currencyColumns';
import { COLUMNS } from './transactionColumns';
import { VERSIONS } from './versions';

export { COLUMNS, STORES } from './transactionColumns';
export { VERSIONS, type TransactionsVersion } from './versions';
export { CURRENCY_COLUMNS, CURRENCY_ONLY, CURRENCY_TEMPLATE } from './currencyColumns';

const BY_NAME = new Map(COLUMNS.map((c) => [c.name, c]));
const CURRENCY_BY_NAME = new Map(CURRENCY_COLUMNS.map((c) => [c.name, c]));
for (const c of CURRENCY_COLUMNS) if (!BY_NAME.has(c.name)) BY_NAME.set(c.name, c);

/**
 * A column's spec. Names the feeds share (store, price_in_usd, ...) have the same type in both; give
 * the feed for its own explanation of the column.
 */
export function columnSpec(name: string, feed: Feed = 'transactions'): ColumnSpec | undefined {
  return (feed === 'in-app-currency' ? CURRENCY_BY_NAME.get(name) : undefined) ?? BY_NAME.get(name);
}

/** All templates: the Transactions versions, then the In-App Currency template. */
export const TEMPLATES: readonly TemplateVersion[] = [...VERSIONS, CURRENCY_TEMPLATE];

const VERSION_BY_ID = new Map(TEMPLATES.map((v) => [v.id, v]));

export function templateVersion(id: TemplateId): TemplateVersion {
  const v = VERSION_BY_ID.get(id);
  if (!v) throw new Error(`unknown template version ${id}`);
  return v;
}

/** v1..v7: a Transactions version. */
export function isVersionId(s: string): s is VersionId {
  return (VERSION_IDS as readonly string[]).includes(s);
}

export function isTemplateId(s: string): s is TemplateId {
  return VERSION_BY_ID.has(s as TemplateId);
}

/** The version column a header name stands for in `version`, following aliases. */
export function versionColumnFor(version: TemplateVersion, headerName: string): VersionColumn | undefined {
  return version.columns.find((c) => c.name === headerName || c.aliases?.includes(headerName));
}
