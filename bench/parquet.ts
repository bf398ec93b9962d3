/**
 * npm run bench:parquet: a Parquet delivery in our pipeline, against DuckDB and against our own load
 * of the same rows as .csv.gz, in one run. Builds (once, cached in .bench-cache/) the bench's 1M-row
 * v5 export and, from it, a Parquet delivery of 4 Snappy parts with typed columns (written by
 * DuckDB). Each step runs in its own child process (one at a time, so they do not share the cores):
 *   duckdb       CREATE TABLE t AS SELECT * FROM read_parquet(parts)
 *   parquet      our load of the Parquet delivery (worker thread, shared memory, no validation)
 *   csv.gz       our load of the .csv.gz it came from, the same way
 *   measure      Active Subscriptions on the cold Parquet delivery: only its columns decoded
 * Prints wall and CPU seconds (every thread) and the ratios the target is set in (≤ 1.5×).
 *   node out/bench/parquet.js [--rows N] [--step NAME]
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { columnsFor, runMeasure } from '../src/core/measures';
import { mergeDeliveries } from '../src/core/measures/engine/merge';
import { loadDeliveries } from '../src/node/deliveries';
import { loadInWorker } from '../src/worker/loadClient';
import { duckConnection, writeParquetDelivery } from '../test/support/parquet';
import { benchFile, cacheDir, root } from './file';
import { stepClock, type StepResult } from './step';

const argv = process.argv.slice(2);
const opt = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const rows = Number(opt('rows') ?? 1_000_000);
const PARTS = 4;
const folder = path.join(cacheDir, `parquet-v5-${rows}`, 'transactions_1735689600');

type Result = StepResult & { columns?: number; value?: number };

function parts(): string[] {
  return fs
    .readdirSync(folder)
    .filter((f) => f.endsWith('.parquet'))
    .sort()
    .map((f) => path.join(folder, f));
}

async function buildParquet(csv: string): Promise<void> {
  if (fs.existsSync(path.join(folder, 'done'))) return;
  process.stdout.write(`writing the Parquet delivery (${PARTS} parts, typed, Snappy) with DuckDB …\n`);
  const { con, close } = await duckConnection();
  try {
    await con.run('SET threads = 2');
    await writeParquetDelivery(con, { csv, dir: folder, parts: PARTS, typed: true, rowGroup: 122_880 });
  } finally {
    close();
  }
  fs.writeFileSync(path.join(folder, 'done'), '');
}

async function step(name: string, csv: string): Promise<Result> {
  const workerPath = path.join(root, 'dist', 'worker.js');
  const done = stepClock();
  switch (name) {
    case 'duckdb': {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { DuckDBInstance } = require('@duckdb/node-api') as typeof import('@duckdb/node-api');
      const db = await DuckDBInstance.create(':memory:');
      const con = await db.connect();
      const list = parts()
        .map((p) => `'${p}'`)
        .join(', ');
      const start = stepClock();
      await con.run(`CREATE TABLE t AS SELECT * FROM read_parquet([${list}])`);
      const n = Number((await con.runAndReadAll('SELECT count(*) AS n FROM t')).getRowObjectsJS()[0].n);
      con.closeSync();
      return start({ rows: n });
    }
    case 'parquet':
    case 'csv.gz': {
      const o = await loadInWorker(name === 'parquet' ? folder : csv, {
        workerPath,
        validate: false,
        maxBytes: 2 ** 32 - 1,
        ...(name === 'parquet' ? { parts: parts() } : {}),
      });
      if (!o.ok) throw new Error(o.error.message);
      return {
        ...done({ rows: o.value.table.rowCount, bytes: o.value.table.textLength }),
        columns: o.value.table.header.length,
      };
    }
    case 'measure': {
      const o = await loadDeliveries([{ path: folder, parts: parts() }], {
        columns: columnsFor('active-subscriptions')!,
        maxBytes: 2 ** 32 - 1,
      });
      if (!o.ok) throw new Error(o.error.message);
      const r = runMeasure('active-subscriptions', mergeDeliveries(o.deliveries), { date: '2024-12-01' });
      return {
        ...done({ rows: r.rows, bytes: o.deliveries[0].table.data.textLength }),
        columns: o.deliveries[0].table.header.length,
        value: r.value as number,
      };
    }
    default:
      throw new Error(`unknown step ${name}`);
  }
}

function runChild(name: string): Result {
  const r = spawnSync(process.execPath, [__filename, '--rows', String(rows), '--step', name], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`step ${name} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Result;
}

async function main(): Promise<void> {
  const csv = await benchFile(rows);
  const only = opt('step');
  if (only) {
    process.stdout.write(`${JSON.stringify(await step(only, csv))}\n`);
    return;
  }
  await buildParquet(csv);
  const size = parts().reduce((n, p) => n + fs.statSync(p).size, 0);
  process.stdout.write(
    `${rows.toLocaleString('en-US')} rows; Parquet ${(size / 2 ** 20).toFixed(0)} MB in ${PARTS} parts; csv.gz ${(fs.statSync(csv).size / 2 ** 20).toFixed(0)} MB; load average ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}\n`,
  );
  const results: Record<string, Result> = {};
  for (const s of ['duckdb', 'parquet', 'csv.gz', 'measure']) {
    results[s] = runChild(s);
    const r = results[s];
    process.stdout.write(
      `  ${s.padEnd(8)} ${r.seconds.toFixed(2).padStart(7)} s  cpu ${(r.cpu ?? 0).toFixed(2).padStart(7)} s  rss ${r.rssMB.toFixed(0).padStart(5)} MB  rows ${r.rows}${r.columns ? `  columns ${r.columns}` : ''}${r.value !== undefined ? `  value ${r.value}` : ''}\n`,
    );
  }
  const p = results.parquet;
  const ratio = (a: Result, b: Result) =>
    `${(a.seconds / b.seconds).toFixed(2)}× wall, ${((a.cpu ?? 0) / (b.cpu ?? 1)).toFixed(2)}× cpu`;
  process.stdout.write(`Parquet load / DuckDB read_parquet: ${ratio(p, results.duckdb)} (target ≤ 1.5×)\n`);
  process.stdout.write(`Parquet load / our .csv.gz load:    ${ratio(p, results['csv.gz'])} (target ≤ 1.5×)\n`);
  process.stdout.write(
    `Active Subscriptions, cold Parquet: ${results.measure.columns} of ${p.columns} columns decoded, ${ratio(results.measure, p)} of the full load; load average now ${os.loadavg()[0].toFixed(1)}\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
