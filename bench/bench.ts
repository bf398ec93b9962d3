/**
 * npm run bench: one run, one file, several engines. Builds (once, cached) a 1M-row v5 export, then
 * measures each step in its own child process (so peak RSS belongs to that step alone):
 * decompression alone (node:zlib, fflate), load, load+validate (both through the worker, with the
 * longest event-loop stall of the main thread), DuckDB's count(*) over the same file, and sorts of
 * the loaded table by one column of each kind (each in a new view thread, as the editor's first
 * sort of a column). A second file of the same size with a problem on every tenth row (~100k
 * problems) measures the Problems-panel step: from a finished load to the diagnostics (the extension
 * host's work, all on its thread). The measures run last. Prints seconds, CPU seconds (all threads),
 * MB/s of decompressed text, ratios to DuckDB and to decompression, and peak RSS.
 *   node out/bench/bench.js [--rows N] [--steps a,b] (a subset; zlib and duckdb always run) [--step NAME]
 *   steps: zlib fflate duckdb load load+validate sort diagnostics measures
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadInWorker } from '../src/worker/loadClient';
import { planDiagnostics } from '../src/host/diagnostics/diagnosticsPlan';
import { ViewThread } from '../src/worker/viewClient';
import { benchFile, benchFilePath, root } from './file';
import { runMeasureBench } from './measures';
import { cpuSince, LOAD_STEPS, stepClock, type SortResult, type StepResult } from './step';

const argv = process.argv.slice(2);
const opt = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const rows = Number(opt('rows') ?? 1_000_000);
const file = benchFilePath(rows);
const problemFile = benchFilePath(rows, 10);

/** One column of each kind the sort handles differently (text: unique ids, repeated ids, late in the row). */
const SORT_COLUMNS: Array<[kind: string, column: string]> = [
  ['time', 'start_time'],
  ['float', 'price_in_usd'],
  ['int', 'renewal_number'],
  ['bool', 'is_trial_period'],
  ['dict', 'country'],
  ['text', 'store_transaction_id'],
  ['text', 'rc_original_app_user_id'],
  ['text', 'first_seen_time'],
  ['json', 'custom_subscriber_attributes'],
  ['json', 'reserved_subscriber_attributes'],
];

async function step(name: string): Promise<StepResult> {
  const done = stepClock();
  switch (name) {
    case 'diagnostics': {
      const workerPath = path.join(root, 'dist', 'worker.js');
      const loaded = await loadInWorker(problemFile, { workerPath, maxPerRule: 1000 });
      if (!loaded.ok) throw new Error(loaded.error.message);
      const v = loaded.value.validation!;
      const t1 = performance.now();
      const c0 = process.cpuUsage();
      const plan = planDiagnostics(loaded.value.table, v, { maxPerFile: 1000 });
      const cpu = process.cpuUsage(c0);
      return {
        seconds: (performance.now() - t1) / 1000,
        rssMB: process.resourceUsage().maxRSS / 1024,
        rows: loaded.value.table.rowCount,
        problems: v.counts.error + v.counts.warning + v.counts.information,
        cpuMs: (cpu.user + cpu.system) / 1000,
        diagnostics: plan.length,
      };
    }
    case 'sort': {
      const loaded = await loadInWorker(file, { workerPath: path.join(root, 'dist', 'worker.js'), validate: false });
      if (!loaded.ok) throw new Error(loaded.error.message);
      const table = loaded.value.table;
      const sorts: SortResult[] = [];
      const alive = setInterval(() => undefined, 1000); // the view thread does not keep the process alive
      for (const [kind, column] of SORT_COLUMNS) {
        const k = table.header.indexOf(column);
        if (k < 0) throw new Error(`no column ${column}`);
        const t = performance.now();
        const c = process.cpuUsage();
        const thread = new ViewThread(table, path.join(root, 'dist', 'viewWorker.js'));
        const r = await thread.view({ filters: [], search: '', sort: { column: k, descending: false } });
        thread.dispose();
        if (!r.ok) throw new Error(`sort by ${column} failed`);
        sorts.push({ kind, column, seconds: (performance.now() - t) / 1000, cpu: cpuSince(c) });
      }
      clearInterval(alive);
      return done({ sorts });
    }
    case 'duckdb': {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { DuckDBInstance } = require('@duckdb/node-api') as typeof import('@duckdb/node-api');
      const db = await DuckDBInstance.create(':memory:');
      const con = await db.connect();
      const t1 = performance.now();
      const c1 = process.cpuUsage();
      const r = await con.runAndReadAll(`SELECT count(*) FROM read_csv('${file.replace(/'/g, "''")}')`);
      const count = Number(r.getRows()[0][0]);
      return {
        seconds: (performance.now() - t1) / 1000,
        cpu: cpuSince(c1),
        rssMB: process.resourceUsage().maxRSS / 1024,
        rows: count,
      };
    }
    default:
      throw new Error(`unknown step ${name}`);
  }
}

