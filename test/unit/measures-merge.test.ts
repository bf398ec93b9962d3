import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runMeasure } from '../../src/core/measures';
import { mergeDeliveries } from '../../src/core/measures/engine/merge';
import type { VersionId } from '../../src/core/catalog/templates';
import { listDeliveries, loadDeliveries } from '../../src/node/deliveries';
import { exportFileName, generateExport } from '../gen/generator';
import { Rng } from '../gen/rng';
import { type DuckRef, duckRefForSuite } from '../support/duckdb';
import { tempDir, writeGz } from '../support/files';
import { checkAll } from '../support/measureCheck';
import { columnsOf, fromSec, readCsv, toSec, writeCsv, type Csv } from '../support/rewrite';

const DAY = 86400;
const E0 = 1735689600;

/**
 * A full delivery and two incremental ones, as a bucket holds them (<base>/<date>/transactions_<t>.csv.gz).
 * The incremental files repeat transactions of the full one: refunded or cancelled later (newer
 * updated_at), changed with the same updated_at (a tie the later delivery wins), or an older copy
 * (which must lose); the second one also repeats rows of the first, and brings new transactions.
 */
function deliveries(
  dir: string,
  version: VersionId,
  seed: number,
): { file: string; delimiter: ',' | ';'; delivery: number }[] {
  const rng = new Rng(seed);
  const full = generateExport({ version, rows: 3000, seed, exportTime: E0 });
  const csv = readCsv(full.text, ',');
  const cell = columnsOf(csv);
  const hasUpdated = csv.header.includes('updated_at');
  const price = (r: (string | null)[]) => cell(r, 'price_in_usd');
  const edit = (r: (string | null)[], at: number, kind: number): (string | null)[] => {
    const row = [...r];
    const start = toSec(cell(row, 'start_time')!);
    const when = fromSec(Math.max(start + 60, at));
    if (kind === 0) {
      // refund: price to 0, access ends
      cell(row, 'refunded_at', when);
      if (price(row) !== null) cell(row, 'price_in_usd', '0');
      if (csv.header.includes('effective_end_time')) cell(row, 'effective_end_time', when);
      else if (cell(row, 'end_time') !== null) cell(row, 'end_time', when);
    } else if (kind === 1) {
      cell(
        row,
        csv.header.includes('unsubscribe_detected_at') ? 'unsubscribe_detected_at' : 'unsubscribe_registered_at',
        when,
      );
    } else {
      cell(row, 'price_in_usd', String(rng.range(1, 5000) / 100));
    }
    return row;
  };
  const updatedOf = (r: (string | null)[]) => (hasUpdated ? toSec(cell(r, 'updated_at')!.slice(0, 19)) : 0);
  const setUpdated = (r: (string | null)[], sec: number, keepFraction: boolean) => {
    if (!hasUpdated) return;
    cell(r, 'updated_at', keepFraction ? cell(r, 'updated_at') : fromSec(sec));
  };
  const pickRows = (from: (string | null)[][], n: number) => {
    const chosen = new Set<number>();
    while (chosen.size < Math.min(n, from.length)) chosen.add(rng.int(from.length));
    return [...chosen].map((i) => from[i]);
  };

  const inc1: Csv = { header: csv.header, rows: [] };
  for (const r of pickRows(csv.rows, 400)) {
    const kind = rng.int(3);
    const mode = rng.int(3); // 0 newer, 1 same updated_at (tie), 2 older
    const row = edit(r, E0 + rng.int(DAY), kind);
    const u = updatedOf(r);
    if (mode === 0) setUpdated(row, E0 + rng.int(DAY), false);
    else if (mode === 1) setUpdated(row, u, true);
    else setUpdated(row, u - 1 - rng.int(DAY), false);
    inc1.rows.push(row);
  }
  const inc2: Csv = { header: csv.header, rows: [] };
  for (const r of pickRows(inc1.rows, 150)) {
    const row = edit(r, E0 + DAY + rng.int(DAY), rng.int(3));
    setUpdated(row, updatedOf(r), true); // ties with the first incremental delivery
    inc2.rows.push(row);
  }
  const fresh = readCsv(generateExport({ version, rows: 200, seed: seed + 1000, exportTime: E0 + 2 * DAY }).text, ',');
  for (const r of fresh.rows) {
    const row = [...r];
    cell(row, 'store_transaction_id', `new_${cell(row, 'store_transaction_id')}`);
    inc2.rows.push(row);
  }
  const files = [
    { csv, delimiter: ',' as const, delivery: E0 },
    { csv: inc1, delimiter: ';' as const, delivery: E0 + DAY },
    { csv: inc2, delimiter: ',' as const, delivery: E0 + 2 * DAY },
  ];
  return files.map((f) => {
    const sub = path.join(dir, new Date(f.delivery * 1000).toISOString().slice(0, 10));
    fs.mkdirSync(sub, { recursive: true });
    return {
      file: writeGz(sub, exportFileName(f.delivery), writeCsv(f.csv, f.delimiter)),
      delimiter: f.delimiter,
      delivery: f.delivery,
    };
  });
}

describe('merging deliveries, against DuckDB merging in SQL', function () {
  this.timeout(120_000);
  const dir = tempDir();
  let ref!: DuckRef;
  duckRefForSuite(dir, (r) => (ref = r));

  for (const version of ['v5', 'v3'] as const) {
    it(`${version}: a full delivery and two incremental ones, every measure`, async () => {
      const base = path.join(dir, version);
      const files = deliveries(base, version, version === 'v5' ? 11 : 12);
      const listed = await listDeliveries([base]);
      assert.deepEqual(
        listed,
        files.map((f) => f.file),
        'the folder yields its deliveries, date folders included',
      );
      // the order given does not matter: the delivery timestamps decide
      const o = await loadDeliveries([...listed].reverse());
      assert.ok(o.ok);
      const input = mergeDeliveries(o.deliveries);
      await ref.load(files.map((f) => ({ path: f.file, delimiter: f.delimiter, delivery: f.delivery })));
      const merged = await ref.count();
      assert.equal(input.superseded, ref.rawRows - merged);
      assert.ok(input.superseded >= 400, `${input.superseded} superseded`);
      assert.deepEqual(
        input.parts.map((p) => p.delivery.file),
        files.map((f) => f.file),
      );
      const seen = new Set<string>();
      const day = Math.floor(E0 / DAY);
      await checkAll(
        input,
        ref,
        { days: [day + 2, day - 10, day - 60], attributes: [['plan_tier', 'gold']], hasAttributes: true },
        `merged ${version}`,
        seen,
      );
      assert.ok(seen.has('active subscriptions') && seen.has('set to cancel'));
      // the facts around the number
      const r = runMeasure('active-subscriptions', input, {});
      assert.deepEqual(r.params, { date: '2025-01-03', dateSource: 'file name' });
      assert.equal(r.files.length, 3);
      assert.equal(r.superseded, input.superseded);
      assert.equal(r.rows, merged);
    });
  }
});
