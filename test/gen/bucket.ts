/**
 * A bucket of a year of daily deliveries, as RevenueCat lays them out (<dir>/<YYYY-MM-DD>/transactions_<ts>.csv.gz):
 * day 0 a full export (every transaction started by then), then one delivery a day of the new and
 * updated transactions only. A transaction is new on the day it starts; a refund, a cancellation or
 * a billing issue later brings it back on the day it happens, with updated_at moved (updates.ts).
 * Now and then a row is sent again unchanged the next day (a tie the later delivery wins). Seeded:
 * the same options write the same bytes. Every day's file is written as rows come, so the bucket is
 * never held in memory.
 */
import * as fs from 'node:fs';
import { once } from 'node:events';
import * as path from 'node:path';
import { finished } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import type { VersionId } from '../../src/core/catalog/templates';
import { field, layout, needsQuoting } from './encode';
import { exportFileName } from './generator';
import { type Ctx, type Txn, TxnStream } from './model';
import { Rng, mixSeed } from './rng';
import { asOf, updateDays } from './updates';
import { DAY } from './values';

export interface BucketOptions {
  version: VersionId;
  /** Distinct transactions generated (rows: these and their updates). */
  transactions: number;
  /** Deliveries, one a day (default 365). */
  days?: number;
  seed?: number;
  /** Unix seconds of day 0's full export (default 2025-01-01). */
  start?: number;
}

export interface Bucket {
  /** The deliveries, day by day: path and delivery time (unix seconds). */
  readonly files: { path: string; time: number; rows: number }[];
  /** Rows written over all files. */
  readonly rows: number;
  /** Compressed bytes. */
  readonly bytes: number;
}

interface DayFile {
  readonly gz: zlib.Gzip;
  readonly out: fs.WriteStream;
  buf: string[];
  size: number;
  rows: number;
}

const FLUSH = 256 * 1024;

export async function writeBucket(dir: string, o: BucketOptions): Promise<Bucket> {
  const days = o.days ?? 365;
  const seed = o.seed ?? 1;
  const e0 = o.start ?? 1735689600;
  const time = (d: number) => e0 + d * DAY;
  const cols = layout(o.version, 'documented');
  const re = needsQuoting(',');
  const header = cols.map((c) => c.name).join(',') + '\n';
  const files: DayFile[] = [];
  const paths: string[] = [];
  for (let d = 0; d < days; d++) {
    const folder = path.join(dir, new Date(time(d) * 1000).toISOString().slice(0, 10));
    fs.mkdirSync(folder, { recursive: true });
    const p = path.join(folder, exportFileName(time(d)));
    paths.push(p);
    const gz = zlib.createGzip();
    const out = fs.createWriteStream(p);
    gz.pipe(out);
    files.push({ gz, out, buf: [header], size: header.length, rows: 0 });
  }
  const flush = async (f: DayFile) => {
    const text = f.buf.join('');
    f.buf = [];
    f.size = 0;
    if (!f.gz.write(text)) await once(f.gz, 'drain');
  };
  const emit = async (d: number, t: Txn) => {
    const f = files[d];
    let rec = field(cols[0].enc(t), cols[0].force, re);
    for (let i = 1; i < cols.length; i++) rec += ',' + field(cols[i].enc(t), cols[i].force, re);
    f.buf.push(rec, '\n');
    f.size += rec.length + 1;
    f.rows++;
    if (f.size >= FLUSH) await flush(f);
  };
  const ctx: Ctx = { exportTime: time(days - 1), multiline: false, nextId: 1 };
  const stream = new TxnStream(ctx, new Rng(mixSeed(seed, 1)));
  const again = new Rng(mixSeed(seed, 2));
  const last = days - 1;
  for (let i = 0; i < o.transactions; i++) {
    const t = stream.next();
    const first = Math.min(last, Math.max(0, Math.ceil((t.start - e0) / DAY)));
    await emit(first, asOf(t, time(first)));
    const later = updateDays(t, e0, first, last);
    // sent again unchanged the next day, now and then
    if (again.chance(0.005) && first < last && !later.includes(first + 1)) await emit(first + 1, asOf(t, time(first)));
    for (const d of later) await emit(d, asOf(t, time(d)));
  }
  let rows = 0;
  for (const f of files) {
    if (f.size) await flush(f);
    f.gz.end();
    await finished(f.out);
    rows += f.rows;
  }
  const bytes = paths.reduce((n, p) => n + fs.statSync(p).size, 0);
  return { files: paths.map((p, d) => ({ path: p, time: time(d), rows: files[d].rows })), rows, bytes };
}