function runChild(name: string): StepResult {
  const args = LOAD_STEPS.includes(name)
    ? [path.join(__dirname, 'loadSteps.js'), file, name]
    : [__filename, '--rows', String(rows), '--step', name];
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  const processSeconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`step ${name} failed:\n${r.stderr}`);
  return { ...(JSON.parse(r.stdout.trim().split('\n').pop()!) as StepResult), processSeconds };
}

function diagnosticsLine(diag: StepResult): string {
  return `problems panel: ${diag.problems!.toLocaleString('en-US')} problems in ${diag.rows!.toLocaleString('en-US')} rows → ${diag.diagnostics} diagnostics in ${(diag.seconds * 1000).toFixed(0)} ms (${diag.cpuMs!.toFixed(0)} ms CPU) after the load (target ≤ 2000)\n`;
}

async function main(): Promise<void> {
  const only = opt('step');
  if (only) {
    process.stdout.write(`${JSON.stringify(await step(only))}\n`);
    return;
  }
  await benchFile(rows);
  await benchFile(rows, 10);
  const compressed = fs.statSync(file).size;
  const picked = (opt('steps') ?? '').split(',').filter(Boolean);
  const steps = ['zlib', 'fflate', 'duckdb', 'load', 'load+validate'];
  const results: Record<string, StepResult> = {};
  const wanted = (s: string) => !picked.length || picked.includes(s);
  for (const s of [...steps, 'sort', 'diagnostics'])
    if (wanted(s) || ['zlib', 'duckdb'].includes(s)) results[s] = runChild(s);
  const text = results.zlib.bytes!;
  const mb = text / 1e6;
  const duck = results.duckdb.seconds;
  const zl = results.zlib.seconds;
  process.stdout.write(
    `\nfile: ${path.basename(file)}  ${rows.toLocaleString('en-US')} rows, ${(compressed / 1e6).toFixed(1)} MB gzip → ${mb.toFixed(1)} MB text\n\n`,
  );
  process.stdout.write(
    `${'step'.padEnd(15)}${'seconds'.padStart(9)}${'CPU s'.padStart(8)}${'MB/s'.padStart(9)}${'×DuckDB'.padStart(9)}${'×zlib'.padStart(8)}${'peak RSS MB'.padStart(13)}${'×text'.padStart(7)}${'stall ms'.padStart(10)}\n`,
  );
  for (const s of steps) {
    const r = results[s];
    if (!r) continue;
    process.stdout.write(
      `${s.padEnd(15)}${r.seconds.toFixed(2).padStart(9)}${(r.cpu === undefined ? '' : r.cpu.toFixed(2)).padStart(8)}${(mb / r.seconds).toFixed(0).padStart(9)}${(r.seconds / duck).toFixed(2).padStart(9)}${(r.seconds / zl).toFixed(2).padStart(8)}${r.rssMB.toFixed(0).padStart(13)}${(r.rssMB / mb).toFixed(2).padStart(7)}${(r.stallMs === undefined ? '' : r.stallMs.toFixed(1)).padStart(10)}\n`,
    );
  }
  const sort = results.sort;
  if (sort) {
    process.stdout.write(
      `\n${'sort, ascending'.padEnd(17)}${'column'.padEnd(32)}${'seconds'.padStart(9)}${'CPU s'.padStart(8)}\n`,
    );
    for (const r of sort.sorts!) {
      process.stdout.write(
        `${r.kind.padEnd(17)}${r.column.padEnd(32)}${r.seconds.toFixed(2).padStart(9)}${r.cpu.toFixed(2).padStart(8)}\n`,
      );
    }
    const worst = Math.max(...sort.sorts!.map((r) => r.seconds));
    process.stdout.write(
      `slowest sort of ${rows.toLocaleString('en-US')} rows (thread start included): ${worst.toFixed(2)} s (target ≤ 1.0)\n`,
    );
  }
  const lv = results['load+validate'];
  if (lv) {
    process.stdout.write(
      `\nload+validate / DuckDB count(*): ${(lv.seconds / duck).toFixed(2)}× (target ≤ 1.0, issue 19)\n`,
    );
    process.stdout.write(`load+validate peak RSS / text size: ${(lv.rssMB / mb).toFixed(2)}× (target ≤ 1.5)\n`);
    process.stdout.write(`longest main-thread stall while loading: ${lv.stallMs!.toFixed(1)} ms (target ≤ 50)\n`);
    // the step's clock starts once its process is up and stops before it exits; a CLI is timed start to end
    process.stdout.write(
      `load+validate as a whole process (start to exit, as a CLI run is timed): ${lv.processSeconds!.toFixed(2)} s, ${(lv.processSeconds! - lv.seconds).toFixed(2)} s outside the step's clock\n`,
    );
    process.stdout.write(`rows: ours ${lv.rows}, DuckDB ${results.duckdb.rows}; problems found: ${lv.problems}\n`);
  }
  if (results.diagnostics) process.stdout.write(diagnosticsLine(results.diagnostics));
  if (wanted('measures')) runMeasureBench(file);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : e}\n`);
  process.exit(1);
});
