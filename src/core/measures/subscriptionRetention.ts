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
import { addMonthsMs, DAY_MS, dayOf, formatDay, monthIndex, weekStart } from './engine/dates';
import { keys, type Keys } from './engine/columns';
import type { Measure } from './engine/measure';
import { required } from './engine/rowFilter';
import type { MeasureInput, MeasureParams, ResultRow } from './engine/types';
import type { Tally } from './engine/measure';

/** Called for each count a cell gets: the part and row, the cell (cohort day, product, duration, period). */
export type RetentionVisit = (
  part: number,
  row: number,
  first: number,
  product: string,
  duration: string,
  period: number,
) => void;

/** The durations that give a period number, in this order (others: NULL, left out). */
const CALC = ['P1D', 'P1W', 'P1M', 'P2M', 'P3M', 'P6M', 'P1Y'] as const;
const NAMED: Record<string, string> = {
  P7D: 'P1W',
  P30D: 'P1M',
  P4W: 'P1M',
  P12M: 'P1Y',
  P200Y: 'lifetime',
  P999Y: 'lifetime',
};

function byMaxDuration(d: number): string | null {
  if (d >= 0 && d <= 1) return 'P1D';
  if (d === 3) return 'P3D';
  if (d >= 6 && d <= 8) return 'P1W';
  if (d >= 12 && d <= 16) return 'P2W';
  if (d >= 27 && d <= 37) return 'P1M';
  if (d >= 58 && d <= 62) return 'P2M';
  if (d >= 88 && d <= 95) return 'P3M';
  if (d >= 179 && d <= 185) return 'P6M';
  if (d >= 363 && d <= 375) return 'P1Y';
  return null;
}

/** ROUND(a / b) of NUMERICs: half away from zero (b > 0). */
function roundDiv(a: number, b: number): number {
  const q = Math.floor((2 * Math.abs(a) + b) / (2 * b));
  return a < 0 ? -q : q;
}

/** period_number for calculated duration CALC[c], cohort day `first`, transaction start day `day`. */
function periodNumber(c: number, first: number, day: number): number {
  switch (c) {
    case 0:
      return day - first;
    case 1:
      return (weekStart(day) - weekStart(first)) / 7;
    case 2:
      return roundDiv(day - first, 30);
    case 3:
      return roundDiv(day - first, 60);
    case 4:
      return roundDiv(day - first, 90);
    case 5:
      return roundDiv(day - first, 180);
    default:
      return roundDiv(monthIndex(day) - monthIndex(first), 12);
  }
}

/** start_time + one period of CALC[c] (DATE_ADD with '1 day', '1 week', 'n months', '1 year'). */
function periodEnd(c: number, start: number): number {
  if (c === 0) return start + DAY_MS;
  if (c === 1) return start + 7 * DAY_MS;
  return addMonthsMs(start, [1, 2, 3, 6, 12][c - 2]);
}

const PERIOD_WORD = ['Day', 'Week', 'Month', 'Month', 'Month', 'Month', 'Year'];
const PERIOD_STEP = [1, 1, 1, 2, 3, 6, 1];

interface Sub {
  readonly duration: number; // product_duration key, -1 NULL
  first: number; // MIN(start_time), ms
  maxDays: number;
}

interface Group {
  readonly product: number;
  readonly subs: Sub[];
  /** cpd: distinct calculated durations with a period number (CALC indexes). */
  calc: number[];
}

interface Column {
  readonly user: (r: number) => number;
  readonly product: (r: number) => number;
  readonly duration: ((r: number) => number) | null;
}

export const subscriptionRetention: Measure = {
  name: 'subscription-retention',
  title: 'Subscription Retention',
  query: 'scheduled-data-exports_14',
  takes: 'retention',
  compute: (input, p, tally) => retention(input, p, tally),
};

