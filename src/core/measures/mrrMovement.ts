/**
 * MRR Movement over a range: RevenueCat's documented query scheduled-data-exports_11, corrected as
 * Active Subscriptions Movement is (same rows F, same day buckets), with `price` read as
 * price_in_usd (no export has a `price` column).
 *
 *   transaction_mrr = MRR's per-transaction normalisation (_12, rounded to cents) when
 *                     effective_end_time IS NOT NULL, else NULL
 *   per day d: new_mrr     = SUM(transaction_mrr) over F with date(start_time) = d AND (renewal_number = 1 OR is_trial_conversion = 'true')
 *              renewal_mrr = … with renewal_number > 1 AND is_trial_conversion = 'false'
 *              expired_mrr = SUM(transaction_mrr) over F with date(effective_end_time) = d
 *              each 0 when no row; churned_mrr = expired_mrr − renewal_mrr; movement = new_mrr − churned_mrr
 *
 * Sums are kept in whole cents, so they are exact. Weeks and months sum their days.
 */
import { type Measure } from './engine/measure';
import { MOVEMENT_CORRECTIONS, movementSums, sumByPeriod } from './engine/movement';
import { MRR_READS, transactionMrr } from './mrr';

export const mrrMovement: Measure = {
  name: 'mrr-movement',
  title: 'MRR Movement',
  reads: ['is_trial_conversion', 'is_in_intro_offer_period', 'price_in_usd', 'product_duration'],
  query: 'scheduled-data-exports_11',
  takes: 'movement',
  compute(input, p, tally) {
    tally.correct(...MOVEMENT_CORRECTIONS, '`price` read as price_in_usd');
    const [added, renewed, expired] = movementSums(
      input,
      p.from!,
      p.to!,
      tally,
      (part) => transactionMrr(part, tally),
      MRR_READS,
    );
    const out: Record<string, Record<string, number>> = {};
    for (const [key, [n, r, x]] of sumByPeriod(p, [added, renewed, expired])) {
      out[key] = {
        new_mrr: n / 100,
        renewal_mrr: r / 100,
        expired_mrr: x / 100,
        churned_mrr: (x - r) / 100,
        movement: (n - (x - r)) / 100,
      };
    }
    return out;
  },
};
