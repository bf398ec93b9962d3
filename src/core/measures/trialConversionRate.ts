/**
 * Trial Conversion Rate by Trial End Date: RevenueCat's documented query scheduled-data-exports_13,
 * corrected (measures-2.md).
 *
 *   trials      = rows WHERE is_trial_period: (rc_original_app_user_id, DATE(effective_end_time))
 *   conversions = rows WHERE is_trial_conversion: rc_original_app_user_id
 *   per day d < A: trials_ending = trials ending on d;
 *                  conversions   = those whose customer has at least one conversion row;
 *                  cvr = conversions / trials_ending (NULL when no trial ends that day)
 *
 * Corrections: CURRENT_DATE is the as-of date A (a snapshot is judged as of its own day); the
 * documented LEFT JOIN on the customer counts a trial once per conversion row of its customer (two
 * conversions: counted twice, cvr above 1), so here a trial counts once; cvr in double precision.
 * No other filter, as documented. Weeks and months sum both counts and recompute cvr; days on or
 * after A are not reported, nor a period without a day before A. Before v3, end_time stands in for
 * effective_end_time.
 */
import { BOOL_TRUE } from '../load/cells';
import { boolColumn, timeColumn } from './engine/columns';
import type { ExportTable } from '../load/table';
import { dayOf } from './engine/dates';
import { keys } from './engine/columns';
import type { Measure } from './engine/measure';
import { effectiveEnd, required } from './engine/rowFilter';
import { sumByPeriod } from './engine/movement';

/** The typed columns read: a row with a value no SQL load reads in one of them is left out and counted. */
function readsOf(t: ExportTable): string[] {
  const end = timeColumn(t, 'effective_end_time') ? 'effective_end_time' : 'end_time';
  return ['is_trial_conversion', 'is_trial_period', end];
}

export const trialConversionRate: Measure = {
  name: 'trial-conversion-rate',
  title: 'Trial Conversion Rate',
  reads: ['is_trial_conversion', 'rc_original_app_user_id'],
  query: 'scheduled-data-exports_13',
  takes: 'movement',
  compute(input, p, tally) {
    tally.correct(
      'corrected: CURRENT_DATE is the as-of date',
      'a trial counts once however many conversion rows its customer has',
      'cvr in double precision',
    );
    const from = p.from!;
    const to = Math.min(p.to!, p.asOf! - 1);
    if (to < from) return {};
    const users = keys(input, 'rc_original_app_user_id');
    const converted = new Uint8Array(users.count);
    input.parts.forEach((part, i) => {
      const t = part.delivery.table;
      const conv = required(boolColumn(t, 'is_trial_conversion'), 'is_trial_conversion', part);
      const skip = tally.unreadableMask(part, readsOf(t));
      const user = users.of[i]!;
      const n = part.rows ? part.rows.length : t.rowCount;
      for (let k = 0; k < n; k++) {
        const r = part.rows ? part.rows[k] : k;
        if (skip !== null && skip[r] === 1) continue;
        if (conv[r] !== BOOL_TRUE) continue;
        const u = user[r];
        if (u >= 0) converted[u] = 1;
      }
    });
    const days = to - from + 1;
    const ending = new Float64Array(days);
    const convertedEnding = new Float64Array(days);
    input.parts.forEach((part, i) => {
      const t = part.delivery.table;
      const notes: string[] = [];
      const eff = effectiveEnd(t, notes);
      for (const n of notes) tally.note(part, n);
      const trial = required(boolColumn(t, 'is_trial_period'), 'is_trial_period', part);
      const skip = tally.unreadableMask(part, readsOf(t));
      const user = users.of[i]!;
      const n = part.rows ? part.rows.length : t.rowCount;
      for (let k = 0; k < n; k++) {
        const r = part.rows ? part.rows[k] : k;
        if (skip !== null && skip[r] === 1) continue;
        if (trial[r] !== BOOL_TRUE) continue;
        const d = dayOf(eff[r]) - from;
        if (!(d >= 0 && d < days)) continue;
        ending[d]++;
        const u = user[r];
        if (u >= 0 && converted[u]) convertedEnding[d]++;
      }
    });
    const out: Record<string, Record<string, number | null>> = {};
    for (const [key, [e, c]] of sumByPeriod({ ...p, to }, [ending, convertedEnding])) {
      out[key] = { trials_ending: e, conversions: c, cvr: e ? c / e : null };
    }
    return out;
  },
};
