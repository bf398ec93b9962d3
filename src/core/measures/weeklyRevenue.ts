/**
 * Weekly Revenue, weeks starting on Monday: RevenueCat's documented query scheduled-data-exports_5.
 *
 *   SELECT date_trunc('week', start_time) AS week, SUM(price_in_usd) AS total_revenue
 *   FROM [table]
 *   WHERE date(start_time) BETWEEN a AND b AND is_trial_period = 'false'
 *     AND ownership_type != 'FAMILY_SHARED' AND store != 'promotional' AND is_sandbox != 'true'
 *   GROUP BY week
 *
 * One entry per week that has rows (keyed by its Monday, YYYY-MM-DD), in order; a week whose prices
 * are all NULL sums to null. With --resolution, the range is cut into periods instead (every one
 * present, keyed by its first day), each the sum over its days. Older templates: no ownership_type condition before v3.
 */
import { floatColumn, timeColumn } from './engine/columns';
import { DAY_MS, formatDay, weekStart } from './engine/dates';
import { required, startedBetween } from './engine/rowFilter';
import type { Measure, Tally } from './engine/measure';
import { sumByPeriod } from './engine/movement';
import type { MeasureInput, MeasureParams } from './engine/types';

/**
 * SUM(price_in_usd) of the range's paid rows, in slots by start day: per slot the sum, its number
 * of values (none: the SUM is NULL) and its number of rows.
 */
function sumPrices(
  input: MeasureInput,
  p: MeasureParams,
  tally: Tally,
  slots: number,
  slotOf: (day: number) => number,
) {
  const sum = new Float64Array(slots);
  const values = new Float64Array(slots);
  const rowsIn = new Float64Array(slots);
  for (const part of input.parts) {
    const t = part.delivery.table;
    const start = required(timeColumn(t, 'start_time'), 'start_time', part);
    const price = floatColumn(t, 'price_in_usd');
    if (!price) tally.note(part, 'no price_in_usd column');
    const { rows } = tally.select(part, startedBetween(p.from!, p.to!), ['price_in_usd']);
    for (let k = 0; k < rows.length; k++) {
      const r = rows[k];
      const w = slotOf(Math.floor(start[r] / DAY_MS));
      rowsIn[w]++;
      const x = price ? price[r] : NaN;
      if (x === x) {
        sum[w] += x;
        values[w]++;
      }
    }
  }
  return { sum, values, rowsIn };
}

export const weeklyRevenue: Measure = {
  name: 'weekly-revenue',
  title: 'Weekly Revenue',
  query: 'scheduled-data-exports_5',
  takes: 'range',
  reads: ['price_in_usd'],
  compute(input, p, tally) {
    const out: Record<string, number | null> = {};
    if (p.resolution) {
      // every period of the range (day, week, month), each the SUM over its days
      const { sum, values } = sumPrices(input, p, tally, p.to! - p.from! + 1, (d) => d - p.from!);
      for (const [key, [s, n]] of sumByPeriod(p, [sum, values])) out[key] = n ? s : null;
      return out;
    }
    const first = weekStart(p.from!);
    const weeks = Math.floor((p.to! - first) / 7) + 1;
    const { sum, values, rowsIn } = sumPrices(input, p, tally, weeks, (d) => Math.floor((d - first) / 7));
    for (let w = 0; w < weeks; w++) if (rowsIn[w]) out[formatDay(first + 7 * w)] = values[w] ? sum[w] : null;
    return out;
  },
};
