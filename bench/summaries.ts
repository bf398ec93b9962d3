/**
 * Column summaries on the 1M-row bench export: each column summarized in the view thread, as the
 * grid's pane asks for them, unfiltered and under store = app_store, with wall time and the process's
 * CPU time (the main thread only waits, so that is the view thread's); then a summary cancelled midway.
 * `node out/bench/summaries.js [file]` after `node esbuild.js --bench` (default: the cached bench file).
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { loadExportFile } from '../src/node/loadFile';
import type { ColumnFilter } from '../src/core/view/viewFilter';
import { ViewThread } from '../src/worker/viewClient';

async function main(): Promise<void> {
  const file =
    process.argv[2] ?? path.join(__dirname, '..', '..', '.bench-cache', 'transactions_1735689600-v5-1000000.csv.gz');
  const o = await loadExportFile(file);
  if (!o.ok) throw new Error(o.error.message);
  const t = o.value.table;
  const thread = new ViewThread(t, path.join(__dirname, '..', '..', 'dist', 'viewWorker.js'));
  const store = t.header.indexOf('store');
  console.log(`${t.rowCount.toLocaleString('en-US')} rows, load ${os.loadavg()[0].toFixed(2)}`);
  try {
    const runs: [string, ColumnFilter[]][] = [
      ['all rows', []],
      ['store = app_store', [{ column: store, op: 'equals', values: ['app_store'] }]],
    ];
    for (const [label, filters] of runs) {
      const spec = { filters, search: '', sort: null };
      await thread.view(spec);
      let sum = 0;
      let cpuSum = 0;
      for (let c = 0; c < t.header.length; c++) {
        const t0 = performance.now();
        const cpu0 = process.cpuUsage();
        const s = await thread.summary(c, spec);
        const ms = performance.now() - t0;
        const used = process.cpuUsage(cpu0);
        const cpu = (used.user + used.system) / 1000;
        sum += ms;
        cpuSum += cpu;
        console.log(
          `${label}\t${t.header[c]}\t${t.types[c]}\t${ms.toFixed(0)} ms\tcpu ${cpu.toFixed(0)} ms\t(thread ${s?.ms.toFixed(0)} ms, ${s?.distinct} distinct)`,
        );
      }
      console.log(
        `${label}: all ${t.header.length} columns ${sum.toFixed(0)} ms, cpu ${cpuSum.toFixed(0)} ms, load ${os.loadavg()[0].toFixed(2)}`,
      );
    }
    const ac = new AbortController();
    const t0 = performance.now();
    const id = t.header.indexOf('store_transaction_id');
    // the same view as before (its rows are known): what is cancelled is the summary itself
    const stale = thread.summary(id, { filters: [], search: '', sort: null }, ac.signal);
    setTimeout(() => ac.abort(), 20);
    await stale;
    const t1 = performance.now();
    await thread.summary(store, { filters: [], search: '', sort: null });
    console.log(
      `cancelled a text summary after 20 ms; the next summary answered ${(performance.now() - t1).toFixed(0)} ms later (${(t1 - t0).toFixed(0)} ms to cancel)`,
    );
  } finally {
    thread.dispose();
  }
}

// the view thread does not keep the process alive (it is unref'd): this does, until the end
const alive = setInterval(() => {}, 1000);
void main().finally(() => clearInterval(alive));
