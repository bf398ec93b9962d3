/**
 * npm run bench: one run, one file, several engines. Builds (once, cached) a 1M-row v5 export, then
 * measures each step in its own child process (so peak RSS belongs to that step alone):
 * decompression alone (node:zlib, fflate), load, load+validate (both through the worker, with the
 * longest event-loop stall of the main thread), and DuckDB's count(*) over the same file. A second
 * file of the same size with a problem on every tenth row (~100k problems) measures the Problems-panel
 * step: from a finished load to the diagnostics (the extension host's work, all on its thread).
 * Prints seconds, MB/s of decompressed text, ratios to DuckDB and to decompression, and peak RSS.
 *   node out/bench/bench.js [--rows N] [--step NAME] [--diagnostics-only]
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fflateGunzip } from '../src/core/decode';
import { nodeGunzip } from '../src/node/decodeNode';
import { loadInWorker } from '../src/worker/client';
import { planDiagnostics } from '../src/host/diagnosticsPlan';
import { benchFile, benchFilePath, root } from './file';
import { runMeasureBench } from './measures';

const argv = process.argv.slice(2);
const opt = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const rows = Number(opt('rows') ?? 1_000_000);
const file = benchFilePath(rows);
const problemFile = benchFilePath(rows, 10);

interface StepResult {
  seconds: number;
  rssMB: number;
  stallMs?: number;
  rows?: number;
  problems?: number;
  bytes?: number;
  /** diagnostics: CPU milliseconds of the plan, and how many diagnostics it made. */
  cpuMs?: number;
  diagnostics?: number;
}

async function drain(it: AsyncIterable<Uint8Array>): Promise<number> {
  let n = 0;
  for await (const c of it) n += c.length;
  return n;
}

/** The longest gap between timer ticks of this thread while `work` runs. */
async function withStallMonitor<T>(work: () => Promise<T>): Promise<{ value: T; stallMs: number }> {
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 5);
    last = now;
  }, 5);
  try {
    const value = await work();
    return { value, stallMs: Math.max(0, worst) };
  } finally {
    clearInterval(timer);
  }
}

async function step(name: string): Promise<StepResult> {
  const t0 = performance.now();
  const done = (extra: Partial<StepResult> = {}): StepResult => ({
    seconds: (performance.now() - t0) / 1000,
    rssMB: process.resourceUsage().maxRSS / 1024,
    ...extra,
  });
  const source = () => fs.createReadStream(file, { highWaterMark: 1 << 20 });
  switch (name) {
    case 'zlib':
      return done({ bytes: await drain(nodeGunzip(source())) });
    case 'fflate':
      return done({ bytes: await drain(fflateGunzip(source())) });
    case 'load':
    case 'load+validate': {
      const workerPath = path.join(root, 'dist', 'worker.js');
      const { value, stallMs } = await withStallMonitor(() => loadInWorker(file, { workerPath, validate: name === 'load+validate', maxPerRule: 1000 }));
      if (!value.ok) throw new Error(value.error.message);
      const v = value.value.validation;
      return done({ stallMs, rows: value.value.table.rowCount, bytes: value.value.table.bytes.length, problems: v ? v.counts.error + v.counts.warning + v.counts.information : undefined });
    }
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
    case 'duckdb': {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { DuckDBInstance } = require('@duckdb/node-api') as typeof import('@duckdb/node-api');
      const db = await DuckDBInstance.create(':memory:');
      const con = await db.connect();
      const t1 = performance.now();
      const r = await con.runAndReadAll(`SELECT count(*) FROM read_csv('${file.replace(/'/g, "''")}')`);
      const count = Number(r.getRows()[0][0]);
      return { seconds: (performance.now() - t1) / 1000, rssMB: process.resourceUsage().maxRSS / 1024, rows: count };
    }
    default:
      throw new Error(`unknown step ${name}`);
  }
}

function runChild(name: string): StepResult {
  const r = spawnSync(process.execPath, [__filename, '--rows', String(rows), '--step', name], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`step ${name} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
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
  const steps = ['zlib', 'fflate', 'duckdb', 'load', 'load+validate'];
  const results: Record<string, StepResult> = {};
  for (const s of argv.includes('--diagnostics-only') ? [] : steps) results[s] = runChild(s);
  const diag = runChild('diagnostics');
  const diagLine = `problems panel: ${diag.problems!.toLocaleString('en-US')} problems in ${diag.rows!.toLocaleString('en-US')} rows → ${diag.diagnostics} diagnostics in ${(diag.seconds * 1000).toFixed(0)} ms (${diag.cpuMs!.toFixed(0)} ms CPU) after the load (target ≤ 2000)\n`;
  if (argv.includes('--diagnostics-only')) {
    process.stdout.write(diagLine);
    return;
  }
  const text = results.zlib.bytes!;
  const mb = text / 1e6;
  const duck = results.duckdb.seconds;
  const zl = results.zlib.seconds;
  process.stdout.write(`\nfile: ${path.basename(file)}  ${rows.toLocaleString('en-US')} rows, ${(compressed / 1e6).toFixed(1)} MB gzip → ${mb.toFixed(1)} MB text\n\n`);
  process.stdout.write(`${'step'.padEnd(15)}${'seconds'.padStart(9)}${'MB/s'.padStart(9)}${'×DuckDB'.padStart(9)}${'×zlib'.padStart(8)}${'peak RSS MB'.padStart(13)}${'×text'.padStart(7)}${'stall ms'.padStart(10)}\n`);
  for (const s of steps) {
    const r = results[s];
    process.stdout.write(
      `${s.padEnd(15)}${r.seconds.toFixed(2).padStart(9)}${(mb / r.seconds).toFixed(0).padStart(9)}${(r.seconds / duck).toFixed(2).padStart(9)}${(r.seconds / zl).toFixed(2).padStart(8)}${r.rssMB.toFixed(0).padStart(13)}${(r.rssMB / mb).toFixed(2).padStart(7)}${(r.stallMs === undefined ? '' : r.stallMs.toFixed(1)).padStart(10)}\n`,
    );
  }
  const lv = results['load+validate'];
  process.stdout.write(`\nload+validate / DuckDB count(*): ${(lv.seconds / duck).toFixed(2)}× (target ≤ 2.0)\n`);
  process.stdout.write(`load+validate peak RSS / text size: ${(lv.rssMB / mb).toFixed(2)}× (target ≤ 1.5)\n`);
  process.stdout.write(`longest main-thread stall while loading: ${lv.stallMs!.toFixed(1)} ms (target ≤ 50)\n`);
  process.stdout.write(`rows: ours ${lv.rows}, DuckDB ${results.duckdb.rows}; problems found: ${lv.problems}\n`);
  process.stdout.write(diagLine);
  runMeasureBench(file);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : e}\n`);
  process.exit(1);
});
