/**
 * Active Subscriptions as of a date: RevenueCat's documented query scheduled-data-exports_2.
 *
 *   SELECT COUNT(*) FROM [table]
 *   WHERE date(effective_end_time) > d AND date(start_time) <= d AND is_trial_period = 'false'
 *     AND DATE_DIFF('s', start_time, end_time)::float > 0
 *     AND ownership_type != 'FAMILY_SHARED' AND store != 'promotional' AND is_sandbox != 'true'
 *
 * Older templates (filter.ts): v1/v2 compare end_time in place of effective_end_time, and files
 * before v3 have no ownership_type condition.
 */
import { countActive } from './engine/measure';
import { onDate, type Measure } from './engine/measure';

export const activeSubscriptions: Measure = {
  name: 'active-subscriptions',
  title: 'Active Subscriptions',
  query: 'scheduled-data-exports_2',
  takes: 'date',
  reads: [],
  snapshot: countActive(false),
  compute: onDate(countActive(false)),
};
