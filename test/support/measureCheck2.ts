/**
 * Measures part 2 against DuckDB running the spec's SQL: the six new measures and the series of the
 * eight point-in-time ones, compared counts exactly, money to the cent, ratios within 1e-9.
 */
import assert from 'node:assert/strict';
import { runMeasure, type MeasureInput, type MeasureRequest, type Resolution } from '../../src/core/measures';
import { formatDay } from '../../src/core/measures/engine/dates';
import { periods } from '../../src/core/measures/engine/dates';
import type { DuckRef } from './duckdb';
import * as sql from './duckdbMore';

type Obj = Record<string, unknown>;

/** Money: within a cent for rounded sums (rounding of an order-dependent float sum), else 1e-6. */
function same(actual: unknown, expected: unknown, what: string, tolerance: number): void {
  if (expected === null || expected === undefined) {
    assert.equal(actual, null, `${what}: SQL gives NULL, got ${String(actual)}`);
    return;
  }
  if (typeof expected !== 'number') {
    assert.equal(actual, expected, what);
    return;
  }
  assert.equal(typeof actual, 'number', `${what}: ${expected} expected, got ${String(actual)}`);
  assert.ok(Math.abs((actual as number) - expected) <= tolerance, `${what}: ${String(actual)} vs ${expected}`);
}

const RATIO = 1e-9;
const SUM = 1e-6;
const CENT = 0.0100001;

function sameRows(actual: unknown, expected: Obj[], what: string, tolerance: (k: string) => number): void {
  assert.ok(Array.isArray(actual), `${what}: rows`);
  const a = actual as Obj[];
  assert.equal(a.length, expected.length, `${what}: number of rows`);
  expected.forEach((e, i) => {
    assert.deepEqual(Object.keys(a[i]), Object.keys(e), `${what}: fields of row ${i}`);
    for (const k of Object.keys(e)) same(a[i][k], e[k], `${what} row ${i} ${k}`, tolerance(k));
  });
}

function sameKeyed(actual: unknown, expected: Record<string, Obj>, what: string, tolerance: (k: string) => number) {
  const a = actual as Record<string, Obj>;
  assert.deepEqual(Object.keys(a), Object.keys(expected), `${what}: periods`);
  for (const [p, e] of Object.entries(expected)) {
    assert.deepEqual(Object.keys(a[p]), Object.keys(e), `${what} ${p}: fields`);
    for (const k of Object.keys(e)) same(a[p][k], e[k], `${what} ${p} ${k}`, tolerance(k));
  }
}

const run = (input: MeasureInput, name: string, req: MeasureRequest) => runMeasure(name as never, input, req).value;

export interface Seen {
  add(what: string): void;
}

/** The six new measures over [from, to] as of A, at one resolution. */
export async function checkNew(
  input: MeasureInput,
  ref: DuckRef,
  o: { from: number; to: number; asOf: number; resolution: Resolution },
  label: string,
  seen: Set<string>,
): Promise<void> {
  const from = formatDay(o.from);
  const to = formatDay(o.to);
  const date = formatDay(o.asOf);
  const req = { from, to, date, resolution: o.resolution };
  const at = `${label} ${from}…${to} by ${o.resolution}`;

  const asm = run(input, 'active-subscriptions-movement', req);
  sameKeyed(asm, await sql.activeSubscriptionsMovement(ref, from, to, o.resolution), `movement ${at}`, () => 0);
  if (Object.values(asm as Record<string, Obj>).some((x) => x.renewals && x.new_actives)) seen.add('movement');

  const mm = run(input, 'mrr-movement', req);
  sameKeyed(mm, await sql.mrrMovement(ref, from, to, o.resolution), `MRR movement ${at}`, () => SUM);
  if (Object.values(mm as Record<string, Obj>).some((x) => x.new_mrr && x.expired_mrr)) seen.add('MRR movement');

  const tc = run(input, 'trial-conversion-rate', req);
  sameKeyed(
    tc,
    await sql.trialConversionRate(ref, from, to, date, o.resolution),
    `trial conversion ${at}`,
    () => RATIO,
  );
  if (Object.values(tc as Record<string, Obj>).some((x) => x.conversions && x.conversions !== x.trials_ending))
    seen.add('trial conversion');

  const ret = run(input, 'subscription-retention', { from, to, date });
  const refRet = await sql.subscriptionRetention(ref, from, to, date);
  sameRows(ret, refRet, `retention ${at}`, () => 0);
  if (refRet.some((r) => r.period_number > 1)) seen.add('retention beyond the first period');
  const durations = new Set(refRet.map((r) => r.product_duration));
  for (const d of durations) seen.add(`retention ${d}`);

  const seg = run(input, 'realized-ltv-segments', { from, date });
  const refSeg = await sql.realizedLtvSegments(ref, from);
  sameRows(seg, refSeg, `LTV segments ${at}`, () => SUM);
  if (refSeg.some((r) => r.had_a_trial === true)) seen.add('LTV segments with a trial');

  const ltv = run(input, 'realized-ltv-per-paying-customer', { from, to });
  const refLtv = await sql.realizedLtvPerPayingCustomer(ref, from, to);
  sameRows(ltv, refLtv, `LTV per customer ${at}`, (k) => (k === 'paying_customers' ? 0 : CENT));
  if (refLtv.some((r) => (r.paying_customers as number) > 1 && r.total_ltv_unbounded !== r.total_ltv_7_days))
    seen.add('LTV per customer beyond 7 days');
}

