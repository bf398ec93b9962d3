/**
 * Active Subscriptions Movement over a range: RevenueCat's documented query
 * scheduled-data-exports_10, corrected (measures-2.md).
 *
 *   F = rows with (date(start_time) BETWEEN from AND to OR date(effective_end_time) BETWEEN from AND to)
 *       AND is_trial_period = 'false' AND DATE_DIFF('s', start_time, end_time)::float > 0
 *       AND ownership_type != 'FAMILY_SHARED' AND store != 'promotional' AND is_sandbox != 'true'
 *   per day d: new_actives  = F with date(start_time) = d AND (renewal_number = 1 OR is_trial_conversion = 'true')
 *              renewals     = F with date(start_time) = d AND renewal_number > 1 AND is_trial_conversion = 'false'
 *              expirations  = F with date(effective_end_time) = d
 *              churned_actives = expirations − renewals; movement = new_actives − churned_actives
 *
 * Corrections: the query selects from `filtered_subscriptipon_transactions` and has a comma before
 * FROM (it does not run); its range test compares timestamps with midnight of the last day (date()
 * on both sides here); its FULL JOIN is filtered on both sides, dropping days with only starts or
 * only expirations (every day is reported); churn uses the non-coalesced counts (coalesced here).
 * Weeks and months sum their days. Older templates: end_time for effective_end_time before v3, no
 * ownership_type condition before v3.
 */
import { type Measure } from './engine/measure';
import { MOVEMENT_CORRECTIONS, movementSums, sumByPeriod } from './engine/movement';

export const activeSubscriptionsMovement: Measure = {
  name: 'active-subscriptions-movement',
  title: 'Active Subscriptions Movement',
  reads: ['is_trial_conversion'],
  query: 'scheduled-data-exports_10',
  takes: 'movement',
  compute(input, p, tally) {
    tally.correct(...MOVEMENT_CORRECTIONS);
    const [added, renewed, expired] = movementSums(input, p.from!, p.to!, tally, null);
    const out: Record<string, Record<string, number>> = {};
    for (const [key, [n, r, x]] of sumByPeriod(p, [added, renewed, expired])) {
      out[key] = { new_actives: n, renewals: r, expirations: x, churned_actives: x - r, movement: n - (x - r) };
    }
    return out;
  },
};
