import assert from 'node:assert/strict';
import { decimalCents } from '../../src/core/measures/engine/money';
import { mergeDeliveries } from '../../src/core/measures/engine/merge';
import { loadDeliveries } from '../../src/node/deliveries';
import { DEFAULT_EXPORT_TIME, generateExport } from '../gen/generator';
import { Rng } from '../gen/rng';
import { type DuckRef, duckRefForSuite } from '../support/duckdb';
import { tempDir, writeGz } from '../support/files';
import { checkAll } from '../support/measureCheck';
import { columnsOf, fromSec, readCsv, toSec, writeCsv } from '../support/rewrite';

const DAY = 86400;
const EXPORT_DAY = Math.floor(DEFAULT_EXPORT_TIME / DAY);
const DURATIONS = [
  'P1D',
  'P3D',
  'P7D',
  'P1W',
  'P2W',
  'P4W',
  'P1M',
  'P2M',
  'P3M',
  'P6M',
  'P12M',
  'P1Y',
  'P5D',
  'P10Y',
  null,
];
// prices near half a cent, where writing 15 digits first changes the rounding
const PRICES = [
  '1.005',
  '2.675',
  '0.125',
  '0.015',
  '1.115',
  '4.445',
  '10.005',
  '0.335',
  '9.99',
  '0.001',
  '1234.565',
  null,
];

describe('measures on edge cases, against DuckDB', function () {
  this.timeout(120_000);
  const dir = tempDir();
  let ref!: DuckRef;
  duckRefForSuite(dir, (r) => (ref = r));

  it('decimal rounding: 15 significant digits, then half away from zero, like DuckDB running the cast emulation', async () => {
    const rng = new Rng(9);
    const xs: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const base = rng.int(100000) / 1000 + 0.005 * rng.range(-1, 1);
      const m = rng.pick([1, 30, 10, 4, 2, 0.5, 0.333333, 0.1666666, 0.08333, 28 / (rng.range(1, 4000000) / 86400)]);
      xs.push((rng.chance(0.1) ? -1 : 1) * m * base);
    }
    const rows = await ref.rows(
      `SELECT x, dec2(x)::VARCHAR AS d FROM (SELECT unnest([${xs.map((x) => `${x}::DOUBLE`).join(',')}]) AS x)`,
    );
    let differs = 0;
    for (const r of rows) {
      const x = Number(r.x);
      const cents = decimalCents(x);
      assert.equal(cents, Math.round(Number(r.d) * 100), `${x} → ${String(r.d)}`);
      if (cents !== Math.round(x * 100)) differs++;
    }
    assert.ok(differs > 0, 'some values round differently from Math.round, so the 15-digit step is exercised');
  });

  it('MRR over every product_duration, intro offers, NULLs and odd lengths', async () => {
    const rng = new Rng(5);
    const g = generateExport({ version: 'v5', rows: 3000, seed: 77 });
    const csv = readCsv(g.text, ',');
    const cell = columnsOf(csv);
    for (const row of csv.rows) {
      const start = DEFAULT_EXPORT_TIME - rng.range(1, 400) * DAY + rng.range(0, DAY - 1);
      const length = rng.chance(0.5)
        ? rng.pick([0, 1, 2, 3, 7, 14, 30, 31, 60, 91, 182, 365, 370]) * DAY + rng.range(-3600, 3600)
        : rng.range(1, 500 * DAY);
      const end = start + Math.max(1, length);
      cell(row, 'start_time', fromSec(start));
      cell(row, 'end_time', fromSec(end));
      cell(
        row,
        'effective_end_time',
        rng.chance(0.05) ? null : fromSec(end + (rng.chance(0.2) ? rng.range(0, 10 * DAY) : 0)),
      );
      cell(row, 'product_duration', rng.pick(DURATIONS));
      cell(row, 'is_in_intro_offer_period', rng.chance(0.05) ? null : rng.chance(0.2) ? 'true' : 'false');
      cell(row, 'price_in_usd', rng.pick(PRICES));
      cell(row, 'is_trial_period', rng.chance(0.1) ? 'true' : 'false');
      cell(row, 'is_sandbox', rng.chance(0.03) ? null : cell(row, 'is_sandbox'));
      cell(row, 'store', rng.chance(0.02) ? null : cell(row, 'store'));
    }
    const file = writeGz(dir, 'transactions_1735689600.csv.gz', writeCsv(csv, ','));
    const o = await loadDeliveries([file]);
    assert.ok(o.ok);
    await ref.load([{ path: file, delimiter: ',', delivery: DEFAULT_EXPORT_TIME }]);
    const seen = new Set<string>();
    await checkAll(
      mergeDeliveries(o.deliveries),
      ref,
      { days: [EXPORT_DAY - 1, EXPORT_DAY - 30, EXPORT_DAY - 150], hasAttributes: true },
      'edge',
      seen,
    );
    assert.ok(seen.has('MRR') && seen.has('dropped for NULL'));
  });

  it('start and end in the same second, or a fraction of a second apart, are not a positive span', async () => {
    const g = generateExport({ version: 'v5', rows: 400, seed: 78 });
    const csv = readCsv(g.text, ',');
    const cell = columnsOf(csv);
    const rng = new Rng(6);
    for (const row of csv.rows) {
      const start = toSec(cell(row, 'start_time')!);
      cell(row, 'start_time', `${fromSec(start)}.${rng.range(100, 999)}`);
      const end = rng.pick([start, start + 1, start - 1]);
      cell(row, 'end_time', `${fromSec(end)}.${rng.range(100, 999)}`);
      cell(row, 'effective_end_time', fromSec(DEFAULT_EXPORT_TIME + DAY));
      cell(row, 'is_trial_period', 'false');
    }
    const file = writeGz(dir, 'transactions_1735689600.csv.gz', writeCsv(csv, ','));
    const o = await loadDeliveries([file]);
    assert.ok(o.ok);
    await ref.load([{ path: file, delimiter: ',', delivery: DEFAULT_EXPORT_TIME }]);
    const seen = new Set<string>();
    await checkAll(mergeDeliveries(o.deliveries), ref, { days: [EXPORT_DAY], hasAttributes: true }, 'sub-second', seen);
    assert.ok(seen.has('active subscriptions'));
  });
});
