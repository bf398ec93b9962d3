/** What the measures read and what they give back. */
import type { ExportTable } from '../../load/table';
import type { TemplateId } from '../../catalog/templates';

/** One loaded delivery. */
export interface Delivery {
  /** The file's path or name, as the user gave it. */
  readonly file: string;
  readonly table: ExportTable;
  readonly version: TemplateId;
  /**
   * Set when merging dropped superseded rows from the table (fold.ts): the file's 0-based row of each
   * table row, and how many rows the file has. Absent: the table holds the file's rows as they are.
   */
  readonly origin?: { readonly rows: Uint32Array; readonly fileRows: number };
}

/** A delivery and the rows of it a measure reads: all (null), or the survivors of a merge. */
export interface Part {
  readonly delivery: Delivery;
  readonly rows: Uint32Array | null;
}

/** The transactions a measure runs over: one export, or several deliveries merged. */
export interface MeasureInput {
  /** The Transactions feed's deliveries (and the rows of each that count). */
  readonly parts: readonly Part[];
  /** Rows replaced by a newer version of the same transaction (in another delivery or the same file). */
  readonly superseded: number;
  /** The In-App Currency feed's deliveries, when any were given (see merge.ts). */
  readonly currency?: FeedInput;
  /** What merging had to say (a key column missing, older snapshots set aside). */
  readonly notes?: readonly string[];
}

/** One feed's deliveries after merging: the parts that count, and the rows they replace. */
export interface FeedInput {
  readonly parts: readonly Part[];
  readonly superseded: number;
  /** Deliveries given but not used (older full snapshots). */
  readonly setAside: readonly string[];
}

export type MeasureName =
  | 'active-subscriptions'
  | 'active-trials'
  | 'revenue'
  | 'mrr'
  | 'active-subscriptions-by-auto-renew'
  | 'active-subscriptions-with-attribute'
  | 'weekly-revenue'
  | 'active-trials-by-grace-period'
  | 'currency-balance'
  | 'currency-flow'
  | 'active-subscriptions-movement'
  | 'mrr-movement'
  | 'trial-conversion-rate'
  | 'realized-ltv-segments'
  | 'realized-ltv-per-paying-customer'
  | 'subscription-retention';

/** How a range is cut into periods: weeks start on Monday, months on the 1st. */
export type Resolution = 'day' | 'week' | 'month';
export const RESOLUTIONS: readonly Resolution[] = ['day', 'week', 'month'];

/** Parameters after parsing: dates are day numbers (days since 1970-01-01). */
export interface MeasureParams {
  readonly date?: number;
  readonly from?: number;
  readonly to?: number;
  readonly key?: string;
  readonly value?: string;
  /** Set with from/to for a series (or a movement); absent: the measure's own shape. */
  readonly resolution?: Resolution;
  /** The as-of date A of the movement and cohort measures (replaces CURRENT_DATE). */
  readonly asOf?: number;
}

export type RevenueValue = {
  gross_revenue: number | null;
  revenue_net_of_refunds: number | null;
  revenue_net_of_taxes: number | null;
  proceeds: number | null;
};

/** One result row of a table-shaped measure (realized LTV, retention), or one period of a movement. */
export type ResultRow = Record<string, string | number | boolean | null>;

export type MeasureValue =
  | number
  | null
  | RevenueValue
  | Record<string, number | null>
  | Record<string, RevenueValue>
  | Record<string, Record<string, number | null>>
  /** A series of a point-in-time measure, or a movement: keyed by period start, YYYY-MM-DD. */
  | Record<string, number | null | Record<string, number | null>>
  | ResultRow[];

/**
 * Why a measure gives no result: 'request' for parameters that do not fit the measure (a wrong
 * date, a missing attribute), 'data' for files that cannot answer it (a column it needs is missing).
 */
export class MeasureError extends Error {
  constructor(
    message: string,
    readonly kind: 'request' | 'data' = 'data',
  ) {
    super(message);
  }
}

/** Rows left out because a column's value is one no SQL load would read. */
export interface Unreadable {
  readonly rows: number;
  /** The first such cell: its file, 1-based data row and text. */
  readonly first: { readonly file: string; readonly row: number; readonly value: string };
}

export interface MeasureResult {
  readonly measure: MeasureName;
  readonly title: string;
  /** The documented sample query reproduced (RevenueCat docs, scheduled-data-exports_N). */
  readonly query: string;
  readonly params: Record<string, string>;
  readonly value: MeasureValue;
  readonly files: string[];
  /** Rows the query ran over (after merging). */
  readonly rows: number;
  readonly superseded: number;
  readonly droppedForNull: number;
  readonly droppedForNullByColumn: Record<string, number>;
  /** Rows left out for a value no SQL load would read, by column (empty when none). */
  readonly unreadable: Record<string, Unreadable>;
  /** What the run skipped or adapted beyond the query's variant (other feeds' deliveries, ...). */
  readonly notes: readonly string[];
  readonly variant: string;
  /** Milliseconds the measure itself took (loading and merging not included). */
  readonly ms: number;
}
