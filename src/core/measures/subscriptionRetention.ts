/**
 * Subscription Retention per product: RevenueCat's documented query scheduled-data-exports_14, as
 * written, with CURRENT_DATE = the as-of date A and the cohorts of a range (measures-2.md).
 *
 *   FT   = rows WHERE end_time IS NOT NULL AND NOT (billing_issues_detected_at IS NOT NULL
 *          AND (store = 'play_store' OR store = 'stripe')) AND is_sandbox <> 'true'
 *          AND is_trial_period = 'false' AND is_in_intro_offer_period = 'false' AND ownership_type = 'PURCHASED'
 *   subs = per (customer, product_identifier, product_duration): DATE(MIN(start_time)) AS first_start_time,
 *          MAX(DATE_DIFF('day', start_time, end_time)) AS max_transaction_duration
 *   cpd  = per (customer, product, calculated duration): product_duration mapped (P7D→P1W, P30D/P4W→P1M,
 *          P12M→P1Y, P200Y/P999Y→lifetime), or when NULL taken from max_transaction_duration
 *   retention: FT ⋈ subs ⋈ cpd on (customer, product), per (first_start_time, product, duration,
 *          period_number) COUNT; period_number = billing cycles since first_start_time (day, week,
 *          ROUND(days/30|60|90|180), ROUND(months/12)); NULL periods left out
 *   pending_retention: the same joined rows still set to renew (unsubscribe_detected_at IS NULL) whose
 *          period has not ended by A (start_time + one period > A), counted at period_number + 1
 *   result: FULL OUTER JOIN of both, subscriptions = the two counts added, first_start_date in the range
 *
 * Both joins are on (customer, product) only, as written: a customer with a product under two
 * product_duration values has two subs rows, and each transaction counts once per pair of subs and
 * cpd rows of its customer and product, as the query counts it. Corrections: CURRENT_DATE → A; the
 * open `first_start_date >=` is the range; period_name from the coalesced duration and period (the
 * document's retention side alone reads "Period " for pending-only rows). Ordered by
 * product_identifier, first_start_date, period_number, then product_duration. Before v3 there is no
 * ownership_type (its condition is dropped); before v4 no product_duration (every duration comes from
 * max_transaction_duration). v1's unsubscribe_registered_at stands for unsubscribe_detected_at.
 */
import { BOOL_FALSE } from '../load/cells';
import { boolColumn, codeOf, dictColumn, timeColumn } from './engine/columns';
import { DAY_MS, dayOf, formatDay } from './engine/dates';
import { keys } from './engine/columns';
import { byMaxDuration, CALC, NAMED, PERIOD_STEP, PERIOD_WORD, periodEnd, periodNumber } from './retentionPeriods';
import type { Measure, Tally } from './engine/measure';
import { required } from './engine/rowFilter';
import type { MeasureInput, MeasureParams, ResultRow } from './engine/types';

/** Called for each count a cell gets: the part and row, the cell (cohort day, product, duration, period). */
export type RetentionVisit = (
  part: number,
  row: number,
  first: number,
  product: string,
  duration: string,
  period: number,
) => void;

/** `to` holding `from`'s values first. */
function grown<T extends Int32Array | Uint32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/**
 * Counts per (first_start_date, product, calculated duration, period_number), in an open-addressing
 * table of whole-number keys: a run bumps about once per row, so no string or object per bump.
 */
class Counts {
  private slots = new Int32Array(1 << 12).fill(-1);
  /** Per entry: the cohort's place (day - from, product, duration), the period, the count. */
  cohort = new Float64Array(1 << 11);
  period = new Int32Array(1 << 11);
  n = new Uint32Array(1 << 11);
  size = 0;

  bump(cohort: number, period: number): void {
    const mask = this.slots.length - 1;
    for (let i = Math.imul(cohort | 0, 0x9e3779b1) ^ Math.imul(period, 0x85ebca6b); ; i++) {
      const k = this.slots[i & mask];
      if (k < 0) break;
      if (this.period[k] === period && this.cohort[k] === cohort) {
        this.n[k]++;
        return;
      }
    }
    const k = this.size++;
    if (k === this.n.length) this.grow();
    this.cohort[k] = cohort;
    this.period[k] = period;
    this.n[k] = 1;
    this.place(k);
  }

