/**
 * The chart's hops without the UI, on the 1M-row bench file loaded as an open export holds it:
 * merge, the source's dates, each chart measure's series, the chart data and its JSON, a drill-down.
 *   node out/bench/chartSteps.js [--rows N]
 */
import * as path from 'node:path';
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import { exportDate, measureByName, runMeasure } from '../src/core/measures';
import { CHART_MEASURES, chartData } from '../src/core/measures/chartData';
import { firstStartDay, measureRows } from '../src/core/measures/rowSets';
import { formatDay } from '../src/core/measures/engine/dates';
import { mergeDeliveries } from '../src/core/measures/engine/merge';
import { ExportTable } from '../src/core/load/table';
import { loadInWorker } from '../src/worker/loadClient';
import { MeasureSession } from '../src/worker/measureClient';
import { benchFile, root } from './file';

const argv = process.argv.slice(2);
const rows = Number(argv[argv.indexOf('--rows') + 1] || 1_000_000);
const line = (s: string) => process.stdout.write(`${s}\n`);

function time<T>(what: string, f: () => T): T {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const v = f();
  const c = process.cpuUsage(c0);
  line(`  ${what}: ${(performance.now() - t0).toFixed(1)} ms wall, ${((c.user + c.system) / 1000).toFixed(1)} ms CPU`);
  return v;
}

async function main(): Promise<void> {
  const file = await benchFile(rows);
  line(
    `chart hops on ${rows.toLocaleString('en-US')} rows · load average ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  const o = await loadInWorker(file, { workerPath: path.join(root, 'dist', 'worker.js'), validate: false });
  if (!o.ok) throw new Error(o.error.message);
  const input = time('merge (one delivery)', () =>
    mergeDeliveries([{ file, table: new ExportTable(o.value.table), version: o.value.info.version.id }]),
  );
  const last = time('exportDate', () => exportDate(input))!.day;
  const first = time('firstStartDay', () => firstStartDay(input))!;
  const from = formatDay(Math.max(first, last - 1094));
  const to = formatDay(last);
  for (const name of CHART_MEASURES) {
    const m = measureByName(name)!;
    // the attribute chart is a line per value of a key: the same measure as the others, once per value
    if (m.takes === 'attribute') continue;
    const series = m.takes !== 'retention' && m.takes !== 'since' && m.takes !== 'cohorts';
    const req = series
      ? { from, to, resolution: 'day' }
      : m.takes === 'retention'
        ? { from: formatDay(last - 89), to }
        : { from };
    for (let i = 0; i < 2; i++) {
      const r = time(`${name} ${i ? 'warm' : 'cold'}`, () => runMeasure(name, input, req));
      if (i) {
        const d = time(`  chartData`, () => chartData(r));
        const json = time(`  JSON`, () => JSON.stringify(d));
        line(`    ${json.length} chars`);
      }
    }
  }
  for (const name of ['active-subscriptions', 'active-subscriptions-movement'] as const) {
    const m = measureByName(name)!;
    const s = time(`rows ${name} on ${formatDay(last - 10)}`, () =>
      measureRows(
        m,
        input,
        { from, to, resolution: 'day' },
        { period: formatDay(last - 10), series: name === 'active-subscriptions' ? undefined : 'new_actives' },
      ),
    );
    line(`    ${s.count} rows`);
  }
  // the same rows through a measure worker that adopted the table, as a chart on an open export asks them
  const adopted = await MeasureSession.adopt(o.value.table, file, o.value.info.version.id, {
    workerPath: path.join(root, 'dist', 'measureWorker.js'),
  });
  if (!adopted.ok) throw new Error(adopted.error.message);
  const session = adopted.session;
  const daily = await session.measure('active-subscriptions', { from, to, resolution: 'day' });
  if (!daily.ok) throw new Error(daily.message);
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const a = await session.rows(
      'active-subscriptions',
      { from, to, resolution: 'day' },
      { period: formatDay(last - 10 - 30 * i) },
    );
    if (!a.ok) throw new Error(a.message);
    line(
      `  rows active-subscriptions on ${formatDay(last - 10 - 30 * i)} in the measure worker: ${(performance.now() - t0).toFixed(1)} ms, ${a.value.ms?.toFixed(1)} ms of it in the worker (${a.value.count} rows)`,
    );
  }
  session.close();
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
