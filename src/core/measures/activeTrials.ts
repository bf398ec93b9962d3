/**
 * Active Trials as of a date: RevenueCat's documented query scheduled-data-exports_1.
 *
 *   SELECT COUNT(*) FROM [table]
 *   WHERE date(effective_end_time) > d AND date(start_time) <= d AND is_trial_period = 'true'
 *     AND DATE_DIFF('s', start_time, end_time)::float > 0
 *     AND ownership_type != 'FAMILY_SHARED' AND store != 'promotional' AND is_sandbox != 'true'
 *
 * Older templates (filter.ts): v1/v2 compare end_time in place of effective_end_time, and files
 * before v3 have no ownership_type condition.
 */
import { countActive } from './engine/measure';
import { onDate, type Measure } from './engine/measure';

export const activeTrials: Measure = {
  name: 'active-trials',
  title: 'Active Trials',
  query: 'scheduled-data-exports_1',
  takes: 'date',
  reads: [],
  snapshot: countActive(true),
  compute: onDate(countActive(true)),
};
