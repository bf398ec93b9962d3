/**
 * MRR as of a date: RevenueCat's documented query scheduled-data-exports_12 (its hard-coded
 * '2024-02-06' is the date parameter; its `price` is price_in_usd, the column exports have).
 *
 *   SELECT SUM(CASE WHEN effective_end_time IS NOT NULL THEN
 *     CASE WHEN (is_in_intro_offer_period = 'true' OR product_duration IS NULL) THEN
 *            CASE DATE_DIFF(day, start_time, end_time): 0–1 → 30×, 3 → 10×, 6–8 → 4×, 12–16 → 2×,
 *                 27–33 → 1×, 58–62 → 0.5×, 88–95 → 0.333333×, 179–185 → 0.1666666×,
 *                 363–375 → 0.08333×, else 28 / (DATE_DIFF('s', start_time, end_time)::float / 86400)×
 *          WHEN product_duration = 'P1D' → 30×, P3D → 10×, P7D/P1W → 4×, P2W → 2×, P4W/P1M → 1×,
 *               P2M → 0.5×, P3M → 0.333333×, P6M → 0.1666666×, P12M/P1Y → 0.08333×
 *          ELSE the 28-day formula
 *     END × price)::DECIMAL(18,2) END)
 *   FROM [table] WHERE <Active Subscriptions' conditions>
 *
 * Each transaction is rounded to cents (money.ts) before the sum, as the cast does. With a NULL
 * is_in_intro_offer_period the first WHEN is NULL, not true, so product_duration decides.
 * Older templates: product_duration arrives in v4, so before it every transaction is normalised by
 * its length in days; v1/v2 test end_time for effective_end_time; the rest as in filter.ts.
 */
import { BOOL_TRUE } from '../load/cells';
import { boolColumn, dictColumn, floatColumn, timeColumn } from './engine/columns';
import { DAY_MS } from './engine/dates';
import { effectiveEnd, required } from './engine/rowFilter';
import { onDate, type Measure, type Tally } from './engine/measure';
import type { SnapshotMeasure } from './engine/measure';
import type { Part } from './engine/types';
import { decimalCents } from './engine/money';

const BY_DURATION: Record<string, number> = {
  P1D: 30,
  P3D: 10,
  P7D: 4,
  P1W: 4,
  P2W: 2,
  P4W: 1,
  P1M: 1,
  P2M: 0.5,
  P3M: 0.333333,
  P6M: 0.1666666,
  P12M: 0.08333,
  P1Y: 0.08333,
};

/** Multiplier by the calendar days between start and end; -1: use the 28-day formula. */
function byDays(days: number): number {
  if (days >= 0 && days <= 1) return 30;
  if (days === 3) return 10;
  if (days >= 6 && days <= 8) return 4;
  if (days >= 12 && days <= 16) return 2;
  if (days >= 27 && days <= 33) return 1;
  if (days >= 58 && days <= 62) return 0.5;
  if (days >= 88 && days <= 95) return 0.333333;
  if (days >= 179 && days <= 185) return 0.1666666;
  if (days >= 363 && days <= 375) return 0.08333;
  return -1;
}

const centsOf = new WeakMap<object, Float64Array>();

/**
 * Per-transaction MRR in cents (`::DECIMAL(18,2)` of the normalised price) for every row of a
 * part's table, NaN where the documented CASE gives NULL (no effective end, no price). It depends
 * on the row alone, so it is worked out once per table and kept. Shared with MRR Movement (_11).
 */
export function transactionMrr(part: Part, tally: Tally): Float64Array {
  const t = part.delivery.table;
  const price = floatColumn(t, 'price_in_usd');
  if (!price) tally.note(part, 'no price_in_usd column');
  const duration = dictColumn(t, 'product_duration');
  if (!duration)
    tally.note(part, 'no product_duration column (v4 on), so every transaction is normalised by its length in days');
  let cents = centsOf.get(t.data);
  if (cents) return cents;
  const eff = effectiveEnd(t, []); // select() notes the stand-in
  const start = required(timeColumn(t, 'start_time'), 'start_time', part);
  const end = required(timeColumn(t, 'end_time'), 'end_time', part);
  const intro = boolColumn(t, 'is_in_intro_offer_period');
  // per dictionary code: the multiplier, -1 for the formula
  const mult = duration ? duration.dict.map((d) => BY_DURATION[d] ?? -1) : [];
  cents = new Float64Array(t.rowCount);
  for (let r = 0; r < cents.length; r++) {
    const x = price ? price[r] : NaN;
    if (x !== x || eff[r] !== eff[r]) {
      cents[r] = NaN;
      continue;
    }
    const s = start[r];
    const e = end[r];
    let m: number;
    const code = duration ? duration.codes[r] : 0;
    if ((intro && intro[r] === BOOL_TRUE) || !duration || code === duration.nullCode) {
      m = byDays(Math.floor(e / DAY_MS) - Math.floor(s / DAY_MS));
    } else m = mult[code];
    const v = m >= 0 ? m * x : (28 / ((Math.floor(e / 1000) - Math.floor(s / 1000)) / (24 * 3600))) * x;
    cents[r] = decimalCents(v);
  }
  centsOf.set(t.data, cents);
  return cents;
}

/** The columns transactionMrr reads besides the filter's. */
export const MRR_READS = ['price_in_usd', 'is_in_intro_offer_period'] as const;

const activeMrr: SnapshotMeasure = {
  trial: false,
  reads: MRR_READS,
  start: (_p, tally) => ({
    channels: 2,
    part(part) {
      const cents = transactionMrr(part, tally);
      return (r, out) => {
        const c = cents[r];
        if (c !== c) return false;
        out[0] = c;
        out[1] = 1;
        return true;
      };
    },
    value: (t) => (t[1] ? t[0] / 100 : null),
  }),
};

export const mrr: Measure = {
  name: 'mrr',
  title: 'MRR',
  query: 'scheduled-data-exports_12',
  takes: 'date',
  reads: ['price_in_usd', 'is_in_intro_offer_period', 'product_duration'],
  snapshot: activeMrr,
  compute: onDate(activeMrr),
};
