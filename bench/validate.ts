/**
 * npm run bench:validate: the cold `rc-export validate` on the bench's 1M-row export, beside the
 * floor and the reference, in one run, each a child process timed start to exit:
 *   gunzip   node:zlib alone, inflating the file to nothing (the decompression floor)
 *   duckdb   DuckDB's SELECT count(*) FROM read_csv(...) on the same file
 *   validate node dist/cli.js validate FILE (the streamed validate)
 *   table    the same with RC_EXPORT_VALIDATE=table (the table-based validate it replaced)
 *   inproc   npm run bench's load+validate step (out/bench/loadSteps.js), timed start to exit beside
 *            its own clock (which starts once the process is up and stops before it exits)
 * Wall seconds, CPU seconds (user + system, every thread) and peak RSS come from /usr/bin/time -v
 * when it is there, else from the child's own report (gunzip, duckdb) or the wall clock alone.
 * Prints each repetition, the medians, and the ratios to the issue's targets (issue 19).
 *   node out/bench/validate.js [--rows N] [--reps N] [--steps gunzip,duckdb,validate,table,inproc]
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as zlib from 'node:zlib';
import { benchFile, root } from './file';

const argv = process.argv.slice(2);
const opt = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};

interface Measured {
  wall: number;
  /** CPU seconds, or NaN when nothing measured them. */
  cpu: number;
  /** Peak RSS in MB, or NaN. */
  rssMB: number;
  out: string;
}

const TIME = '/usr/bin/time';
const hasTime = fs.existsSync(TIME);

/** Runs `node args` (env added), start to exit, with what /usr/bin/time -v says of it when it is there. */
function timed(args: string[], env: Record<string, string> = {}): Measured {
  const stats = path.join(os.tmpdir(), `rc-bench-time-${process.pid}.txt`);
  const cmd = hasTime ? TIME : process.execPath;
  const full = hasTime ? ['-v', '-o', stats, process.execPath, ...args] : args;
  const t0 = performance.now();
  const r = spawnSync(cmd, full, { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, ...env } });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  let cpu = NaN;
  let rssMB = NaN;
  if (hasTime) {
    const text = fs.readFileSync(stats, 'utf8');
    fs.rmSync(stats, { force: true });
    const num = (label: string) => Number(new RegExp(`${label}: ([0-9.]+)`).exec(text)?.[1] ?? NaN);
    cpu = num('User time \\(seconds\\)') + num('System time \\(seconds\\)');
    rssMB = num('Maximum resident set size \\(kbytes\\)') / 1024;
  }
  return { wall, cpu, rssMB, out: r.stdout };
}

