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
  query: 'scheduled-data-exports_6',
  takes: 'since',
  compute(input, p, tally) {
    tally.correct('corrected: the subscriptions CTE written as valid SQL', 'the missing GROUP BY 1, 2 added');
    const subs = keys(input, 'original_store_transaction_id');
    const groups = subs.count + 1; // the last one: NULL
    // per group, side by side so that a row touches one cache line: its first start (Infinity: no
    // row) and the sum of its prices; and, in a byte per group, had_a_trial bits (1: a true, 2: a
    // false) and 4 once a price was added (small enough to stay in cache)
    const acc = new Float64Array(2 * groups);
    const bits = new Uint8Array(groups);
    for (let g = 0; g < groups; g++) acc[2 * g] = Infinity;
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
    // (month, had_a_trial: 0 false, 1 true, 2 NULL) → count, sum, values; a day's month worked out once
    const segments = new Map<number, { n: number; sum: number; values: number }>();
    const base = p.from! + 1;
    const months = new Float64Array(4096).fill(NaN);
    for (let g = 0; g < groups; g++) {
      const first = acc[2 * g];
      if (first === Infinity) continue;
      const day = dayOf(first);
      const d = day - base;
      let month = d < 4096 ? months[d] : NaN;
      if (month !== month) month = monthStart(day);
      if (d < 4096) months[d] = month;
      const b = bits[g];
      const key = month * 3 + (b & 1 ? 1 : b & 2 ? 0 : 2);
      let s = segments.get(key);
      if (!s) segments.set(key, (s = { n: 0, sum: 0, values: 0 }));
      s.n++;
      if (b & 4) {
        s.sum += acc[2 * g + 1];
        s.values++;
      }
    }
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
