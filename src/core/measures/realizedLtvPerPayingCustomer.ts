/**
 * Realized LTV per Paying Customer by First Purchase Date: RevenueCat's documented query
 * scheduled-data-exports_8, corrected (measures-2.md).
 *
 *   P = rows WHERE is_trial_period = 'false' AND ownership_type != 'FAMILY_SHARED'
 *       AND store != 'promotional' AND is_sandbox != 'true' AND refunded_at IS NULL AND price_in_usd > 0
 *   first_purchase = MIN(start_time) over P per rc_original_app_user_id
 *   per DATE(first_purchase), over the P rows of those customers:
 *     paying_customers = COUNT(DISTINCT rc_original_app_user_id)
 *     total_ltv_7_days = SUM(price_in_usd WHERE first_purchase + 7 days > start_time)::DECIMAL(18,2),
 *     likewise 30 days, 6, 12 and 24 months (calendar months), and unbounded (every P row)
 *     avg_ltv_… = (the total before rounding / paying_customers)::DECIMAL(18,2)
 *
 * Corrections: `price > 0` reads price_in_usd (no export has `price`); avg_ltv_24_months looks 24
 * months ahead (the document says 23). Rows whose customer is NULL join no first purchase (their
 * date would be NULL) and are left out. Rows for the first purchase dates of the range (default:
 * all), ordered by date. Before v4 refunded rows may carry their price; the filter is as written.
 */
import { floatColumn, timeColumn } from './engine/columns';
import { addMonthsMs, DAY_MS, dayOf, formatDay } from './engine/dates';
import { keys } from './engine/columns';
import type { Measure } from './engine/measure';
import { decimalCents } from './engine/money';
import { required } from './engine/rowFilter';
import type { ResultRow } from './engine/types';

const WINDOWS = ['7_days', '30_days', '6_months', '12_months', '24_months', 'unbounded'] as const;

export const realizedLtvPerPayingCustomer: Measure = {
  name: 'realized-ltv-per-paying-customer',
  title: 'Realized LTV per Paying Customer',
  reads: ['price_in_usd', 'rc_original_app_user_id', 'refunded_at'],
  query: 'scheduled-data-exports_8',
  takes: 'cohorts',
  compute(input, p, tally) {
    tally.correct('corrected: `price > 0` read as price_in_usd > 0', 'avg_ltv_24_months over 24 months, not 23');
    const users = keys(input, 'rc_original_app_user_id');
    const first = new Float64Array(users.count).fill(Infinity);
    // the P rows of each part, with their customers
    const chosen = input.parts.map((part, i) => {
      const t = part.delivery.table;
      const start = required(timeColumn(t, 'start_time'), 'start_time', part);
      const price = floatColumn(t, 'price_in_usd');
      const refunded = timeColumn(t, 'refunded_at');
      if (!price) tally.note(part, 'no price_in_usd column, so no row is a paying one');
      if (!refunded) tally.note(part, 'no refunded_at column (read as NULL)');
      const user = users.of[i]!;
      const { rows } = tally.select(part, { startFrom: -Infinity, startTo: Infinity, trial: false }, [
        'price_in_usd',
        'refunded_at',
      ]);
      const keep = new Uint32Array(rows.length);
      let n = 0;
      for (let k = 0; k < rows.length; k++) {
        const r = rows[k];
        if (!price || !(price[r] > 0)) continue;
        if (refunded && refunded[r] === refunded[r]) continue;
        keep[n++] = r;
        const u = user[r];
        if (u >= 0 && start[r] < first[u]) first[u] = start[r];
      }
      return { rows: keep.subarray(0, n), start, price: price!, user };
    });
    // per customer: its cohort (first purchase day) and the window ends, computed once
    const ends = new Float64Array(users.count * 5);
    const cohortOf = new Int32Array(users.count).fill(-1);
    const cohortIndex = new Map<number, number>();
    const days: number[] = [];
    const customers: number[] = [];
    const shifts: number[] = []; // per cohort: days in 6, 12 and 24 months from its day
    for (let u = 0; u < first.length; u++) {
      const f = first[u];
      if (f === Infinity) continue;
      const day = dayOf(f);
      if (p.from !== undefined && (day < p.from || day > p.to!)) continue;
      let c = cohortIndex.get(day);
      if (c === undefined) {
        cohortIndex.set(day, (c = days.length));
        days.push(day);
        customers.push(0);
        // n months after any time of the day is as many days later as after its midnight
        for (const n of [6, 12, 24]) shifts.push((addMonthsMs(day * DAY_MS, n) - day * DAY_MS) / DAY_MS);
      }
      const e = u * 5;
      ends[e] = f + 7 * DAY_MS;
      ends[e + 1] = f + 30 * DAY_MS;
      ends[e + 2] = shifts[c * 3] * DAY_MS + f;
      ends[e + 3] = shifts[c * 3 + 1] * DAY_MS + f;
      ends[e + 4] = shifts[c * 3 + 2] * DAY_MS + f;
      cohortOf[u] = c;
      customers[c]++;
    }
    const sums = new Float64Array(days.length * 6);
    for (const { rows, start, price, user } of chosen) {
      for (let k = 0; k < rows.length; k++) {
        const r = rows[k];
        const u = user[r];
        if (u < 0 || cohortOf[u] < 0) continue;
        const at = cohortOf[u] * 6;
        const x = price[r];
        const s = start[r];
        for (let w = 0; w < 5; w++) if (ends[u * 5 + w] > s) sums[at + w] += x;
        sums[at + 5] += x;
      }
    }
    const rows: ResultRow[] = [];
    const order = days.map((_, c) => c).sort((x, y) => days[x] - days[y]);
    for (const c of order) {
      const row: ResultRow = { first_purchase_date: formatDay(days[c]), paying_customers: customers[c] };
      WINDOWS.forEach((w, i) => (row[`total_ltv_${w}`] = decimalCents(sums[c * 6 + i]) / 100));
      WINDOWS.forEach((w, i) => (row[`avg_ltv_${w}`] = decimalCents(sums[c * 6 + i] / customers[c]) / 100));
      rows.push(row);
    }
    return rows;
  },
};