/** The measure's rows; with `visit`, every count is told to it as it is made. */
export function retention(input: MeasureInput, p: MeasureParams, tally: Tally, visit?: RetentionVisit): ResultRow[] {
  {
    tally.correct(
      'corrected: CURRENT_DATE is the as-of date',
      'first_start_date BETWEEN from AND to',
      'period_name from the coalesced duration and period',
    );
    const users = keys(input, 'rc_original_app_user_id');
    const products = keys(input, 'product_identifier');
    const hasDuration = input.parts.map((part) => dictColumn(part.delivery.table, 'product_duration') !== null);
    const durationNames: string[] = [];
    const durationIds = new Map<string, number>();
    const durations: Keys | null = hasDuration.some((x) => x)
      ? keys(
          { ...input, parts: input.parts.filter((_, i) => hasDuration[i]) },
          'product_duration',
          durationNames,
          durationIds,
        )
      : null;
    let withDuration = 0;
    const columns: Column[] = input.parts.map((_, i) => ({
      user: users.of[i],
      product: products.of[i],
      duration: hasDuration[i] ? durations!.of[withDuration++] : null,
    }));
    const groups: Group[] = [];
    const groupOf = new Map<number, number>();
    const nProducts = products.names.length;
    // the FT rows of each part and their group
    const ft = input.parts.map((part, i) => {
      const t = part.delivery.table;
      const start = required(timeColumn(t, 'start_time'), 'start_time', part);
      const end = required(timeColumn(t, 'end_time'), 'end_time', part);
      const billing = timeColumn(t, 'billing_issues_detected_at');
      const store = dictColumn(t, 'store');
      const sandbox = boolColumn(t, 'is_sandbox');
      const trial = required(boolColumn(t, 'is_trial_period'), 'is_trial_period', part);
      const intro = boolColumn(t, 'is_in_intro_offer_period');
      const own = dictColumn(t, 'ownership_type');
      let unsub = timeColumn(t, 'unsubscribe_detected_at');
      if (!unsub) {
        unsub = timeColumn(t, 'unsubscribe_registered_at');
        if (unsub) tally.note(part, 'unsubscribe_registered_at (the v1 name) read as unsubscribe_detected_at');
      }
      if (!own) tally.note(part, "no ownership_type column, so the condition ownership_type = 'PURCHASED' is dropped");
      if (!hasDuration[i])
        tally.note(part, 'no product_duration column, so every duration comes from max_transaction_duration');
      const purchased = own ? codeOf(own, 'PURCHASED') : -1;
      const play = store ? codeOf(store, 'play_store') : -1;
      const stripe = store ? codeOf(store, 'stripe') : -1;
      const skip = tally.unreadableMask(part, [
        'start_time',
        'end_time',
        'billing_issues_detected_at',
        'is_sandbox',
        'is_trial_period',
        'is_in_intro_offer_period',
        timeColumn(t, 'unsubscribe_detected_at') ? 'unsubscribe_detected_at' : 'unsubscribe_registered_at',
      ]);
      const c = columns[i];
      const n = part.rows ? part.rows.length : t.rowCount;
      const rows = new Uint32Array(n);
      const group = new Int32Array(n);
      const sub = new Int32Array(n);
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
        const u = c.user(r);
        const pr = c.product(r);
        if (u < 0 || pr < 0) continue; // NULL never joins
        const pair = u * nProducts + pr;
        let g = groupOf.get(pair);
        if (g === undefined) {
          g = groups.length;
          groupOf.set(pair, g);
          groups.push({ product: pr, subs: [], calc: [] });
        }
        const d = c.duration ? c.duration(r) : -1;
        const subs = groups[g].subs;
        let s = subs.findIndex((x) => x.duration === d);
        if (s < 0) {
          s = subs.length;
          subs.push({ duration: d, first: Infinity, maxDays: -Infinity });
        }
        const st = start[r];
        if (st < subs[s].first) subs[s].first = st;
        const days = dayOf(end[r]) - dayOf(st);
        if (days > subs[s].maxDays) subs[s].maxDays = days;
        rows[count] = r;
        group[count] = g;
        sub[count++] = s;
      }
      return { rows: rows.subarray(0, count), group: group.subarray(0, count), start, unsub, part: i };
    });
    for (const g of groups) {
      const calc = new Set<number>();
      for (const s of g.subs) {
        const text = s.duration >= 0 ? (NAMED[durationNames[s.duration]] ?? durationNames[s.duration]) : null;
        const name = s.duration >= 0 ? text : s.maxDays === -Infinity ? null : byMaxDuration(s.maxDays);
        const c = name === null ? -1 : (CALC as readonly string[]).indexOf(name);
        if (c >= 0) calc.add(c);
      }
      g.calc = [...calc];
    }
    // (first_start_date, product, duration, period_number) → [retention, pending]
    const counts = new Map<string, { first: number; product: number; c: number; period: number; n: number }>();
    const asOf = p.asOf! * DAY_MS;
    const bump = (first: number, product: number, c: number, period: number) => {
      const key = `${first}|${product}|${c}|${period}`;
      const x = counts.get(key);
      if (x) x.n++;
      else counts.set(key, { first, product, c, period, n: 1 });
    };
    for (const { rows, group, start, unsub, part } of ft) {
      for (let k = 0; k < rows.length; k++) {
        const r = rows[k];
        const st = start[r];
        if (st !== st) continue; // every period number is NULL
        const g = groups[group[k]];
        const day = dayOf(st);
        const renewing = !unsub || unsub[r] !== unsub[r];
        for (const s of g.subs) {
          if (s.first === Infinity) continue;
          const first = dayOf(s.first);
          if (first < p.from! || first > p.to!) continue;
          for (const c of g.calc) {
            const period = periodNumber(c, first, day);
            bump(first, g.product, c, period);
            visit?.(part, r, first, products.names[g.product], CALC[c], period);
            if (renewing && periodEnd(c, st) > asOf) {
              bump(first, g.product, c, period + 1);
              visit?.(part, r, first, products.names[g.product], CALC[c], period + 1);
            }
          }
        }
      }
    }
    const out = [...counts.values()].map((x) => ({ ...x, duration: CALC[x.c], name: products.names[x.product] }));
    const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    out.sort((a, b) => cmp(a.name, b.name) || a.first - b.first || a.period - b.period || cmp(a.duration, b.duration));
    return out.map((x): ResultRow => ({
      first_start_date: formatDay(x.first),
      product_duration: x.duration,
      product_identifier: x.name,
      period_number: x.period,
      period_name: x.period === 0 ? 'Subscriptions' : `${PERIOD_WORD[x.c]} ${PERIOD_STEP[x.c] * x.period}`,
      subscriptions: x.n,
    }));
  }
}
