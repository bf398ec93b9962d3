/**
 * The In-App Currency feed: its own template (validation, info), its place in a bucket beside the
 * transactions (virtual_currency/<date>/virtual_currency_<t>), full-snapshot semantics (only the latest
 * delivery counts, one row per idempotency_key), its two measures against DuckDB, and transaction
 * measures skipping it with a note.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MeasureError, runMeasure } from '../../src/core/measures';
import { formatDay } from '../../src/core/measures/engine/dates';
import { formatResult } from '../../src/core/measures/engine/resultFormat';
import { mergeDeliveries } from '../../src/core/measures/engine/merge';
import { listDeliveries, loadDeliveries } from '../../src/node/deliveries';
import { loadExportFile } from '../../src/node/loadFile';
import { currencyColumns, currencyCsv } from '../gen/currency';
import { generateExport } from '../gen/generator';
import { balances, currencyRowCount, flow, loadCurrency } from '../support/duckCurrency';
import { type DuckRef, duckRefForSuite } from '../support/duckdb';
import { tempDir, writeGz } from '../support/files';

const CLI = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');
const T_OLD = 1789900000; // 2026-09-20
const T_NEW = 1789990000; // 2026-09-21
const DAY = 86400;

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function put(dir: string, rel: string, text: string | Buffer): string {
  fs.mkdirSync(path.join(dir, path.dirname(rel)), { recursive: true });
  return writeGz(dir, rel, text);
}

describe('In-App Currency feed', function () {
  this.timeout(300_000);
  const dir = tempDir();
  let ref!: DuckRef;
  duckRefForSuite(dir, (r) => (ref = r));
  const day = (t: number) => formatDay(Math.floor(t / DAY));
  const older = put(
    dir,
    `virtual_currency/${day(T_OLD)}/virtual_currency_${T_OLD}.csv.gz`,
    currencyCsv({ rows: 800, seed: 5, exportTime: T_OLD }),
  );
  const latest = put(
    dir,
    `virtual_currency/${day(T_NEW)}/virtual_currency_${T_NEW}.csv.gz`,
    currencyCsv({ rows: 3000, seed: 6, exportTime: T_NEW }),
  );
  const tx = put(
    dir,
    `${day(T_NEW)}/transactions_${T_NEW}.csv.gz`,
    generateExport({ version: 'v7', rows: 1500, seed: 7, exportTime: T_NEW }).text,
  );

  it('a snapshot validates against its own template without errors or warnings', async () => {
    const o = await loadExportFile(latest, {});
    assert.ok(o.ok, o.ok ? '' : o.error.message);
    assert.equal(o.value.info.report.feed, 'in-app-currency');
    assert.equal(o.value.info.version.id, 'iac');
    assert.equal(o.value.table.rowCount, 3000);
    const noisy = o.value.validation!.problems.filter((p) => p.severity !== 'information');
    assert.deepEqual(noisy.slice(0, 3), []);
    // typed as the feed says: adjustment_amount integer, event_timestamp timestamp
    const types = Object.fromEntries(o.value.table.header.map((h, i) => [h, o.value.table.types[i]]));
    assert.equal(types.adjustment_amount, 'integer');
    assert.equal(types.event_timestamp, 'timestamp');
    assert.equal(types.transaction_type, 'string');
  });

  it('a bad value is found: an unknown transaction_type is one information line, a negative balance a number', async () => {
    const text = currencyCsv({ rows: 200, seed: 8 })
      .replace(/,GRANT,/g, ',BONUS,')
      .replace(/\n(user_\d+),([^,]*),PURCHASE,coins,(\d+),/, '\n$1,$2,PURCHASE,coins,ten,');
    const f = put(dir, 'loose/virtual_currency_1790000001.csv.gz', text);
    const o = await loadExportFile(f, {});
    assert.ok(o.ok);
    const p = o.value.validation!.problems;
    const enums = p.filter((x) => x.rule === 'enum-value');
    assert.equal(enums.length, 1);
    assert.equal(enums[0].severity, 'information');
    assert.match(enums[0].message, /"BONUS".*\(\d+ rows in transaction_type, the first at row \d+\)/);
    assert.ok(p.some((x) => x.rule === 'type-error' && x.column === 'adjustment_amount'));
  });

  it('info says the feed and its columns', () => {
    const r = cli('info', latest, '--format', 'json');
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.equal(j.feed, 'in-app-currency');
    assert.equal(j.template, 'iac');
    assert.deepEqual(j.columns, currencyColumns());
    const t = cli('info', tx, '--format', 'json');
    assert.equal(JSON.parse(t.out).feed, 'transactions');
  });

  it('a bucket: the latest snapshot counts, one row per idempotency_key; both measures equal DuckDB', async () => {
    const files = await listDeliveries([dir]);
    const o = await loadDeliveries(files.filter((f) => !f.includes('loose')));
    assert.ok(o.ok);
    const input = mergeDeliveries(o.deliveries);
    assert.ok(input.currency);
    assert.deepEqual(
      input.currency.parts.map((p) => p.delivery.file),
      [latest],
    );
    assert.deepEqual(input.currency.setAside, [older]);
    assert.deepEqual(
      input.parts.map((p) => p.delivery.file),
      [tx],
    );
    await loadCurrency(ref, latest);
    const distinct = await currencyRowCount(ref);
    assert.equal(input.currency.superseded, 3000 - distinct);
    assert.ok(input.currency.superseded > 50, 'the snapshot repeats adjustments');
    let seen = 0;
    for (const d of [T_NEW - 100 * DAY, T_NEW - 40 * DAY, T_NEW]) {
      const r = runMeasure('currency-balance', input, { date: day(d) });
      const want = await balances(ref, day(d));
      assert.deepEqual(r.value, want, `balances on ${day(d)}`);
      seen += Object.keys(want).length;
      assert.equal(r.rows, distinct);
      assert.ok(r.notes.some((n) => /1 Transactions delivery skipped/.test(n)));
      assert.ok(r.notes.some((n) => /full snapshots.*1 older one is set aside/.test(n)));
    }
    assert.ok(seen > 100);
    const from = day(T_NEW - 30 * DAY);
    const f = runMeasure('currency-flow', input, { from, to: day(T_NEW) });
    const want = await flow(ref, from, day(T_NEW));
    assert.deepEqual(f.value, want);
    assert.ok(Object.keys(want).length > 20);
    assert.ok(Object.values(want).some((x) => x.debits !== null && x.credits !== null));
    assert.match(formatResult(f), /credits\s+debits/);
  });

  it('transaction measures skip the feed with a note, and refuse a folder of it alone', async () => {
    const all = await loadDeliveries([tx, latest, older]);
    const only = await loadDeliveries([tx]);
    assert.ok(all.ok && only.ok);
    const both = runMeasure('active-subscriptions', mergeDeliveries(all.deliveries), {});
    const alone = runMeasure('active-subscriptions', mergeDeliveries(only.deliveries), {});
    assert.equal(both.value, alone.value);
    assert.deepEqual(both.files, [tx]);
    assert.ok(
      both.notes.some((n) => /2 In-App Currency deliveries skipped/.test(n)),
      both.notes.join('|'),
    );
    const iac = await loadDeliveries([latest]);
    assert.ok(iac.ok);
    assert.throws(
      () => runMeasure('revenue', mergeDeliveries(iac.deliveries), { date: day(T_NEW) }),
      (e: unknown) => e instanceof MeasureError && /In-App Currency deliveries/.test(e.message),
    );
    assert.throws(
      () => runMeasure('currency-flow', mergeDeliveries(only.deliveries), { date: day(T_NEW) }),
      (e: unknown) => e instanceof MeasureError && /none of the files/.test(e.message),
    );
  });

  it('the CLI measures a bucket root: transactions measured, the feed noted (text and JSON)', () => {
    const root = path.join(dir, 'bucket');
    fs.mkdirSync(root);
    for (const f of [older, latest, tx]) {
      const rel = path.relative(dir, f);
      fs.mkdirSync(path.join(root, path.dirname(rel)), { recursive: true });
      fs.copyFileSync(f, path.join(root, rel));
    }
    const r = cli('measure', 'active-subscriptions', root, '--format', 'json');
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.equal(typeof j.value, 'number');
    assert.equal(j.files.length, 1);
    const skipped = j.skipped as { path: string; reason: string }[];
    assert.ok(
      skipped.some((s) => s.path.includes('virtual_currency') && /In-App Currency feed/.test(s.reason)),
      JSON.stringify(skipped),
    );
    const t = cli('measure', 'currency-balance', root);
    assert.equal(t.code, 0, t.err);
    assert.match(t.out, /Currency Balance/);
    assert.match(t.err, /skipped .*: Transactions feed: In-App Currency measures do not read it/);
  });
});
