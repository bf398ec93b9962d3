/**
 * A measure's result as a chart reads it (src/core/measures/chartData.ts), on results the measures
 * give for a generated export: every number of the result is in the chart's series (churn drawn below
 * zero keeps its sign in the table), a retention cohort's shares are its counts over its first
 * period's, and the CSV holds the same numbers; a point-in-time chart by day gives, picked for any range
 * and resolution it holds, the chart the measure gives for that request.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { runMeasure, type MeasureInput, type MeasureName } from '../../src/core/measures';
import { attributeChart, chartCsv, chartData, dailySpan, pickPeriods } from '../../src/core/measures/chartData';
import { formatDay, parseDay } from '../../src/core/measures/engine/dates';
import { firstStartDay } from '../../src/core/measures/rowSets';
import { attributeKeys, attributeValues } from '../../src/core/measures/engine/attributes';
import { mergeDeliveries } from '../../src/core/measures/engine/merge';
import { loadDeliveries } from '../../src/node/deliveries';
import { generateExport } from '../gen/generator';
import { tempDir, writeGz } from '../support/files';

/** A generated v5 export, loaded and merged as the measures read it. */
async function generated(dir: string, rows: number, seed: number): Promise<MeasureInput> {
  const g = generateExport({ version: 'v5', rows, seed });
  const o = await loadDeliveries([writeGz(dir, g.fileName, g.text)]);
  assert.ok(o.ok);
  return mergeDeliveries(o.deliveries);
}

