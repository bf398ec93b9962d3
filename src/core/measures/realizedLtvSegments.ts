/**
 * Realized LTV Segments: RevenueCat's documented query scheduled-data-exports_6, corrected
 * (measures-2.md).
 *
 *   subscriptions = SELECT MIN(start_time) AS subscription_start_time, original_store_transaction_id,
 *                          MAX(is_trial_period) AS had_a_trial, SUM(price_in_usd) AS realized_ltv
 *                   FROM [table] WHERE date(start_time) > from AND ownership_type != 'FAMILY_SHARED'
 *                     AND store != 'promotional' AND is_sandbox != 'true'
 *                   GROUP BY original_store_transaction_id
 *   SELECT date_trunc('month', subscription_start_time), had_a_trial, COUNT(*), SUM(realized_ltv),
 *          SUM(realized_ltv) / COUNT(*) FROM subscriptions GROUP BY 1, 2
 *
 * Corrections: the invalid `WITH (SELECT …) as subscriptions` is a named CTE, and the missing
 * `GROUP BY 1, 2` is added. A NULL original_store_transaction_id is one group, as GROUP BY makes it.
 * Rows ordered by month, then had_a_trial false, true, NULL. `from` defaults to A − 365 days.
 */
import { BOOL_FALSE, BOOL_TRUE } from '../load/cells';
import { boolColumn, floatColumn, timeColumn } from './engine/columns';
import { dayOf, formatDay, monthStart } from './engine/dates';
import { keys } from './engine/columns';
import type { Measure } from './engine/measure';
import { required } from './engine/rowFilter';
import type { ResultRow } from './engine/types';

export const realizedLtvSegments: Measure = {
  name: 'realized-ltv-segments',
  title: 'Realized LTV Segments',
  reads: ['original_store_transaction_id', 'price_in_usd'],
  query: 'scheduled-data-exports_6',
  takes: 'since',
  compute(input, p, tally) {
    tally.correct('corrected: the subscriptions CTE written as valid SQL', 'the missing GROUP BY 1, 2 added');
    const subs = keys(input, 'original_store_transaction_id');
    const groups = subs.count + 1; // the last one: NULL
    // per group, side by side so that a row touches one cache line: its first start (Infinity: no
    // row) and the sum of its prices; and, in a byte per group, had_a_trial bits (1: a true, 2: a
    // false) and 4 once a price was added (small enough to stay in cache)
    const { acc, bits } = buffers(subs, groups);
    input.parts.forEach((part, i) => {
      const t = part.delivery.table;
      const start = required(timeColumn(t, 'start_time'), 'start_time', part);
      const trial = required(boolColumn(t, 'is_trial_period'), 'is_trial_period', part);
      const price = floatColumn(t, 'price_in_usd');
      if (!price) tally.note(part, 'no price_in_usd column');
      const sub = subs.of[i]!;
      const { rows } = tally.select(part, { startFrom: p.from! + 1, startTo: Infinity, trial: null }, [
        'is_trial_period',
        'price_in_usd',
      ]);
      for (let k = 0; k < rows.length; k++) {
        const r = rows[k];
        let g = sub[r];
        if (g < 0) g = groups - 1;
        const at = 2 * g;
        // a selected row has a start (its date is after `from`)
        const s = start[r];
        if (s < acc[at]) acc[at] = s;
        const x = price ? price[r] : NaN;
        const tr = trial[r];
        let b = tr === BOOL_TRUE ? 1 : tr === BOOL_FALSE ? 2 : 0;
        if (x === x) {
          acc[at + 1] += x;
          b |= 4;
        }
        bits[g] |= b;
      }
    });
    // (month, had_a_trial: 0 false, 1 true, 2 NULL) → count, sum, values, in arrays by a slot per
    // month (in order of first sight); a day's slot worked out once
    const base = p.from! + 1;
    const slotOfDay = new Int32Array(4096).fill(-1);
    const slotOfMonth = new Map<number, number>();
    const monthOfSlot: number[] = [];
    let n = new Float64Array(3 * 64);
    let sum = new Float64Array(3 * 64);
    let values = new Float64Array(3 * 64);
    for (let g = 0; g < groups; g++) {
      const first = acc[2 * g];
      if (first === Infinity) continue;
      const day = dayOf(first);
      const d = day - base;
      let slot = d < 4096 ? slotOfDay[d] : -1;
      if (slot < 0) {
        const month = monthStart(day);
        slot = slotOfMonth.get(month) ?? -1;
        if (slot < 0) {
          slotOfMonth.set(month, (slot = monthOfSlot.length));
          monthOfSlot.push(month);
          if (3 * monthOfSlot.length > n.length) [n, sum, values] = [n, sum, values].map(twice);
        }
        if (d < 4096) slotOfDay[d] = slot;
      }
      const b = bits[g];
      const at = 3 * slot + (b & 1 ? 1 : b & 2 ? 0 : 2);
      n[at]++;
      if (b & 4) {
        sum[at] += acc[2 * g + 1];
        values[at]++;
      }
    }
    const segments = new Map<number, { n: number; sum: number; values: number }>();
    monthOfSlot.forEach((month, slot) => {
      for (let trial = 0; trial < 3; trial++) {
        const at = 3 * slot + trial;
        if (n[at]) segments.set(month * 3 + trial, { n: n[at], sum: sum[at], values: values[at] });
      }
    });
    const rows: ResultRow[] = [];
    for (const key of [...segments.keys()].sort((a, b) => a - b)) {
      const s = segments.get(key)!;
      const trial = key % 3;
      const sum = s.values ? s.sum : null;
      rows.push({
        subscription_start_month: formatDay(Math.floor(key / 3)),
        had_a_trial: trial === 2 ? null : trial === 1,
        subscriptions: s.n,
        realized_ltv: sum,
        realized_ltv_per_subscription: sum === null ? null : sum / s.n,
      });
    }
    return rows;
  },
};

const twice = (a: Float64Array) => {
  const x = new Float64Array(2 * a.length);
  x.set(a);
  return x;
};

/**
 * Per set of keys, the per-group accumulators, kept from one run to the next (fresh memory is
 * slow to touch): first starts (Infinity: no row) beside price sums, and the bits, reset here.
 */
const kept = new WeakMap<object, { acc: Float64Array; bits: Uint8Array }>();

function buffers(subs: object, groups: number): { acc: Float64Array; bits: Uint8Array } {
  let b = kept.get(subs);
  if (!b || b.bits.length !== groups)
    kept.set(subs, (b = { acc: new Float64Array(2 * groups), bits: new Uint8Array(groups) }));
  const { acc, bits } = b;
  for (let g = 0; g < groups; g++) {
    acc[2 * g] = Infinity;
    acc[2 * g + 1] = 0;
  }
  bits.fill(0);
  return b;
}
