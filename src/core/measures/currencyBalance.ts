/**
 * Currency Balance: each customer's balance of each in-app currency as of the end of a date, from
 * the In-App Currency feed (its latest snapshot, one row per idempotency_key). Not one of
 * RevenueCat's sample queries; in SQL:
 *
 *   SELECT rc_original_app_user_id, currency_code, SUM(adjustment_amount) AS balance
 *   FROM [table]
 *   WHERE CAST(event_timestamp AS DATE) <= d
 *     AND rc_original_app_user_id IS NOT NULL AND currency_code IS NOT NULL
 *   GROUP BY 1, 2
 *
 * Summing the adjustments (rather than reading updated_balance) gives the balance at any date,
 * also where two adjustments share a timestamp. Sandbox adjustments count: a sandbox customer's
 * balance is its own. The key of each balance is `user · currency`.
 */
import { DAY_MS } from './engine/dates';
import { eachAdjustment, type Measure } from './engine/measure';

export const currencyBalance: Measure = {
  name: 'currency-balance',
  title: 'Currency Balance',
  query: 'none (In-App Currency feed: SUM(adjustment_amount) per customer and currency up to the date)',
  takes: 'date',
  feed: 'in-app-currency',
  compute(input, p, tally) {
    const sums = new Map<string, { total: number; values: number }>();
    const end = (p.date! + 1) * DAY_MS;
    for (const part of input.parts)
      eachAdjustment(part, tally, 'rc_original_app_user_id', (r, { currency, by: user, amount, at }) => {
        if (!(at[r] < end)) return;
        const u = user.codes[r];
        const c = currency.codes[r];
        if (u === user.nullCode || c === currency.nullCode) return;
        const key = `${user.dict[u]} · ${currency.dict[c]}`;
        let s = sums.get(key);
        if (!s) sums.set(key, (s = { total: 0, values: 0 }));
        const x = amount[r];
        if (x === x) {
          s.total += x;
          s.values++;
        }
      });
    const out: Record<string, number | null> = {};
    for (const key of [...sums.keys()].sort()) {
      const s = sums.get(key)!;
      out[key] = s.values ? s.total : null;
    }
    return out;
  },
};
