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
import type { Measure, Tally } from './engine/measure';
import { decimalCents } from './engine/money';
import { required, type FilterSpec, type Selection } from './engine/rowFilter';
import type { MeasureInput, Part, ResultRow } from './engine/types';

const WINDOWS = ['7_days', '30_days', '6_months', '12_months', '24_months', 'unbounded'] as const;

type Keys = ReturnType<typeof keys>;

/** The P rows of each part with the columns read on them, and each customer's first purchase. */
interface PayingRows {
  /** The customers' keys the rows were read with. */
  users: Keys;
  chosen: { rows: Uint32Array; start: Float64Array; price: Float64Array; user: Int32Array }[];
  /** Per part, the row filter's selection (its drops and notes, told to each run's tally). */
  selections: Selection[];
  /** Per customer, MIN(start_time) over its P rows (Infinity: none). */
  first: Float64Array;
  /** The first and last of those days. */
  firstDay: number;
  lastDay: number;
}

const passes = new WeakMap<object, PayingRows>();
/** P's row filter, and the columns read on its rows. */
const P_SPEC: FilterSpec = { startFrom: -Infinity, startTo: Infinity, trial: false };
const P_READS = ['price_in_usd', 'refunded_at'];

/** The notes a part gives whatever the range: columns it lacks. */
function tellParts(part: Part, tally: Tally): void {
  const t = part.delivery.table;
  if (!floatColumn(t, 'price_in_usd')) tally.note(part, 'no price_in_usd column, so no row is a paying one');
  if (!timeColumn(t, 'refunded_at')) tally.note(part, 'no refunded_at column (read as NULL)');
}

function payingRows(input: MeasureInput, users: Keys, tally: Tally): PayingRows {
  const first = new Float64Array(users.count).fill(Infinity);
  const selections: Selection[] = [];
  const chosen = input.parts.map((part, i) => {
    const t = part.delivery.table;
    const start = required(timeColumn(t, 'start_time'), 'start_time', part);
    const price = floatColumn(t, 'price_in_usd');
    const refunded = timeColumn(t, 'refunded_at');
    tellParts(part, tally);
    const user = users.of[i]!;
    const selection = tally.select(part, P_SPEC, P_READS);
    selections.push(selection);
    const { rows } = selection;
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
    return { rows: keep.slice(0, n), start, price: price!, user };
  });
  let firstDay = Infinity;
  let lastDay = -Infinity;
  for (let u = 0; u < first.length; u++)
    if (first[u] !== Infinity) {
      const day = dayOf(first[u]);
      if (day < firstDay) firstDay = day;
      if (day > lastDay) lastDay = day;
    }
  if (firstDay > lastDay) firstDay = lastDay = 0;
  return { users, chosen, selections, first, firstDay, lastDay };
}

export const realizedLtvPerPayingCustomer: Measure = {
  name: 'realized-ltv-per-paying-customer',
  title: 'Realized LTV per Paying Customer',
  reads: ['price_in_usd', 'rc_original_app_user_id', 'refunded_at'],
  query: 'scheduled-data-exports_8',
  takes: 'cohorts',
  compute(input, p, tally) {
    tally.correct('corrected: `price > 0` read as price_in_usd > 0', 'avg_ltv_24_months over 24 months, not 23');
    const users = keys(input, 'rc_original_app_user_id');
    // the P rows and each customer's first purchase do not depend on the range asked for: found
    // once per set of parts; the tally is told each part's notes, drops and unreadable cells every run
    let pass = passes.get(input.parts);
    if (!pass || pass.users !== users) passes.set(input.parts, (pass = payingRows(input, users, tally)));
    else
      input.parts.forEach((part, i) => {
        tellParts(part, tally);
        tally.selectedBefore(part, P_SPEC, P_READS, pass!.selections[i]);
      });
    const { chosen, first } = pass;
    // per customer: its cohort (first purchase day), -1 when out of the range; per day of the
    // first purchases' span, its cohort (four-digit years: at most 3.7 million days)
    const cohortOf = new Int32Array(users.count).fill(-1);
    const cohortAt = new Int32Array(pass.lastDay - pass.firstDay + 1).fill(-1);
    const days: number[] = [];
    const customers: number[] = [];
    const shifts: number[] = []; // per cohort: days in 6, 12 and 24 months from its day
    for (let u = 0; u < first.length; u++) {
      const f = first[u];
      if (f === Infinity) continue;
      const day = dayOf(f);
      if (p.from !== undefined && (day < p.from || day > p.to!)) continue;
      let c = cohortAt[day - pass.firstDay];
      if (c < 0) {
        cohortAt[day - pass.firstDay] = c = days.length;
        days.push(day);
        customers.push(0);
        // n months after any time of the day is as many days later as after its midnight
        for (const n of [6, 12, 24]) shifts.push((addMonthsMs(day * DAY_MS, n) - day * DAY_MS) / DAY_MS);
      }
      cohortOf[u] = c;
      customers[c]++;
    }
    const sums = new Float64Array(days.length * 6);
    for (const { rows, start, price, user } of chosen) {
      for (let k = 0; k < rows.length; k++) {
        const r = rows[k];
        const u = user[r];
        if (u < 0) continue;
        const c = cohortOf[u];
        if (c < 0) continue;
        const at = c * 6;
        const x = price[r];
        const s = start[r];
        const f = first[u];
        // each window's end as f + its length, the sums in row order
        if (f + 7 * DAY_MS > s) sums[at] += x;
        if (f + 30 * DAY_MS > s) sums[at + 1] += x;
        if (shifts[c * 3] * DAY_MS + f > s) sums[at + 2] += x;
        if (shifts[c * 3 + 1] * DAY_MS + f > s) sums[at + 3] += x;
        if (shifts[c * 3 + 2] * DAY_MS + f > s) sums[at + 4] += x;
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
