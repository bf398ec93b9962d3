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
import { onDate, type Measure } from './engine/measure';
import { required } from './engine/rowFilter';
import type { SnapshotMeasure } from './engine/measure';

const byStatus: SnapshotMeasure = {
  trial: false,
  reads: ['unsubscribe_detected_at', 'unsubscribe_registered_at'],
  start: (_p, tally) => ({
    channels: 2,
    part(part) {
      const t = part.delivery.table;
      let unsub = timeColumn(t, 'unsubscribe_detected_at');
      if (!unsub) {
        unsub = required(timeColumn(t, 'unsubscribe_registered_at'), 'unsubscribe_detected_at', part);
        tally.note(part, 'unsubscribe_registered_at (the v1 name) read as unsubscribe_detected_at');
      }
      const u = unsub;
      return (r, out) => {
        const cancel = u[r] === u[r];
        out[0] = cancel ? 1 : 0;
        out[1] = cancel ? 0 : 1;
        return true;
      };
    },
    value: (t) => ({ 'Set to cancel': t[0], 'Set to renew': t[1] }),
  }),
};

export const activeSubscriptionsByAutoRenew: Measure = {
  name: 'active-subscriptions-by-auto-renew',
  title: 'Active Subscriptions by Auto-Renew Status',
  query: 'scheduled-data-exports_9',
  takes: 'date',
  reads: ['unsubscribe_detected_at', 'unsubscribe_registered_at'],
  snapshot: byStatus,
  compute: onDate(byStatus),
};
