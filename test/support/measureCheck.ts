/**
 * Runs every measure through the engine and the DuckDB reference on the same data and compares:
 * counts exactly, sums within 1e-6, NULL where SQL gives NULL.
 */
import assert from 'node:assert/strict';
import { formatDay } from '../../src/core/measures/engine/dates';
import {
  MeasureError,
  runMeasure,
  type MeasureInput,
  type MeasureRequest,
  type MeasureResult,
} from '../../src/core/measures';
import type { DuckRef } from './duckdb';

export function close(actual: unknown, expected: number | null | undefined, what: string): void {
  if (expected === null || expected === undefined) {
    assert.equal(actual, null, `${what}: SQL gives NULL`);
    return;
  }
  assert.equal(typeof actual, 'number', `${what}: a number (${expected}) expected, got ${String(actual)}`);
  assert.ok(Math.abs((actual as number) - expected) <= 1e-6, `${what}: ${String(actual)} vs ${expected}`);
}

function run(input: MeasureInput, name: Parameters<typeof runMeasure>[0], req: MeasureRequest): MeasureResult {
  return runMeasure(name, input, req);
}

export interface CheckOptions {
  readonly days: readonly number[];
  readonly attributes?: readonly (readonly [string, string])[];
  /** The data has a custom_subscriber_attributes column. */
  readonly hasAttributes: boolean;
}

/**
 * Compares every measure on each day. `seen` collects which cases had something to compare (a
 * non-zero count, a non-null sum), so a suite can assert that its data exercised each of them.
 */
export async function checkAll(
  input: MeasureInput,
  ref: DuckRef,
  o: CheckOptions,
  label: string,
  seen: Set<string>,
): Promise<number> {
  let checks = 0;
  const saw = (what: string, v: unknown) => {
    if (v !== null && v !== 0 && v !== undefined) seen.add(what);
  };
  const rows = await ref.count();
  for (const day of o.days) {
    const d = formatDay(day);
    const at = `${label} on ${d}`;
    const subs = run(input, 'active-subscriptions', { date: d });
    assert.equal(subs.value, await ref.active(d, false), `active subscriptions ${at}`);
    assert.equal(subs.droppedForNull, await ref.droppedForNull(d, false), `dropped for NULL ${at}`);
    assert.equal(subs.rows, rows, `rows considered ${at}`);
    saw('active subscriptions', subs.value);
    saw('dropped for NULL', subs.droppedForNull);
    const trials = run(input, 'active-trials', { date: d });
    assert.equal(trials.value, await ref.active(d, true), `active trials ${at}`);
    assert.equal(trials.droppedForNull, await ref.droppedForNull(d, true), `trials dropped for NULL ${at}`);
    saw('active trials', trials.value);

    const rev = run(input, 'revenue', { date: d }).value as Record<string, number | null>;
    const refRev = await ref.revenue(d);
    for (const k of Object.keys(refRev)) {
      close(rev[k], refRev[k], `revenue ${k} ${at}`);
      saw(`revenue ${k}`, rev[k]);
    }

    const mrr = run(input, 'mrr', { date: d }).value;
    close(mrr, await ref.mrr(d), `MRR ${at}`);
    saw('MRR', mrr);

    const renew = run(input, 'active-subscriptions-by-auto-renew', { date: d }).value as Record<string, number>;
    const refRenew = await ref.byAutoRenew(d);
    assert.deepEqual(
      renew,
      { 'Set to cancel': refRenew['Set to cancel'] ?? 0, 'Set to renew': refRenew['Set to renew'] ?? 0 },
      `auto-renew ${at}`,
    );
    saw('set to cancel', renew['Set to cancel']);

    const grace = run(input, 'active-trials-by-grace-period', { date: d });
    const refGrace = await ref.trialsByGrace(d);
    const g = grace.value as Record<string, number | null>;
    assert.equal(g.in_trial_period, refGrace.in_trial_period ?? 0, `in trial period ${at}`);
    if (g.in_grace_period === null) assert.equal(refGrace.in_grace_period, undefined, `no grace column ${at}`);
    else assert.equal(g.in_grace_period, refGrace.in_grace_period ?? 0, `in grace period ${at}`);
    saw('in grace period', g.in_grace_period);
    assert.equal(
      grace.droppedForNull,
      await ref.droppedForNull(d, true, 'effective_end_time'),
      `grace dropped for NULL ${at}`,
    );

    for (const [key, value] of o.attributes ?? []) {
      if (!o.hasAttributes) {
        assert.throws(() => run(input, 'active-subscriptions-with-attribute', { date: d, key, value }), MeasureError);
        continue;
      }
      const a = run(input, 'active-subscriptions-with-attribute', { date: d, key, value });
      assert.equal(a.value, await ref.withAttribute(d, key, value), `attribute ${key}=${value} ${at}`);
      saw(`attribute ${key}`, a.value);
    }

    const from = formatDay(day - 90);
    const weekly = run(input, 'weekly-revenue', { from, to: d }).value as Record<string, number | null>;
    const refWeekly = await ref.weeklyRevenue(from, d);
    assert.deepEqual(Object.keys(weekly), Object.keys(refWeekly), `weeks ${at}`);
    for (const w of Object.keys(refWeekly)) close(weekly[w], refWeekly[w], `week of ${w} ${at}`);
    saw('weekly revenue', Object.keys(weekly).length);

    const daily = run(input, 'revenue', { from: formatDay(day - 3), to: d }).value as Record<
      string,
      Record<string, number | null>
    >;
    assert.deepEqual(
      Object.keys(daily),
      [0, 1, 2, 3].map((i) => formatDay(day - 3 + i)),
    );
    for (const [dd, v] of Object.entries(daily)) {
      const r = await ref.revenue(dd);
      for (const k of Object.keys(r)) close(v[k], r[k], `revenue ${k} on ${dd} (range) ${label}`);
    }
    checks++;
  }
  return checks;
}