describe('chart data: a result as its chart and table', function () {
  this.timeout(120_000);
  const dir = tempDir();
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps every number of each kind of result, and its CSV says the same', async () => {
    const input = await generated(dir, 3000, 1661);
    const range = { from: '2024-10-01', to: '2024-12-31', resolution: 'week' };
    const run = (m: MeasureName, req: Record<string, string>) => runMeasure(m, input, req);

    const movement = run('active-subscriptions-movement', range);
    const mc = chartData(movement);
    assert.equal(mc.kind, 'movement');
    const value = movement.value as Record<string, Record<string, number>>;
    assert.deepEqual(mc.x, Object.keys(value));
    for (const s of mc.series)
      assert.deepEqual(
        s.values,
        mc.x.map((p) => value[p][s.key]),
        s.key,
      );
    assert.ok(mc.series.find((s) => s.key === 'churned_actives')!.below);
    const csv = chartCsv(mc).trim().split('\n');
    assert.equal(csv.length, mc.x.length + 1);
    assert.deepEqual(csv[0].split(','), ['period', ...mc.series.map((s) => s.key)]);

    // the legend says MRR as RevenueCat writes it, not "New mrr"
    assert.deepEqual(
      chartData(run('mrr-movement', range)).series.map((s) => s.label),
      ['New MRR', 'Churned MRR', 'Net movement', 'Renewal MRR', 'Expired MRR'],
    );

    const revenue = chartData(run('revenue', range), 'proceeds');
    assert.equal(revenue.series[0].key, 'proceeds');
    assert.equal(revenue.series[0].style, 'bar');

    const lines = chartData(run('active-subscriptions-by-auto-renew', range));
    assert.deepEqual(
      lines.series.map((s) => s.key),
      ['Set to cancel', 'Set to renew'],
    );

    const ret = run('subscription-retention', { from: '2024-09-01', to: '2024-12-31' });
    const heat = chartData(ret).heat!;
    const rows = ret.value as Record<string, string | number>[];
    assert.equal(
      heat.rows.reduce((n, r) => n + r.cells.length, 0),
      rows.length,
    );
    for (const r of heat.rows) {
      const base = r.cells.find((c) => c.period === 0)?.count ?? 0;
      for (const c of r.cells) assert.equal(c.share, base ? c.count / base : null);
    }
    assert.ok(heat.periods.some((p) => p > 0));
  });

  it('point-in-time: other ranges and resolutions picked from the days give the measure’s numbers for them; a span the days do not hold is declined', async () => {
    const input = await generated(dir, 4000, 1662);
    const last = '2025-01-05';
    const first = '2022-01-06';
    const requests = [
      { from: '2024-10-01', to: last, resolution: 'day' },
      { from: '2024-10-03', to: '2024-12-30', resolution: 'week' },
      { from: '2023-02-15', to: '2024-12-31', resolution: 'month' },
      { from: first, to: last, resolution: 'month' },
      { from: '2024-12-30', to: '2024-12-30', resolution: 'week' },
    ] as const;
    for (const m of [
      'active-subscriptions',
      'active-trials',
      'mrr',
      'active-subscriptions-by-auto-renew',
      'active-trials-by-grace-period',
    ] as const) {
      const daily = chartData(runMeasure(m, input, { from: first, to: last, resolution: 'day' }));
      for (const r of requests) {
        const picked = pickPeriods(daily, r.from, r.to, r.resolution);
        assert.ok(picked, `${m} ${r.from} … ${r.to} by ${r.resolution}`);
        // the same chart, number for number, as the measure run for that request
        assert.deepEqual(picked, chartData(runMeasure(m, input, r)), `${m} ${r.from} … ${r.to} by ${r.resolution}`);
      }
      assert.ok(
        daily.series.some((s) => s.values.some((v) => v !== null && v > 0)),
        `${m}: some values`,
      );
      assert.equal(pickPeriods(daily, '2022-01-05', last, 'day'), null, 'before the days');
      assert.equal(pickPeriods(daily, '2024-01-01', '2025-01-06', 'week'), null, 'after the days');
      // measured from the day before the first transaction only (dailySpan): that day stands for every
      // earlier one, and a range that begins years before it is picked with the measure's own numbers
      const span = dailySpan(firstStartDay(input), parseDay(last)!);
      assert.ok(span.flatBefore && span.from > parseDay(first)!, `${m}: the source's own span`);
      const own = {
        ...chartData(runMeasure(m, input, { from: formatDay(span.from), to: last, resolution: 'day' })),
        flatBefore: true,
      };
      for (const r of [
        ...requests,
        { from: '2016-03-01', to: last, resolution: 'month' },
        { from: formatDay(span.from - 40), to: formatDay(span.from + 20), resolution: 'day' },
        { from: '2019-12-30', to: '2023-01-02', resolution: 'week' },
      ] as const) {
        const picked = pickPeriods(own, r.from, r.to, r.resolution);
        assert.ok(picked, `${m} ${r.from} … ${r.to} by ${r.resolution}, from the source's own span`);
        assert.deepEqual(picked, chartData(runMeasure(m, input, r)), `${m} ${r.from} … ${r.to} by ${r.resolution}`);
      }
      assert.equal(pickPeriods(own, '2024-01-01', '2025-01-06', 'week'), null, 'after the own span');
    }
    // only lines are picked: a movement's periods are sums, not their last day
    const movement = chartData(
      runMeasure('active-subscriptions-movement', input, { from: first, to: last, resolution: 'day' }),
    );
    assert.equal(pickPeriods(movement, '2024-10-01', last, 'week'), null);
  });

  it('the custom attribute chart: a line per value of the key, each the measure’s series for that value', async () => {
    const input = await generated(dir, 3000, 1663);
    const table = input.parts[0].delivery.table;
    const key = attributeKeys(table)[0]?.key;
    assert.ok(key, 'the generated export has custom attributes');
    const values = attributeValues(table, key, 3).map((v) => v.value);
    assert.ok(values.length > 1, `${key}: several values`);
    const range = { from: '2024-10-01', to: '2024-12-31', resolution: 'week', key };
    const lines = values.map((value) => ({
      value,
      result: runMeasure('active-subscriptions-with-attribute', input, { ...range, value }),
    }));
    const d = attributeChart(key, lines);
    assert.equal(d.kind, 'lines');
    assert.deepEqual(
      d.series.map((s) => s.key),
      values,
    );
    for (const { value, result } of lines) {
      const v = result.value as Record<string, number>;
      assert.deepEqual(d.x, Object.keys(v));
      assert.deepEqual(
        d.series.find((s) => s.key === value)!.values,
        d.x.map((p) => v[p]),
        value,
      );
    }
    assert.ok(
      d.series.some((s) => s.values.some((v) => v !== null && v > 0)),
      'some values',
    );
  });
});
