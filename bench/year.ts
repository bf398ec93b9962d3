/**
 * npm run bench:year: a bucket of 365 daily deliveries (day 0 a full export, then the new and
 * updated transactions of each day; test/gen/bucket.ts), built once in .bench-cache/year-365-<rows>/,
 * measured two ways, each in its own fresh process, one after the other:
 *   ours     `rc-export measure active-subscriptions --date D <bucket>` (the CLI: a measure worker
 *            loads the deliveries one by one and merges them as they come)
 *   duckdb   DuckDB over read_csv of the glob: the latest version of each (store_transaction_id,
 *            renewal_number), then the documented Active Subscriptions query (scheduled-data-exports_2)
 * Prints wall and CPU seconds (every thread) and peak RSS of each process, the ratios (target:
 * ours ≤ 2× DuckDB), both answers (they must agree), and the load average (the machine is shared).
 *   node out/bench/year.js [--rows N] [--step ours|duckdb-run] [--before DIST (another build's dist/, measured too)]
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeBucket } from '../test/gen/bucket';
import { ACTIVE_SUBSCRIPTIONS_WHERE, cacheDir, root } from './file';

const argv = process.argv.slice(2);
const opt = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const rows = Number(opt('rows') ?? 5_000_000);
const DAYS = 365;
const E0 = 1735689600;
const bucket = path.join(cacheDir, `year-${DAYS}-${rows}`);
const DATE = new Date((E0 + (DAYS - 1) * 86400) * 1000).toISOString().slice(0, 10);
// rows per generated transaction over a year (its first delivery and the later ones it changes in), measured once
const ROWS_PER_TRANSACTION = 1.19;

async function build(): Promise<void> {
  if (fs.existsSync(path.join(bucket, 'done'))) return;
  const transactions = Math.round(rows / ROWS_PER_TRANSACTION);
  process.stdout.write(
    `building the ${DAYS}-day bucket, ${transactions.toLocaleString('en-US')} transactions (cached in ${bucket}) …\n`,
  );
  const t0 = performance.now();
  fs.rmSync(bucket, { recursive: true, force: true });
  const b = await writeBucket(bucket, { version: 'v5', transactions, days: DAYS, seed: 20250101 });
  fs.writeFileSync(path.join(bucket, 'done'), JSON.stringify({ rows: b.rows, bytes: b.bytes, transactions }));
  process.stdout.write(
    `  ${b.rows.toLocaleString('en-US')} rows in ${b.files.length} files, ${(b.bytes / 1e6).toFixed(0)} MB gzip, built in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`,
  );
}

const DUCK_SQL = (glob: string, d: string) => `WITH raw AS (
  SELECT *, CAST(regexp_extract(filename, 'transactions_([0-9]+)', 1) AS BIGINT) AS delivery
  FROM read_csv('${glob}', filename = true)
), m AS (
  SELECT * FROM raw
  QUALIFY row_number() OVER (PARTITION BY store_transaction_id, renewal_number
                             ORDER BY updated_at DESC NULLS LAST, delivery DESC) = 1
)
SELECT COUNT(*) AS n
FROM m
${ACTIVE_SUBSCRIPTIONS_WHERE(d)}`;

/** In a child process: DuckDB's answer; the process's CPU and peak RSS are taken by the hook. */
async function duckdb(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DuckDBInstance } = require('@duckdb/node-api') as typeof import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const r = await con.runAndReadAll(DUCK_SQL(path.join(bucket, '*', 'transactions_*.csv.gz'), DATE));
  process.stdout.write(JSON.stringify({ value: Number(r.getRows()[0][0]) }));
}

interface Run {
  seconds: number;
  cpu: number;
  rssMB: number;
  value: unknown;
}

/** A preload that writes the process's peak RSS (KB) and CPU time (µs, every thread) to a file at exit. */
function hook(): string {
  const file = path.join(cacheDir, 'year-rss-hook.js');
  fs.writeFileSync(
    file,
    "process.on('exit', () => { const u = process.resourceUsage(); require('fs').writeFileSync(process.env.RC_RSS_FILE, JSON.stringify([u.maxRSS, u.userCPUTime + u.systemCPUTime])); });\n",
  );
  return file;
}

function run(name: string, args: string[]): Run {
  const rssFile = path.join(cacheDir, `year-${name}.rss`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--require', hook(), ...args], {
    encoding: 'utf8',
    env: { ...process.env, RC_RSS_FILE: rssFile },
    maxBuffer: 64 << 20,
  });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${name} failed (${r.status}): ${r.stderr}`);
  const [rssKB, cpuUs] = JSON.parse(fs.readFileSync(rssFile, 'utf8')) as [number, number];
  const out = JSON.parse(r.stdout) as { value: unknown };
  return { seconds, cpu: cpuUs / 1e6, rssMB: rssKB / 1024, value: out.value };
}

async function main(): Promise<void> {
  if (opt('step') === 'duckdb') return duckdb();
  const cli = path.join(root, 'dist', 'cli.js');
  if (!fs.existsSync(cli)) throw new Error('build first: node esbuild.js');
  await build();
  const made = JSON.parse(fs.readFileSync(path.join(bucket, 'done'), 'utf8')) as { rows: number; bytes: number };
  const load = () =>
    os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ');
  process.stdout.write(
    `${made.rows.toLocaleString('en-US')} rows in ${DAYS} daily deliveries (${(made.bytes / 1e6).toFixed(0)} MB gzip); Active Subscriptions on ${DATE}; ${os.cpus().length} cores, load ${load()}\n`,
  );
  const runs: Record<string, Run> = {};
  const only = opt('step');
  if (!only || only === 'duckdb-run')
    runs.duckdb = run('duckdb', [path.join(__dirname, 'year.js'), '--rows', String(rows), '--step', 'duckdb']);
  const measure = ['measure', 'active-subscriptions', '--date', DATE, '--format', 'json', bucket];
  if (!only || only === 'ours') runs.ours = run('ours', [cli, ...measure]);
  // another build of the CLI (say, of the commit before a change), for a before/after figure
  const before = opt('before');
  if (before) runs.before = run('before', [path.join(before, 'cli.js'), ...measure]);
  process.stdout.write(
    `${'step'.padEnd(8)}${'wall s'.padStart(9)}${'CPU s'.padStart(9)}${'peak RSS MB'.padStart(13)}  value\n`,
  );
  for (const [name, r] of Object.entries(runs))
    process.stdout.write(
      `${name.padEnd(8)}${r.seconds.toFixed(1).padStart(9)}${r.cpu.toFixed(1).padStart(9)}${r.rssMB.toFixed(0).padStart(13)}  ${JSON.stringify(r.value)}\n`,
    );
  const { ours, duckdb: duck } = runs;
  if (ours && duck) {
    process.stdout.write(
      `ours / DuckDB: CPU ${(ours.cpu / duck.cpu).toFixed(2)}×, wall ${(ours.seconds / duck.seconds).toFixed(2)}×, peak RSS ${(ours.rssMB / duck.rssMB).toFixed(2)}× (target ≤ 2×)\n`,
    );
    if (ours.value !== duck.value) {
      process.stdout.write(`answers differ: ours ${String(ours.value)}, DuckDB ${String(duck.value)}\n`);
      process.exitCode = 1;
    }
  }
  process.stdout.write(`load average after: ${load()}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
