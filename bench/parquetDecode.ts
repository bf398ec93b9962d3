/**
 * The decoding half of a Parquet load on its own, in this thread: the bench:parquet delivery's row
 * groups decoded and assembled into rows (GroupDecoder.events, as the second thread runs it, the
 * rows into one batch, no table), several times; prints each run's CPU seconds and the least. On a
 * shared machine the least of several runs says more about a change to the decoder than one load.
 *   node out/bench/parquetDecode.js [--rows N] [--runs N]   (after npm run bench:parquet built the delivery)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { detectVersion } from '../src/core/catalog/detect';
import { columnSpec } from '../src/core/catalog/templates';
import { loadedVectorKind } from '../src/core/load/table';
import { GroupDecoder, newBatch, type GroupSetup } from '../src/core/parquet';
import { type FileSource, openParquetParts } from '../src/node/fileSource';
import { cacheDir } from './file';

const argv = process.argv.slice(2);
const opt = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const rows = Number(opt('rows') ?? 1_000_000);
const runs = Number(opt('runs') ?? 5);
const folder = path.join(cacheDir, `parquet-v5-${rows}`, 'transactions_1735689600');

async function once(): Promise<{ cpu: number; bytes: number; rows: number }> {
  const names = fs
    .readdirSync(folder)
    .filter((f) => f.endsWith('.parquet'))
    .sort();
  const parts = names.map((n) => ({
    path: path.join(folder, n),
    name: n,
    size: fs.statSync(path.join(folder, n)).size,
  }));
  const sources: FileSource[] = [];
  const files = await openParquetParts(parts, sources);
  const columns = files[0].columns;
  // the columns whose strings go to a dictionary vector in the table, as the loader decides it
  const feed = detectVersion(columns).feed;
  const dictText = columns.map((c) => (loadedVectorKind(columnSpec(c, feed)) === 'dict' ? 1 : 0));
  const setup: GroupSetup = { columns, booleans: ['true', 'false'], dictText, inPlace: false };
  const batch = newBatch(columns.length);
  const decoder = new GroupDecoder(files, names, setup, false);
  const c0 = process.cpuUsage();
  let bytes = 0;
  let n = 0;
  for await (const ev of decoder.events({ take: () => batch, memory: (b) => new ArrayBuffer(b) }))
    if (ev.type === 'rows') {
      bytes += ev.size;
      n += ev.rows;
    }
  const c = process.cpuUsage(c0);
  for (const s of sources) await s.close();
  return { cpu: (c.user + c.system) / 1e6, bytes, rows: n };
}

async function main(): Promise<void> {
  const cpus: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await once();
    cpus.push(r.cpu);
    process.stdout.write(
      `run ${i + 1}: ${r.cpu.toFixed(2)} cpu s, ${r.rows} rows, ${r.bytes} bytes of text; load average ${os.loadavg()[0].toFixed(1)}\n`,
    );
  }
  process.stdout.write(`least: ${Math.min(...cpus).toFixed(2)} cpu s\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