/** The point-in-time measures as series over [from, to] at a resolution, and revenue by period. */
export async function checkSeries(
  input: MeasureInput,
  ref: DuckRef,
  o: { from: number; to: number; resolution: Resolution; attribute?: readonly [string, string] },
  label: string,
  seen: Set<string>,
): Promise<void> {
  const from = formatDay(o.from);
  const to = formatDay(o.to);
  const req = { from, to, resolution: o.resolution };
  const list = periods(o.from, o.to, o.resolution);
  const at = `${label} series ${from}…${to} by ${o.resolution}`;
  const series = (name: string, extra: MeasureRequest = {}) =>
    run(input, name, { ...req, ...extra }) as Record<string, unknown>;
  const subs = series('active-subscriptions');
  const trials = series('active-trials');
  const mrr = series('mrr');
  const renew = series('active-subscriptions-by-auto-renew') as Record<string, Obj>;
  const grace = series('active-trials-by-grace-period') as Record<string, Obj>;
  const attr = o.attribute
    ? series('active-subscriptions-with-attribute', { key: o.attribute[0], value: o.attribute[1] })
    : null;
  const revenue = series('revenue') as Record<string, Obj>;
  const weekly = series('weekly-revenue');
  for (const s of [subs, trials, mrr, renew, grace, revenue, weekly])
    assert.deepEqual(
      Object.keys(s),
      list.map((p) => p.key),
      `${at}: every period`,
    );
  for (const p of list) {
    const d = formatDay(p.last);
    const w = `${at}, ${p.key} (as of ${d})`;
    assert.equal(subs[p.key], await ref.active(d, false), `active subscriptions ${w}`);
    assert.equal(trials[p.key], await ref.active(d, true), `active trials ${w}`);
    same(mrr[p.key], await ref.mrr(d), `MRR ${w}`, SUM);
    const r = await ref.byAutoRenew(d);
    assert.deepEqual(
      renew[p.key],
      { 'Set to cancel': r['Set to cancel'] ?? 0, 'Set to renew': r['Set to renew'] ?? 0 },
      `auto-renew ${w}`,
    );
    const g = await ref.trialsByGrace(d);
    assert.equal(grace[p.key].in_trial_period, g.in_trial_period ?? 0, `in trial period ${w}`);
    if (grace[p.key].in_grace_period !== null)
      assert.equal(grace[p.key].in_grace_period, g.in_grace_period ?? 0, `grace ${w}`);
    if (attr) assert.equal(attr[p.key], await ref.withAttribute(d, o.attribute![0], o.attribute![1]), `attribute ${w}`);
    const rev = await sql.revenueBetween(ref, p.key, formatDay(p.last));
    for (const k of Object.keys(rev)) same(revenue[p.key][k], rev[k], `revenue ${k} ${w}`, SUM);
    same(weekly[p.key], rev.revenue_net_of_refunds, `weekly revenue series ${w}`, SUM);
    if (subs[p.key]) seen.add(`series ${o.resolution}`);
  }
}
