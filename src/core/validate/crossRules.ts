/**
 * Rules across the fields of one row, on the values already parsed into the typed vectors.
 * A rule only runs when every column it reads exists and parsed (null is a value here, an
 * unparsable cell is not: that cell already has its own problem).
 */
import { BOOL_FALSE, BOOL_TRUE, formatTimestamp } from '../load/cells';
import { DICT_NULL } from '../load/dict';
import type { RuleId } from '../catalog/rules';
import type { VectorData } from '../load/table';
import type { Encodings } from '../catalog/templates';
import type { ProblemCollector } from './problems';

export interface RowValues {
  row: number;
  /** The row's entry in the vectors (see CellContext.vrow). */
  vrow: number;
  line: number;
  /** Per header column (of those the rules read): 1 when the cell could not be parsed or is missing. */
  bad: Uint8Array;
  /** Byte offset of each field of the row. */
  offsets: Float64Array;
}

function ts(v: number): string {
  return Number.isNaN(v) ? 'empty' : formatTimestamp(v);
}

const COLUMNS = [
  'start_time',
  'end_time',
  'grace_period_end_time',
  'effective_end_time',
  'refunded_at',
  'updated_at',
  'is_auto_renewable',
  'price_in_usd',
  'store',
] as const;
type Name = (typeof COLUMNS)[number];

export class CrossFieldRules {
  /** Header index of each column the rules read; -1 when the header lacks it. */
  private readonly cols: Record<Name, number>;
  /** The header columns the rules read. */
  readonly reads: Int32Array;
  private vectors: readonly (VectorData | null)[] = [];

  constructor(
    header: readonly string[],
    private readonly encodings: Encodings,
    private readonly collector: ProblemCollector,
  ) {
    this.cols = Object.fromEntries(COLUMNS.map((name) => [name, header.indexOf(name)])) as Record<Name, number>;
    this.reads = Int32Array.from(Object.values(this.cols).filter((k) => k >= 0));
  }

  /** The parsed number of column `index` in this row; undefined when absent or unparsable. */
  private num(index: number, r: RowValues): number | undefined {
    if (index < 0 || r.bad[index]) return undefined;
    const v = this.vectors[index];
    return v ? (v.data as Float64Array)[r.vrow] : undefined;
  }

  private flag(index: number, r: RowValues): number | undefined {
    if (index < 0 || r.bad[index]) return undefined;
    const v = this.vectors[index];
    return v ? (v.data as Uint8Array)[r.vrow] : undefined;
  }

  private storeIs(r: RowValues, store: string): boolean {
    const c = this.cols.store;
    const v = c >= 0 ? this.vectors[c] : null;
    if (!v || v.kind !== 'dict') return false;
    const code = v.data[r.vrow];
    return code !== DICT_NULL && v.dict![code] === store;
  }

  private add(r: RowValues, rule: RuleId, column: Name, value: string | null, message: string): void {
    if (!this.collector.count(rule, column, r.row + 1, r.line)) return;
    const idx = this.cols[column];
    this.collector.keep({
      rule,
      row: r.row + 1,
      line: r.line,
      column,
      value,
      message,
      offset: r.offsets[idx < 0 ? 0 : idx],
    });
  }

  check(r: RowValues, vectors: readonly (VectorData | null)[]): void {
    this.vectors = vectors;
    const c = this.cols;
    const start = this.num(c.start_time, r);
    const end = this.num(c.end_time, r);
    const refunded = this.num(c.refunded_at, r);

    // effective_end_time = later of end_time and grace_period_end_time, unless refunded
    const grace = this.num(c.grace_period_end_time, r);
    const effective = this.num(c.effective_end_time, r);
    if (
      effective !== undefined &&
      end !== undefined &&
      grace !== undefined &&
      refunded !== undefined &&
      Number.isNaN(refunded)
    ) {
      const expected = Number.isNaN(end) ? grace : Number.isNaN(grace) ? end : Math.max(end, grace);
      const same = Number.isNaN(expected) ? Number.isNaN(effective) : effective === expected;
      if (!same) {
        this.add(
          r,
          'effective-end-time',
          'effective_end_time',
          Number.isNaN(effective) ? null : formatTimestamp(effective),
          `effective_end_time is ${ts(effective)}; expected ${ts(expected)}, the later of end_time (${ts(end)}) and grace_period_end_time (${ts(grace)}) on a row that was not refunded`,
        );
      }
    }

    // end_time is null exactly when the product does not auto-renew
    const renewable = this.flag(c.is_auto_renewable, r);
    if (end !== undefined && (renewable === BOOL_TRUE || renewable === BOOL_FALSE)) {
      if (renewable === BOOL_TRUE && Number.isNaN(end)) {
        this.add(
          r,
          'end-time-renewable',
          'end_time',
          null,
          'end_time is empty but is_auto_renewable is true; only purchases that do not auto-renew have no end_time',
        );
      } else if (renewable === BOOL_FALSE && !Number.isNaN(end)) {
        this.add(
          r,
          'end-time-renewable',
          'end_time',
          formatTimestamp(end),
          `end_time is ${ts(end)} but is_auto_renewable is false; purchases that do not auto-renew have no end_time`,
        );
      }
    }

    // from v4 a refund sets price_in_usd to 0
    const price = this.num(c.price_in_usd, r);
    if (
      this.encodings.refundZeroesPrice &&
      refunded !== undefined &&
      !Number.isNaN(refunded) &&
      price !== undefined &&
      !Number.isNaN(price) &&
      price !== 0
    ) {
      this.add(
        r,
        'refund-price',
        'price_in_usd',
        String(price),
        `price_in_usd is ${price} on a row refunded at ${ts(refunded)}; from v4 a refund sets it to 0 (the gross stays in purchase_price_in_usd)`,
      );
    }

    if (start === undefined || Number.isNaN(start)) return;

    const updated = this.num(c.updated_at, r);
    if (updated !== undefined && !Number.isNaN(updated) && updated < start) {
      this.add(
        r,
        'updated-before-start',
        'updated_at',
        formatTimestamp(updated),
        `updated_at ${ts(updated)} is before start_time ${ts(start)}`,
      );
    }

    if (end !== undefined && !Number.isNaN(end) && end < start) {
      if (this.storeIs(r, 'play_store')) {
        this.add(
          r,
          'play-store-invalidated',
          'end_time',
          formatTimestamp(end),
          `end_time ${ts(end)} is before start_time ${ts(start)}: Google Play's way of invalidating a transaction; RevenueCat's measures leave it out`,
        );
      } else {
        this.add(
          r,
          'end-before-start',
          'end_time',
          formatTimestamp(end),
          `end_time ${ts(end)} is before start_time ${ts(start)}, which only Google Play does (to invalidate a transaction)`,
        );
      }
    }
  }
}