  private place(k: number): void {
    const mask = this.slots.length - 1;
    let i = Math.imul(this.cohort[k] | 0, 0x9e3779b1) ^ Math.imul(this.period[k], 0x85ebca6b);
    while (this.slots[i & mask] >= 0) i++;
    this.slots[i & mask] = k;
  }

  private grow(): void {
    const n = this.n.length * 2;
    this.cohort = grown(this.cohort, new Float64Array(n));
    this.period = grown(this.period, new Int32Array(n));
    this.n = grown(this.n, new Uint32Array(n));
    this.slots = new Int32Array(n * 2).fill(-1);
    for (let k = 0; k < this.size - 1; k++) this.place(k);
  }
}

export const subscriptionRetention: Measure = {
  name: 'subscription-retention',
  title: 'Subscription Retention',
  reads: [
    'billing_issues_detected_at',
    'is_in_intro_offer_period',
    'product_duration',
    'product_identifier',
    'rc_original_app_user_id',
    'unsubscribe_detected_at',
    'unsubscribe_registered_at',
  ],
  query: 'scheduled-data-exports_14',
  takes: 'retention',
  compute: (input, p, tally) => retention(input, p, tally),
};

/** The measure's rows; with `visit`, every count is told to it as it is made. */
export function retention(input: MeasureInput, p: MeasureParams, tally: Tally, visit?: RetentionVisit): ResultRow[] {
  tally.correct(
    'corrected: CURRENT_DATE is the as-of date',
    'first_start_date BETWEEN from AND to',
    'period_name from the coalesced duration and period',
  );
  const users = keys(input, 'rc_original_app_user_id');
  const products = keys(input, 'product_identifier');
  const durations = keys(input, 'product_duration', true);
  const nProducts = products.count;
  // the columns each part needs, its notes and unreadable cells: told to the tally on every run
  const cols = input.parts.map((part, i) => {
    const t = part.delivery.table;
    const start = required(timeColumn(t, 'start_time'), 'start_time', part);
    const end = required(timeColumn(t, 'end_time'), 'end_time', part);
    const trial = required(boolColumn(t, 'is_trial_period'), 'is_trial_period', part);
    let unsub = timeColumn(t, 'unsubscribe_detected_at');
    if (!unsub) {
      unsub = timeColumn(t, 'unsubscribe_registered_at');
      if (unsub) tally.note(part, 'unsubscribe_registered_at (the v1 name) read as unsubscribe_detected_at');
    }
    const own = dictColumn(t, 'ownership_type');
    if (!own) tally.note(part, "no ownership_type column, so the condition ownership_type = 'PURCHASED' is dropped");
    if (!durations.of[i])
      tally.note(part, 'no product_duration column, so every duration comes from max_transaction_duration');
    const skip = tally.unreadableMask(part, [
      'start_time',
      'end_time',
      'billing_issues_detected_at',
      'is_sandbox',
      'is_trial_period',
      'is_in_intro_offer_period',
      timeColumn(t, 'unsubscribe_detected_at') ? 'unsubscribe_detected_at' : 'unsubscribe_registered_at',
    ]);
    return { start, end, trial, unsub, own, skip };
  });
  // FT, subs and cpd do not depend on the dates asked for: made once per set of parts
  let pass = passes.get(input.parts);
  if (!pass) passes.set(input.parts, (pass = firstPass(input, users, products, durations, cols)));
  const { ft, groupProduct, groupSub, subNext, subFirst, subs, groupCalc } = pass;
  // each sub's first_start_date, -1 when out of the range (or NULL)
  const subDay = new Float64Array(subs);
  for (let s = 0; s < subs; s++) {
    const first = subFirst[s] === Infinity ? NaN : dayOf(subFirst[s]);
    subDay[s] = first >= p.from! && first <= p.to! ? first : -1;
  }
  // (first_start_date, product, duration, period_number) → retention + pending
  const counts = new Counts();
  const asOf = p.asOf! * DAY_MS;
  const from = p.from!;
  for (const { rows, group, start, unsub, part } of ft) {
    for (let k = 0; k < rows.length; k++) {
      const r = rows[k];
      const st = start[r];
      if (st !== st) continue; // every period number is NULL
      const g = group[k];
      const calc = groupCalc[g];
      if (calc === 0) continue;
      const day = dayOf(st);
      // pending only while renewing and the period (a year at most) may end after A
      const pending = (!unsub || unsub[r] !== unsub[r]) && st + 367 * DAY_MS > asOf;
      for (let s = groupSub[g]; s >= 0; s = subNext[s]) {
        const first = subDay[s];
        if (first < 0) continue;
        const base = ((first - from) * nProducts + groupProduct[g]) * CALC.length;
        for (let c = 0; c < CALC.length; c++) {
          if ((calc & (1 << c)) === 0) continue;
          const period = periodNumber(c, first, day);
          counts.bump(base + c, period);
          visit?.(part, r, first, products.name(groupProduct[g]), CALC[c], period);
          if (pending && periodEnd(c, st) > asOf) {
            counts.bump(base + c, period + 1);
            visit?.(part, r, first, products.name(groupProduct[g]), CALC[c], period + 1);
          }
        }
      }
    }
  }
  // ordered by product name, first day, period, then duration: the names as ranks, compared as numbers
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const nameRank = rankOf(
    Array.from({ length: nProducts }, (_, i) => products.name(i)),
    cmp,
  );
  const durationRank = rankOf([...CALC], cmp);
  const out = [];
  for (let k = 0; k < counts.size; k++) {
    const x = counts.cohort[k];
    const c = x % CALC.length;
    const product = Math.floor(x / CALC.length) % nProducts;
    const first = Math.floor(x / CALC.length / nProducts) + from;
    out.push({ first, c, period: counts.period[k], n: counts.n[k], product });
  }
  out.sort(
    (a, b) =>
      nameRank[a.product] - nameRank[b.product] ||
      a.first - b.first ||
      a.period - b.period ||
      durationRank[a.c] - durationRank[b.c],
  );
  return out.map((x): ResultRow => ({
    first_start_date: formatDay(x.first),
    product_duration: CALC[x.c],
    product_identifier: products.name(x.product),
    period_number: x.period,
    period_name: x.period === 0 ? 'Subscriptions' : `${PERIOD_WORD[x.c]} ${PERIOD_STEP[x.c] * x.period}`,
    subscriptions: x.n,
  }));
}