/** A step run in a child of its own (gunzip, duckdb): it prints one line of JSON. */
async function child(name: string, file: string): Promise<void> {
  const c0 = process.cpuUsage();
  let out: Record<string, number> = {};
  if (name === 'gunzip') {
    let bytes = 0;
    const gunzip = fs
      .createReadStream(file, { highWaterMark: 1 << 20 })
      .pipe(zlib.createGunzip({ chunkSize: 1 << 20 }));
    for await (const c of gunzip) bytes += (c as Buffer).length;
    out = { bytes };
  } else if (name === 'duckdb') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { DuckDBInstance } = require('@duckdb/node-api') as typeof import('@duckdb/node-api');
    const con = await (await DuckDBInstance.create(':memory:')).connect();
    const r = await con.runAndReadAll(`SELECT count(*) FROM read_csv('${file.replace(/'/g, "''")}')`);
    out = { rows: Number(r.getRows()[0][0]) };
  } else throw new Error(`unknown step ${name}`);
  const u = process.cpuUsage(c0);
  out.cpu = (u.user + u.system) / 1e6;
  out.rssMB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main(): Promise<void> {
  const only = opt('step');
  if (only) return child(only, opt('file')!);
  const rows = Number(opt('rows') ?? 1_000_000);
  const reps = Number(opt('reps') ?? 3);
  const steps = (opt('steps') ?? 'gunzip,duckdb,validate,table,inproc').split(',');
  const file = await benchFile(rows);
  const cli = path.join(root, 'dist', 'cli.js');
  if (!fs.existsSync(cli)) throw new Error('dist/cli.js is missing: node esbuild.js first');
  const self = __filename;
  const run = (step: string): Measured => {
    if (step === 'validate') return timed([cli, 'validate', file]);
    if (step === 'table') return timed([cli, 'validate', file], { RC_EXPORT_VALIDATE: 'table' });
    if (step === 'inproc') return timed([path.join(__dirname, 'loadSteps.js'), file, 'load+validate']);
    const m = timed([self, '--step', step, '--file', file]);
    const own = JSON.parse(m.out.trim().split('\n').pop()!) as { cpu: number; rssMB: number; bytes?: number };
    return { ...m, cpu: Number.isNaN(m.cpu) ? own.cpu : m.cpu, rssMB: Number.isNaN(m.rssMB) ? own.rssMB : m.rssMB };
  };
  const results: Record<string, Measured[]> = Object.fromEntries(steps.map((s) => [s, []]));
  let text = 0;
  process.stdout.write(
    `file: ${path.basename(file)}, ${(fs.statSync(file).size / 1e6).toFixed(1)} MB gzip; load average before: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; ${hasTime ? '/usr/bin/time -v' : 'no /usr/bin/time: the children report'}\n`,
  );
  process.stdout.write(
    `${'rep'.padEnd(5)}${'step'.padEnd(10)}${'wall s'.padStart(8)}${'CPU s'.padStart(8)}${'peak RSS MB'.padStart(13)}\n`,
  );
  // the steps interleaved, so a change in the machine's load falls on all of them alike
  for (let rep = 1; rep <= reps; rep++)
    for (const s of steps) {
      const m = run(s);
      if (s === 'gunzip') text = (JSON.parse(m.out.trim().split('\n').pop()!) as { bytes: number }).bytes;
      results[s].push(m);
      const clock = s === 'inproc' ? (JSON.parse(m.out.trim().split('\n').pop()!) as { seconds: number }).seconds : NaN;
      process.stdout.write(
        `${String(rep).padEnd(5)}${s.padEnd(10)}${m.wall.toFixed(2).padStart(8)}${m.cpu.toFixed(2).padStart(8)}${m.rssMB.toFixed(0).padStart(13)}${s === 'inproc' ? `  (its own clock: ${clock.toFixed(2)} s)` : ''}\n`,
      );
    }
  const med = (s: string, k: 'wall' | 'cpu' | 'rssMB') => (results[s] ? median(results[s].map((m) => m[k])) : NaN);
  const textMB = text / 2 ** 20;
  process.stdout.write(`\nmedians of ${reps}; text ${(text / 1e6).toFixed(1)} MB\n`);
  for (const s of steps)
    process.stdout.write(
      `${s.padEnd(10)}${med(s, 'wall').toFixed(2).padStart(8)} s wall${med(s, 'cpu').toFixed(2).padStart(8)} s CPU${med(s, 'rssMB').toFixed(0).padStart(7)} MB peak RSS (${(med(s, 'rssMB') / textMB).toFixed(2)}× the text)\n`,
    );
  const v = med('validate', 'wall');
  if (!Number.isNaN(v)) {
    process.stdout.write(
      `\nvalidate / DuckDB count(*) wall: ${(v / med('duckdb', 'wall')).toFixed(2)}× (target ≤ 1.0)\n`,
    );
    process.stdout.write(
      `validate / gunzip alone wall:    ${(v / med('gunzip', 'wall')).toFixed(2)}× (target ≤ 1.3)\n`,
    );
    process.stdout.write(
      `validate peak RSS / text:         ${(med('validate', 'rssMB') / textMB).toFixed(2)}× (target ≤ 0.6)\n`,
    );
    if (results.table)
      process.stdout.write(`table-based validate / streamed wall: ${(med('table', 'wall') / v).toFixed(2)}×\n`);
    const same = results.table ? results.validate.every((m, i) => m.out === results.table[i].out) : true;
    process.stdout.write(`streamed output identical to the table-based one: ${results.table ? same : 'not run'}\n`);
  }
  process.stdout.write(
    `load average after: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}\n`,
  );
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : e}\n`);
  process.exit(1);
});
