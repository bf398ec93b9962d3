/**
 * The measures as the product runs them on an export open in the editor:
 *   node out/bench/openMeasures.js --file F.csv.gz [--runs 6] [--pause MS]
 * The table is loaded in a load worker (as the export cache loads it, into shared memory), then a
 * measure worker adopts it and merges it (what the export editor starts once its load is done, see
 * src/host/measures/warmMeasures.ts), then each of the six part-2 measures and the 3-year daily
 * series are asked of that worker: the first run, then best / median of the rest. Times are the
 * round trip seen by the asking thread (the extension host's), and the measure's own time in the
 * worker. CPU is the whole process's (every thread): the cost of the adoption nobody may use.
 * Once it has adopted the table, the worker warms the measures' shared loops up (warmUp in
 * src/core/measures): asked at once, the first request waits for that. `--pause MS` waits that
 * long before the first request, as a user reaches for a measure a while after the export opens.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { MeasureName, MeasureRequest } from '../src/core/measures';
import { loadInWorker } from '../src/worker/loadClient';
import { MeasureSession } from '../src/worker/measureClient';

const dist = path.join(__dirname, '..', '..', 'dist');

const STEPS: [MeasureName, MeasureRequest, string?][] = [
  ['active-subscriptions-movement', {}],
  ['mrr-movement', {}],
  ['trial-conversion-rate', {}],
  ['realized-ltv-segments', {}],
  ['realized-ltv-per-paying-customer', {}],
  ['subscription-retention', {}],
  ['active-subscriptions', { from: '2022-01-02', to: '2025-01-01', resolution: 'day' }, 'daily 3 years'],
  ['mrr', { from: '2022-01-02', to: '2025-01-01', resolution: 'day' }, 'daily 3 years'],
  ['active-subscriptions-with-attribute', { key: 'plan_tier', value: 'gold' }],
];

const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const opt = (n: string) => (argv.includes(`--${n}`) ? argv[argv.indexOf(`--${n}`) + 1] : undefined);
  const file = opt('file');
  if (!file) throw new Error('--file is required');
  const runs = Number(opt('runs') ?? 6);
  const pause = Number(opt('pause') ?? 0);
  const load = await loadInWorker(file, { workerPath: path.join(dist, 'worker.js'), validate: false });
  if (!load.ok) throw new Error(load.error.message);
  const out = (s: string) => process.stdout.write(s);
  out(
    `measures on an open export (${path.basename(file)}): a measure worker adopts the loaded table, then each measure is asked of it; load average ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')} on ${os.cpus().length} cores\n`,
  );
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const adopted = await MeasureSession.adopt(load.value.table, file, load.value.info.version.id, {
    workerPath: path.join(dist, 'measureWorker.js'),
  });
  if (!adopted.ok) throw new Error(adopted.error.message);
  const session = adopted.session;
  out(
    `  worker started, table adopted and merged: ${(performance.now() - t0).toFixed(0)} ms wall, ${cpuMs(process.cpuUsage(c0)).toFixed(0)} ms CPU\n`,
  );
  if (pause > 0) {
    const c1 = process.cpuUsage();
    await new Promise((go) => setTimeout(go, pause));
    out(
      `  paused ${pause} ms before asking: ${cpuMs(process.cpuUsage(c1)).toFixed(0)} ms CPU meanwhile (the warm-up)\n`,
    );
  }
  out(`  ${''.padEnd(52)}  first (worker)     best   median   (round trip, ms)\n`);
  for (const [name, req, label] of STEPS) {
    const wall: number[] = [];
    let firstIn = 0;
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      const r = await session.measure(name, req);
      wall.push(performance.now() - t);
      if (!r.ok) throw new Error(`${name}: ${r.message}`);
      if (i === 0) firstIn = r.value.ms;
    }
    const first = wall.shift()!;
    wall.sort((a, b) => a - b);
    const median = wall[wall.length >> 1];
    const target = label ? 100 : 300;
    out(
      `  ${`${name}${label ? ` ${label}` : ''}`.padEnd(52)}${first.toFixed(0).padStart(6)} (${firstIn.toFixed(0).padStart(4)})${wall[0].toFixed(0).padStart(9)}${median.toFixed(0).padStart(9)}${first <= target ? '' : `  ✖ first over ${target} ms`}\n`,
    );
  }
  out(`  load average after: ${os.loadavg()[0].toFixed(1)}\n`);
  session.close();
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
