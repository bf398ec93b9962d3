/**
 * Currency Flow: credits and debits of in-app currencies per day and transaction_type, from the
 * In-App Currency feed (its latest snapshot, one row per idempotency_key). Not one of RevenueCat's
 * sample queries; in SQL, for a day or each day of a range:
 *
 *   SELECT CAST(event_timestamp AS DATE) AS day, currency_code, transaction_type,
 *          SUM(CASE WHEN adjustment_amount > 0 THEN adjustment_amount END) AS credits,
 *          SUM(CASE WHEN adjustment_amount < 0 THEN adjustment_amount END) AS debits
 *   FROM [table] WHERE CAST(event_timestamp AS DATE) BETWEEN a AND b
 *   GROUP BY 1, 2, 3
 *
 * A group without a credit (or debit) has NULL there, as SUM of nothing is; a NULL currency or type
 * is its own group, shown as NULL. Keys are `day · currency · transaction_type`.
 */
import { DAY_MS, formatDay } from './engine/dates';
import { eachAdjustment, type Measure } from './engine/measure';

export const currencyFlow: Measure = {
  name: 'currency-flow',
  title: 'Currency Flow',
  query: 'none (In-App Currency feed: credits and debits per day, currency and transaction_type)',
  takes: 'date-or-range',
  feed: 'in-app-currency',
  compute(input, p, tally) {
    const from = p.from ?? p.date!;
    const to = p.to ?? p.date!;
    const groups = new Map<string, { credits: number; nc: number; debits: number; nd: number }>();
    for (const part of input.parts)
      eachAdjustment(part, tally, 'transaction_type', (r, { currency, by: type, amount, at }) => {
        const day = Math.floor(at[r] / DAY_MS);
        if (!(day >= from && day <= to)) return;
        const c = currency.codes[r];
        const ty = type.codes[r];
        const key = `${formatDay(day)} · ${c === currency.nullCode ? 'NULL' : currency.dict[c]} · ${ty === type.nullCode ? 'NULL' : type.dict[ty]}`;
        let g = groups.get(key);
        if (!g) groups.set(key, (g = { credits: 0, nc: 0, debits: 0, nd: 0 }));
        const x = amount[r];
        if (x > 0) {
          g.credits += x;
          g.nc++;
        } else if (x < 0) {
          g.debits += x;
          g.nd++;
        }
      });
    const out: Record<string, Record<string, number | null>> = {};
    for (const key of [...groups.keys()].sort()) {
      const g = groups.get(key)!;
      out[key] = { credits: g.nc ? g.credits : null, debits: g.nd ? g.debits : null };
    }
    return out;
  },
};
