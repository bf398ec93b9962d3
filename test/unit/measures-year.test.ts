/**
 * A bucket of daily deliveries (test/gen/bucket.ts) merged as it loads (loadMerged, KeyFold): the
 * rows kept are DuckDB's latest version of each transaction over the glob of the bucket, every
 * measure agrees with DuckDB's documented query over them, and the result is the one of loading
 * every delivery first and merging after (mergeDeliveries), to the byte.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { exportTimeFromName } from '../../src/core/catalog/naming';
import {
  MEASURES,
  MeasureError,
  columnsFor,
  measureByName,
  runMeasure,
  type Measure,
  type MeasureInput,
} from '../../src/core/measures';
import { mergeDeliveries } from '../../src/core/measures/engine/merge';
import { measureRows, rowsByFile } from '../../src/core/measures/rowSets';
import { findDeliveries, loadDeliveries, loadMerged } from '../../src/node/deliveries';
import { writeBucket, type Bucket } from '../gen/bucket';
import { type DuckRef, duckRefForSuite } from '../support/duckdb';
import { tempDir } from '../support/files';
import { checkAll } from '../support/measureCheck';
import { checkNew } from '../support/measureCheck2';

const DAY = 86400;
const E0 = 1735689600;

async function bucketPaths(dir: string) {
  const found = await findDeliveries([dir]);
  assert.ok(found.ok);
  return found.deliveries.map((d) => d.path);
}

/** What a measure gives, without its timing: the same for both ways of merging. */
function results(
  input: MeasureInput,
  dates: { date: string; from: string; to: string },
  measures: readonly Measure[] = MEASURES,
): string[] {
  return measures.map((m) => {
    const req =
      m.takes === 'attribute'
        ? { date: dates.date, key: 'plan_tier', value: 'gold' }
        : m.takes === 'date'
          ? { date: dates.date }
          : { from: dates.from, to: dates.to, date: dates.date, resolution: 'week' as const };
    try {
      const { ms: _ms, ...rest } = runMeasure(m.name, input, req);
      return JSON.stringify(rest);
    } catch (e) {
      if (e instanceof MeasureError) return `${m.name}: ${e.message}`;
      throw e;
    }
  });
}

/** Each kept row as id|renewal|delivery time. */
function keptRows(input: MeasureInput): string[] {
  const out: string[] = [];
  for (const p of input.parts) {
    const t = p.delivery.table;
    const id = t.columnIndex('store_transaction_id');
    const ren = t.columnIndex('renewal_number');
    const time = exportTimeFromName(p.delivery.file);
    const n = p.rows ? p.rows.length : t.rowCount;
    for (let k = 0; k < n; k++) {
      const r = p.rows ? p.rows[k] : k;
      out.push(`${t.cell(r, id)}|${t.cell(r, ren) ?? ''}|${time}`);
    }
  }
  return out.sort();
}

