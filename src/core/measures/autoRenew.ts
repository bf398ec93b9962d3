/**
 * Active Subscriptions by Auto-Renew Status: RevenueCat's documented query scheduled-data-exports_9.
 *
 *   SELECT CASE WHEN unsubscribe_detected_at IS NOT NULL THEN 'Set to cancel' ELSE 'Set to renew' END,
 *          COUNT(*)
 *   FROM [table] WHERE <Active Subscriptions' conditions> GROUP BY 1
 *
 * A status with no row is reported as 0. Older templates: v1 calls the column
 * unsubscribe_registered_at; the rest as in filter.ts.
 */
import { timeColumn } from './engine/columns';
import { activeOn, required } from './engine/rowFilter';
import type { Measure } from './engine/measure';

export const activeSubscriptionsByAutoRenew: Measure = {
  name: 'active-subscriptions-by-auto-renew',
  title: 'Active Subscriptions by Auto-Renew Status',
  query: 'scheduled-data-exports_9',
  takes: 'date',
  compute(input, p, tally) {
    let cancel = 0;
    let renew = 0;
    for (const part of input.parts) {
      const t = part.delivery.table;
      let unsub = timeColumn(t, 'unsubscribe_detected_at');
      if (!unsub) {
        unsub = required(timeColumn(t, 'unsubscribe_registered_at'), 'unsubscribe_detected_at', part);
        tally.note(part, 'unsubscribe_registered_at (the v1 name) read as unsubscribe_detected_at');
      }
      const { rows } = tally.select(part, activeOn(p.date!, false), [
        'unsubscribe_detected_at',
        'unsubscribe_registered_at',
      ]);
      for (let k = 0; k < rows.length; k++) {
        if (unsub[rows[k]] === unsub[rows[k]]) cancel++;
        else renew++;
      }
    }
    return { 'Set to cancel': cancel, 'Set to renew': renew };
  },
};
