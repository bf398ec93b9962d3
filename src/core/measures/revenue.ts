/**
 * Revenue on a date: RevenueCat's documented query scheduled-data-exports_3, run for one day or for
 * each day of a range.
 *
 *   SELECT SUM(purchase_price_in_usd) AS gross_revenue,
 *          SUM(price_in_usd) AS revenue_net_of_refunds,
 *          SUM(price_in_usd * (1 - tax_percentage)) AS revenue_net_of_taxes,
 *          SUM(price_in_usd * (1 - tax_percentage - commission_percentage)) AS proceeds
 *   FROM [table]
 *   WHERE date(start_time) = d AND is_trial_period = 'false'
 *     AND ownership_type != 'FAMILY_SHARED' AND store != 'promotional' AND is_sandbox != 'true'
 *
 * SUM of no value is NULL, so a day without revenue rows is null, not 0. With a resolution (week or
 * month), each period sums its days. Older templates:
 * purchase_price_in_usd arrives in v4 (gross is null before), tax_percentage and
 * commission_percentage in v3 (net of taxes and proceeds are null before); before v4 a refunded
 * row may still carry its price. No ownership_type condition before v3.
 */
import { floatColumn, timeColumn } from './engine/columns';
import { DAY_MS } from './engine/dates';
import { periods } from './engine/dates';
import { required, startedBetween } from './engine/rowFilter';
import type { Measure } from './engine/measure';
import { MeasureError, type RevenueValue } from './engine/types';

/** Longest range of days Revenue reports one by one. */
export const MAX_REVENUE_DAYS = 3660;

export const revenue: Measure = {
  name: 'revenue',
  title: 'Revenue',
  query: 'scheduled-data-exports_3',
  takes: 'date-or-range',
  reads: ['price_in_usd', 'purchase_price_in_usd', 'tax_percentage', 'commission_percentage', 'refunded_at'],
  compute(input, p, tally) {
    const from = p.from ?? p.date!;
    const to = p.to ?? p.date!;
    const days = to - from + 1;
    if (days > MAX_REVENUE_DAYS && (p.resolution ?? 'day') === 'day')
      throw new MeasureError(
        `Revenue lists one line per day: ${days} days is more than ${MAX_REVENUE_DAYS}; choose a shorter range`,
        'request',
      );
    // per day: sum and count of gross, net of refunds, net of taxes, proceeds
    const acc = new Float64Array(days * 8);
    for (const part of input.parts) {
      const t = part.delivery.table;
      const start = required(timeColumn(t, 'start_time'), 'start_time', part);
      const price = floatColumn(t, 'price_in_usd');
      const gross = floatColumn(t, 'purchase_price_in_usd');
      const tax = floatColumn(t, 'tax_percentage');
      const commission = floatColumn(t, 'commission_percentage');
      if (!gross) tally.note(part, 'gross_revenue unknown: no purchase_price_in_usd column (v4 on)');
      if (!tax || !commission)
        tally.note(part, 'net of taxes and proceeds unknown: no tax_percentage / commission_percentage column (v3 on)');
      if (!price) tally.note(part, 'no price_in_usd column');
      const { rows } = tally.select(part, startedBetween(from, to), [
        'price_in_usd',
        'purchase_price_in_usd',
        'tax_percentage',
        'commission_percentage',
      ]);
      for (let k = 0; k < rows.length; k++) {
        const r = rows[k];
        const o = (Math.floor(start[r] / DAY_MS) - from) * 8;
        if (gross) {
          const g = gross[r];
          if (g === g) {
            acc[o] += g;
            acc[o + 1]++;
          }
        }
        if (!price) continue;
        const x = price[r];
        if (x !== x) continue;
        acc[o + 2] += x;
        acc[o + 3]++;
        if (!tax) continue;
        const tx = tax[r];
        const net = x * (1 - tx);
        if (net === net) {
          acc[o + 4] += net;
          acc[o + 5]++;
        }
        if (!commission) continue;
        const proceeds = x * (1 - tx - commission[r]);
        if (proceeds === proceeds) {
          acc[o + 6] += proceeds;
          acc[o + 7]++;
        }
      }
    }
    // days first..last (offsets into the range) summed; SUM of no value is NULL
    const sum = (first: number, last: number): RevenueValue => {
      const t = new Float64Array(8);
      for (let i = first; i <= last; i++) for (let k = 0; k < 8; k++) t[k] += acc[i * 8 + k];
      const v = (k: number) => (t[k + 1] ? t[k] : null);
      return { gross_revenue: v(0), revenue_net_of_refunds: v(2), revenue_net_of_taxes: v(4), proceeds: v(6) };
    };
    if (p.from === undefined) return sum(0, 0);
    const out: Record<string, RevenueValue> = {};
    for (const per of periods(from, to, p.resolution ?? 'day')) out[per.key] = sum(per.first - from, per.last - from);
    return out;
  },
};
