/**
 * Where a cold `rc-export measure active-subscriptions` spends its time, part by part, each in a
 * fresh process on this thread (no worker):
 *   node out/bench/coldParts.js --file F.csv.gz [--part inflate|scan|load|fold|all] [--reps N]
 * - inflate: the file through node:zlib's stream (as the load reads it), chunks dropped;
 * - scan: the same, each chunk's records found by the RecordScanner (no sink work);
 * - load: the columns-only load of the measure's columns (loadExportFile, no validation);
 * - fold: the load, then the merge of its one delivery (KeyFold) and the measure, each timed.
 * Wall and CPU (all threads) per part; the load average is printed: the machine is shared.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { columnsFor, runMeasure } from '../src/core/measures';
import { KeyFold } from '../src/core/measures/engine/fold';
import { mergeDeliveries } from '../src/core/measures/engine/merge';
import { ExportTable } from '../src/core/load/table';
import { readHeader } from '../src/core/load/header';
import type { RecordScanner } from '../src/core/load/scan';
import { loadExportFile } from '../src/node/loadFile';
import { nodeGunzip } from '../src/node/decodeNode';

type Out = Record<string, number | string>;

async function* chunks(file: string): AsyncIterable<Uint8Array> {
  yield* nodeGunzip(fs.createReadStream(file, { highWaterMark: 1 << 20 }));
}

async function part(name: string, file: string): Promise<Out> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const out: Out = {};
  const lap = (label: string, t: number, c: NodeJS.CpuUsage) => {
    const cu = process.cpuUsage(c);
    out[`${label} wall`] = performance.now() - t;
    out[`${label} CPU`] = (cu.user + cu.system) / 1000;
  };
  if (name === 'inflate') {
    let n = 0;
    for await (const c of chunks(file)) n += c.length;
    out.bytes = n;
  } else if (name === 'scan') {
    let work = new Uint8Array(2 << 20);
    let used = 0;
    let sc: RecordScanner | null = null;
    let rows = 0;
    const sink = { record: () => void rows++ };
    for await (const c of chunks(file)) {
      if (used + c.length > work.length) {
        const next = new Uint8Array(2 * (used + c.length));
        next.set(work.subarray(0, used));
        work = next;
      }
      work.set(c, used);
      used += c.length;
      if (!sc) {
        const h = readHeader(work, used, false);
        if (!h) continue;
        sc = h.scanner;
      }
      sc.scan(work, used, false, sink);
      work.copyWithin(0, sc.pos, used);
      used -= sc.pos;
      sc.pos = 0;
    }
    sc?.scan(work, used, true, sink);
    out.rows = rows;
  } else {
    const columns = columnsFor('active-subscriptions')!;
    const o = await loadExportFile(file, { validate: false, columns });
    if (!o.ok) throw new Error(o.error.message);
    lap('load', t0, c0);
    if (name === 'fold') {
      const t1 = performance.now();
      const c1 = process.cpuUsage();
      const fold = new KeyFold(columns);
      fold.add({ file, table: new ExportTable(o.value.table), version: o.value.info.version.id });
      const { parts, superseded } = fold.result();
      const input = mergeDeliveries(
        parts.map((p) => p.delivery),
        { parts, superseded },
      );
      lap('fold', t1, c1);
      const t2 = performance.now();
      const c2 = process.cpuUsage();
      out.value = JSON.stringify(runMeasure('active-subscriptions', input, {}).value);
      lap('measure', t2, c2);
    }
  }
  lap('total', t0, c0);
  return out;
}

if (path.basename(__filename) === 'coldParts.js') {
  const argv = process.argv.slice(2);
  const opt = (n: string) => (argv.includes(`--${n}`) ? argv[argv.indexOf(`--${n}`) + 1] : undefined);
  const file = opt('file');
  if (!file) throw new Error('--file is required');
  const one = opt('part');
  if (one && argv.includes('--child')) {
    part(one, file).then(
      (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
      (e: unknown) => {
        process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
        process.exit(1);
      },
    );
  } else {
    const reps = Number(opt('reps') ?? 1);
    const parts = one && one !== 'all' ? [one] : ['inflate', 'scan', 'load', 'fold'];
    process.stdout.write(`cold parts (${path.basename(file)}), load average ${os.loadavg()[0].toFixed(1)}\n`);
    for (let i = 0; i < reps; i++)
      for (const p of parts) {
        const r = spawnSync(process.execPath, [__filename, '--file', file, '--part', p, '--child'], {
          encoding: 'utf8',
        });
        if (r.status !== 0) throw new Error(r.stderr);
        const o = JSON.parse(r.stdout) as Out;
        const f = Object.entries(o)
          .map(([k, v]) => `${k} ${typeof v === 'number' && /wall|CPU/.test(k) ? (v / 1000).toFixed(2) + ' s' : v}`)
          .join(', ');
        process.stdout.write(`  ${p.padEnd(8)} ${f}\n`);
      }
    process.stdout.write(`  load average after ${os.loadavg()[0].toFixed(1)}\n`);
  }
}