type Keys = ReturnType<typeof keys>;

/** Per item, its place among the distinct items in `cmp`'s order (equal items share it). */
function rankOf(items: string[], cmp: (a: string, b: string) => number): Int32Array {
  const order = items.map((_, i) => i).sort((a, b) => cmp(items[a], items[b]));
  const rank = new Int32Array(items.length);
  for (let j = 1; j < order.length; j++)
    rank[order[j]] = rank[order[j - 1]] + (cmp(items[order[j - 1]], items[order[j]]) === 0 ? 0 : 1);
  return rank;
}
type PartColumns = {
  start: Float64Array;
  end: Float64Array;
  trial: Uint8Array;
  unsub: Float64Array | null;
  own: ReturnType<typeof dictColumn>;
  skip: Uint8Array | null;
};

/** FT's rows with their (customer, product) group, the subs and each group's calculated durations. */
interface FirstPass {
  ft: { rows: Uint32Array; group: Int32Array; start: Float64Array; unsub: Float64Array | null; part: number }[];
  groupProduct: Int32Array;
  groupSub: Int32Array;
  subNext: Int32Array;
  subFirst: Float64Array;
  subs: number;
  groupCalc: Uint8Array;
}

const passes = new WeakMap<object, FirstPass>();

function firstPass(input: MeasureInput, users: Keys, products: Keys, durations: Keys, cols: PartColumns[]): FirstPass {
  // subs: (customer, product) groups, chained per customer; their (product_duration) subs, chained per group
  // sized for a group per customer (most have one product), grown when there are more
  const userGroup = new Int32Array(users.count).fill(-1);
  const size = Math.max(1 << 14, users.count + 1);
  let groupNext = new Int32Array(size);
  let groupProduct = new Int32Array(size);
  let groupSub = new Int32Array(size);
  let subNext = new Int32Array(size);
  let subDuration = new Int32Array(size);
  let subFirst = new Float64Array(size);
  let subMaxDays = new Float64Array(size);
  let groups = 0;
  let subs = 0;
  const ft = input.parts.map((part, i) => {
    const t = part.delivery.table;
    const { start, end, trial, unsub, own, skip } = cols[i];
    const billing = timeColumn(t, 'billing_issues_detected_at');
    const store = dictColumn(t, 'store');
    const sandbox = boolColumn(t, 'is_sandbox');
    const intro = boolColumn(t, 'is_in_intro_offer_period');
    const duration = durations.of[i];
    const purchased = own ? codeOf(own, 'PURCHASED') : -1;
    const play = store ? codeOf(store, 'play_store') : -1;
    const stripe = store ? codeOf(store, 'stripe') : -1;
    const user = users.of[i]!;
    const product = products.of[i]!;
    const n = part.rows ? part.rows.length : t.rowCount;
    const rows = new Uint32Array(n);
    const group = new Int32Array(n);
    let count = 0;
    for (let k = 0; k < n; k++) {
      const r = part.rows ? part.rows[k] : k;
      if (skip !== null && skip[r] === 1) continue;
      if (end[r] !== end[r]) continue;
      if (billing && billing[r] === billing[r]) {
        // NOT (true AND (store = 'play_store' OR store = 'stripe')): NULL store is NULL, dropped
        if (!store || store.codes[r] === store.nullCode) {
          if (store) continue;
        } else if (store.codes[r] === play || store.codes[r] === stripe) continue;
      }
      if (!sandbox || sandbox[r] !== BOOL_FALSE) continue;
      if (trial[r] !== BOOL_FALSE) continue;
      if (!intro || intro[r] !== BOOL_FALSE) continue;
      if (own && own.codes[r] !== purchased) continue;
      const u = user[r];
      const pr = product[r];
      if (u < 0 || pr < 0) continue; // NULL never joins
      let g = userGroup[u];
      while (g >= 0 && groupProduct[g] !== pr) g = groupNext[g];
      if (g < 0) {
        if (groups === groupNext.length) {
          groupNext = grown(groupNext, new Int32Array(groups * 2));
          groupProduct = grown(groupProduct, new Int32Array(groups * 2));
          groupSub = grown(groupSub, new Int32Array(groups * 2));
        }
        g = groups++;
        groupProduct[g] = pr;
        groupNext[g] = userGroup[u];
        groupSub[g] = -1;
        userGroup[u] = g;
      }
      const d = duration ? duration[r] : -1;
      let s = groupSub[g];
      while (s >= 0 && subDuration[s] !== d) s = subNext[s];
      if (s < 0) {
        if (subs === subNext.length) {
          subNext = grown(subNext, new Int32Array(subs * 2));
          subDuration = grown(subDuration, new Int32Array(subs * 2));
          subFirst = grown(subFirst, new Float64Array(subs * 2));
          subMaxDays = grown(subMaxDays, new Float64Array(subs * 2));
        }
        s = subs++;
        subDuration[s] = d;
        subFirst[s] = Infinity;
        subMaxDays[s] = -Infinity;
        subNext[s] = groupSub[g];
        groupSub[g] = s;
      }
      const st = start[r];
      if (st < subFirst[s]) subFirst[s] = st;
      const days = dayOf(end[r]) - dayOf(st);
      if (days > subMaxDays[s]) subMaxDays[s] = days;
      rows[count] = r;
      group[count++] = g;
    }
    return { rows: rows.slice(0, count), group: group.slice(0, count), start, unsub, part: i };
  });
  // cpd: per group, the calculated durations with a period number (bits of CALC indexes)
  const calcOf = (name: string | null) => (name === null ? -1 : (CALC as readonly string[]).indexOf(name));
  const byDuration = Int8Array.from({ length: durations.count }, (_, d) => {
    const text = durations.name(d);
    return calcOf(NAMED[text] ?? text);
  });
  const byDays = Int8Array.from({ length: 376 }, (_, days) => calcOf(byMaxDuration(days)));
  const groupCalc = new Uint8Array(groups);
  for (let g = 0; g < groups; g++) {
    for (let s = groupSub[g]; s >= 0; s = subNext[s]) {
      const d = subDuration[s];
      const days = subMaxDays[s];
      const c = d >= 0 ? byDuration[d] : days >= 0 && days < byDays.length ? byDays[days] : -1;
      if (c >= 0) groupCalc[g] |= 1 << c;
    }
  }
  return { ft, groupProduct, groupSub, subNext, subFirst, subs, groupCalc };
}
