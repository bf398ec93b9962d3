/**
 * Active Trials by Grace Period Status: RevenueCat's documented query scheduled-data-exports_7.
 *
 *   SELECT CASE WHEN grace_period_end_time IS NOT NULL THEN 'in_grace_period' ELSE 'in_trial_period' END,
 *          COUNT(*)
 *   FROM [table]
 *   WHERE date(effective_end_time) > d AND date(start_time) <= d AND is_trial_period = 'true'
 *     AND DATE_DIFF('s', start_time, effective_end_time)::float > 0      -- effective, unlike the others
 *     AND ownership_type != 'FAMILY_SHARED' AND store != 'promotional' AND is_sandbox != 'true'
 *   GROUP BY period_type
 *
 * A status with no row is reported as 0. Older templates: grace_period_end_time arrives in v3;
 * before it every active trial counts as in_trial_period (what the query gives with the column
 * NULL) and in_grace_period is reported as unknown (null). The rest as in filter.ts.
 */
import { timeColumn } from './engine/columns';
import { onDate, type Measure } from './engine/measure';
import type { SnapshotMeasure } from './engine/measure';

const byGrace: SnapshotMeasure = {
  trial: true,
  span: 'effective',
  reads: ['grace_period_end_time'],
  start: (_p, tally) => {
    let known = false;
    return {
      channels: 2,
      part(part) {
        const g = timeColumn(part.delivery.table, 'grace_period_end_time');
        if (g) known = true;
        else tally.note(part, 'no grace_period_end_time column, so no trial shows as in a grace period');
        return (r, out) => {
          const grace = g !== null && g[r] === g[r];
          out[0] = grace ? 1 : 0;
          out[1] = grace ? 0 : 1;
          return true;
        };
      },
      value: (t) => ({ in_grace_period: known ? t[0] : null, in_trial_period: t[1] }),
    };
  },
};

export const activeTrialsByGracePeriod: Measure = {
  name: 'active-trials-by-grace-period',
  title: 'Active Trials by Grace Period Status',
  query: 'scheduled-data-exports_7',
  takes: 'date',
  reads: ['grace_period_end_time'],
  snapshot: byGrace,
  compute: onDate(byGrace),
};