describe('a bucket of daily deliveries, merged as it loads', function () {
  this.timeout(300_000);
  const dir = tempDir();
  let ref!: DuckRef;
  let bucket!: Bucket;
  duckRefForSuite(dir, (r) => (ref = r));
  const base = path.join(dir, 'bucket');

  before(async () => {
    bucket = await writeBucket(base, { version: 'v5', transactions: 6000, days: 30, seed: 7 });
  });

  it('keeps exactly the latest version of each transaction, as DuckDB over the glob', async () => {
    assert.equal(bucket.files.length, 30);
    assert.ok(
      bucket.files.slice(1).every((f) => f.rows > 0),
      'every day delivers rows',
    );
    const paths = await bucketPaths(base);
    assert.equal(paths.length, 30);
    // given in any order: the delivery times decide
    const o = await loadMerged([...paths].reverse());
    assert.ok(o.ok);
    await ref.load(bucket.files.map((f) => ({ path: f.path, delimiter: ',', delivery: f.time })));
    const merged = await ref.count();
    assert.ok(ref.rawRows - merged >= 100, `${ref.rawRows - merged} rows superseded`);
    assert.equal(o.input.superseded, ref.rawRows - merged);
    const duck = (
      await ref.rows(
        `SELECT store_transaction_id || '|' || coalesce(renewal_number::VARCHAR, '') || '|' || delivery AS k FROM m`,
      )
    )
      .map((r) => String(r.k))
      .sort();
    assert.deepEqual(keptRows(o.input), duck);
    const seen = new Set<string>();
    const last = Math.floor(E0 / DAY) + 29;
    await checkAll(
      o.input,
      ref,
      { days: [last, last - 10, last - 25], attributes: [['plan_tier', 'gold']], hasAttributes: true },
      'bucket',
      seen,
    );
    await checkNew(o.input, ref, { from: last - 28, to: last, asOf: last, resolution: 'week' }, 'bucket', seen);
    for (const what of ['active subscriptions', 'movement'])
      assert.ok(seen.has(what), `the bucket exercised ${what}: ${[...seen].join(', ')}`);
  });

  it('gives what loading every delivery and merging after gives, with superseded rows let go', async () => {
    // day 0's rows sent again (every other one) on day 3: day 0 is then mostly superseded and compacted
    const day0 = bucket.files[0].path;
    const lines = zlib.gunzipSync(fs.readFileSync(day0)).toString('utf8').split('\n');
    const again = [lines[0], ...lines.slice(1).filter((l, i) => l && i % 2 === 0), ''].join('\n');
    const t = E0 + 3 * DAY + 600;
    const extra = path.join(dir, 'again', 'transactions_' + t + '.csv.gz');
    fs.mkdirSync(path.dirname(extra), { recursive: true });
    fs.writeFileSync(extra, zlib.gzipSync(again));
    const paths = [...(await bucketPaths(base)), extra];
    const folded = await loadMerged(paths, { columns: undefined });
    const loaded = await loadDeliveries(paths);
    assert.ok(folded.ok && loaded.ok);
    const whole = mergeDeliveries(loaded.deliveries);
    const first = folded.input.parts[0];
    assert.ok(first.delivery.origin, 'day 0 was compacted');
    assert.ok(first.delivery.table.rowCount < loaded.deliveries[0].table.rowCount);
    assert.equal(first.delivery.origin.fileRows, loaded.deliveries[0].table.rowCount);
    assert.equal(folded.input.superseded, whole.superseded);
    assert.deepEqual(
      folded.input.parts.map((p) => p.delivery.file),
      whole.parts.map((p) => p.delivery.file),
    );
    const last = Math.floor(E0 / DAY) + 29;
    const fmt = (d: number) => new Date(d * DAY * 1000).toISOString().slice(0, 10);
    const dates = { date: fmt(last), from: fmt(last - 28), to: fmt(last) };
    assert.deepEqual(results(folded.input, dates), results(whole, dates));
    // a measure's own columns only: each delivery is kept as those columns alone, the results stay
    for (const m of MEASURES) {
      const columns = columnsFor(m.name);
      if (!columns || m.feed === 'in-app-currency') continue;
      const narrow = await loadMerged(paths, { columns });
      assert.ok(narrow.ok);
      const kept = new Set(narrow.input.parts.flatMap((p) => p.delivery.table.header));
      assert.ok(kept.size < loaded.deliveries[0].table.header.length, `${m.name}: fewer columns kept`);
      assert.deepEqual(results(narrow.input, dates, [m]), results(whole, dates, [m]), m.name);
    }
    // a drill-down names the rows of the files, not of the compacted tables
    const m = measureByName('active-subscriptions')!;
    const rows = (input: MeasureInput) =>
      rowsByFile(
        measureRows(m, input, { date: fmt(Math.floor(E0 / DAY) + 2) }, { period: fmt(Math.floor(E0 / DAY) + 2) }),
        input,
      ).map((f) => ({ file: f.file, rows: [...f.rows] }));
    const want = rows(whole);
    assert.ok(want.some((f) => f.file === day0));
    assert.deepEqual(rows(folded.input), want);
  });
});
