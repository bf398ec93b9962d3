/**
 * The folder walk, through the CLI as a user meets it: a bucket laid out as RevenueCat documents it
 * (Transactions and In-App Currency, several dates, several deliveries on one date, a Parquet
 * delivery of parts, files that are not exports) measures the Transactions deliveries, with DuckDB
 * merging the same rows as the reference, and lists what it left out. Links to files are followed,
 * loops end, a FIFO never blocks, and a folder that cannot be read is an `io` error in the JSON.
 */
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { findDeliveries } from '../../src/node/deliveries';
import { generateExport } from '../gen/generator';
import { Rng } from '../gen/rng';
import { type DuckRef, duckRefForSuite } from '../support/duckdb';
import { tempDir, writeGz, writeRaw } from '../support/files';
import { duckConnection, writeParquetDelivery } from '../support/parquet';
import { columnsOf, fromSec, readCsv, toSec, writeCsv } from '../support/rewrite';

const CLI = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');
const DAY = 86400;
const E0 = 1735689600; // 2025-01-01

function cli(args: string[], options: SpawnSyncOptions = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000, ...options });
  const out = String(r.stdout);
  const err = String(r.stderr);
  return { code: r.status, out, err, json: () => JSON.parse(out) as Record<string, unknown> };
}

/** The In-App Currency feed's 21 columns, a few generated rows (its own template is another change's). */
function inAppCurrencyCsv(seed: number): string {
  const rng = new Rng(seed);
  const header = [
    'rc_original_app_user_id',
    'rc_last_seen_app_user_id_alias',
    'transaction_type',
    'currency_code',
    'adjustment_amount',
    'updated_balance',
    'event_timestamp',
    'updated_at',
    'idempotency_key',
    'store',
    'is_sandbox',
    'store_transaction_id',
    'product_identifier',
    'price_in_usd',
    'purchase_price_in_usd',
    'price_in_purchased_currency',
    'purchase_price_in_purchased_currency',
    'purchased_currency',
    'refund_amount_usd',
    'refund_amount_in_purchased_currency',
    'refund_type',
  ];
  const rows = [header.join(',')];
  for (let i = 0; i < 20; i++) {
    const at = fromSec(E0 - rng.int(DAY * 30));
    const amount = rng.int(200) - 50;
    rows.push(
      [
        `user_${rng.int(1000)}`,
        '',
        amount > 0 ? 'PURCHASE' : 'DEDUCTION',
        'coins',
        String(amount),
        String(rng.int(500)),
        at,
        at,
        `key_${i}`,
        'app_store',
        'false',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
      ].join(','),
    );
  }
  return rows.join('\n') + '\n';
}

describe('deliveries in a bucket and in folders', function () {
  this.timeout(180_000);
  const dir = tempDir();
  let ref!: DuckRef;
  duckRefForSuite(dir, (r) => (ref = r));
  let con!: DuckDBConnection;
  let close = () => {};
  before(async () => ({ con, close } = await duckConnection()));
  after(() => close());

  it('a bucket as documented: the Transactions deliveries are measured, the other feed and non-exports listed', async () => {
    const base = path.join(dir, 'bucket');
    const day1 = path.join(base, '2025-01-01');
    const day2 = path.join(base, '2025-01-02');
    fs.mkdirSync(day1, { recursive: true });
    fs.mkdirSync(day2, { recursive: true });
    // the first delivery is full
    const full = generateExport({ version: 'v5', rows: 1000, seed: 91, exportTime: E0 });
    const f1 = writeGz(day1, `transactions_${E0}.csv.gz`, full.text);
    // a second delivery the same day: 300 of those transactions cancelled since (newer updated_at)
    const csv = readCsv(full.text, ',');
    const cell = columnsOf(csv);
    const changed = csv.rows.slice(0, 300).map((r) => {
      const row = [...r];
      const start = toSec(cell(row, 'start_time')!);
      const end = fromSec(start + DAY);
      cell(row, 'end_time', end);
      cell(row, 'effective_end_time', end);
      cell(row, 'updated_at', fromSec(E0 + 3600));
      return row;
    });
    const t2 = E0 + 6 * 3600;
    const f2 = writeGz(day1, `transactions_${t2}.csv.gz`, writeCsv({ header: csv.header, rows: changed }, ','));
    // the next day: a Parquet delivery of three parts, new transactions
    const t3 = E0 + DAY;
    const next = generateExport({ version: 'v5', rows: 600, seed: 92, exportTime: t3 });
    const source3 = writeGz(dir, 'source3.csv.gz', next.text);
    const d3 = path.join(day2, `transactions_${t3}`);
    await writeParquetDelivery(con, { csv: source3, dir: d3, parts: 3, typed: true });
    // the other feed, and files that are not exports
    const iac = path.join(base, 'virtual_currency', '2025-01-01');
    fs.mkdirSync(iac, { recursive: true });
    const iacFile = writeGz(iac, `virtual_currency_${E0}.csv.gz`, inAppCurrencyCsv(5));
    const readme = writeRaw(base, 'README.txt', 'Synced from the bucket every night.\n');
    const junk = writeRaw(day2, '.DS_Store', new Uint8Array([0, 0, 0, 1, 0x42, 0x75, 0x64, 0x31]));

    const r = cli(['measure', 'active-subscriptions', '--date', '2024-12-20', '--format', 'json', base]);
    assert.equal(r.code, 0, r.err);
    const out = r.json();
    assert.deepEqual(out.files, [f1, f2, d3]);
    const skipped = out.skipped as { path: string; reason: string }[];
    const reason = (p: string) => skipped.find((s) => s.path === p)?.reason ?? '(not listed)';
    assert.match(reason(iacFile), /In-App Currency/);
    assert.match(reason(readme), /not an export/);
    assert.match(reason(junk), /not an export/);
    assert.equal(skipped.length, 3);

    await ref.load([
      { path: f1, delimiter: ',', delivery: E0 },
      { path: f2, delimiter: ',', delivery: t2 },
      { path: source3, delimiter: ',', delivery: t3 },
    ]);
    assert.equal(out.value, await ref.active('2024-12-20', false));
    assert.equal(out.rows, await ref.count());
    assert.equal(out.superseded, ref.rawRows - (await ref.count()));
    assert.ok((out.superseded as number) >= 300, 'the second delivery replaces 300 rows of the first');

    const text = cli(['measure', 'active-subscriptions', '--date', '2024-12-20', base]);
    assert.equal(text.code, 0);
    assert.match(text.err, /skipped .*virtual_currency_1735689600\.csv\.gz: In-App Currency/);

    // info and validate take the same folders: one entry per delivery, the skipped ones listed
    const info = cli(['info', '--format', 'json', day2]);
    assert.equal(info.code, 0, info.err);
    const entries = JSON.parse(info.out) as Record<string, unknown>[];
    const delivery = entries.find((e) => e.file === d3)!;
    assert.equal(delivery.format, 'parquet');
    assert.equal((delivery.parts as string[]).length, 3);
    assert.equal(delivery.rows, 600);
    assert.ok(entries.some((e) => e.file === junk && typeof e.skipped === 'string'));
    const v = cli(['validate', '--format', 'json', d3]);
    assert.equal(v.code, 0, v.out);
    assert.equal((v.json().counts as { error: number }).error, 0);
    const single = cli(['info', '--format', 'json', f1]).json();
    assert.equal(single.format, 'csv.gz');
    assert.deepEqual(single.parts, [f1]);
  });

  it('links to files are followed, a loop ends, a broken link is listed', async () => {
    const folder = path.join(dir, 'links');
    const outside = path.join(dir, 'outside');
    fs.mkdirSync(folder, { recursive: true });
    fs.mkdirSync(outside, { recursive: true });
    const a = generateExport({ version: 'v4', rows: 400, seed: 93, exportTime: E0 });
    const b = generateExport({ version: 'v4', rows: 500, seed: 94, exportTime: E0 + DAY });
    writeGz(folder, a.fileName, a.text);
    const target = writeGz(outside, b.fileName, b.text);
    fs.symlinkSync(target, path.join(folder, b.fileName));
    fs.symlinkSync(folder, path.join(folder, 'loop'));
    fs.symlinkSync(path.join(dir, 'nowhere.csv.gz'), path.join(folder, 'gone.csv.gz'));
    const r = cli(['measure', 'active-subscriptions', '--date', '2024-12-20', '--format', 'json', folder]);
    assert.equal(r.code, 0, r.err);
    const out = r.json();
    assert.deepEqual(out.files, [path.join(folder, a.fileName), path.join(folder, b.fileName)]);
    assert.equal((out.rows as number) + (out.superseded as number), 900, 'both files are read');
    const skipped = out.skipped as { path: string; reason: string }[];
    assert.deepEqual(
      skipped.map((s) => path.basename(s.path)),
      ['gone.csv.gz', 'loop'],
    );
    assert.match(skipped[0].reason, /link to nothing/);
    assert.match(skipped[1].reason, /already searched/);
  });

  it('a FIFO is refused with io when named, listed when met in a folder, and never blocks', function () {
    const folder = path.join(dir, 'fifo');
    fs.mkdirSync(folder, { recursive: true });
    const fifo = path.join(folder, 'transactions_1735689600.csv.gz');
    const made = spawnSync('mkfifo', [fifo]);
    if (made.status !== 0) this.skip(); // no mkfifo on this system
    const started = Date.now();
    const r = cli(['info', '--format', 'json', fifo], { timeout: 20_000 });
    assert.equal(r.code, 2, `exit ${r.code} after ${Date.now() - started} ms`);
    const err = r.json().error as { code: string; message: string };
    assert.equal(err.code, 'io');
    assert.match(err.message, /named pipe/);
    assert.doesNotMatch(r.err, /\n\s+at /);
    const a = generateExport({ version: 'v5', rows: 300, seed: 95 });
    writeGz(folder, 'transactions_1735600000.csv.gz', a.text);
    const m = cli(['measure', 'active-subscriptions', '--date', '2024-12-20', '--format', 'json', folder], {
      timeout: 20_000,
    });
    assert.equal(m.code, 0, m.err);
    const out = m.json();
    assert.equal(out.rows, 300);
    assert.deepEqual(out.skipped, [{ path: fifo, reason: 'a named pipe (FIFO), not a file' }]);
  });

  it('a folder or subfolder that cannot be read is an io error in the JSON, without a stack trace', function () {
    const root = process.getuid?.() === 0;
    const folder = path.join(dir, 'locked');
    const sub = path.join(folder, '2025-01-01');
    fs.mkdirSync(sub, { recursive: true });
    const a = generateExport({ version: 'v5', rows: 200, seed: 96 });
    writeGz(folder, a.fileName, a.text);
    writeGz(sub, a.fileName, a.text);
    for (const d of [dir, folder]) fs.chmodSync(d, 0o755);
    for (const f of fs.readdirSync(folder)) if (f.endsWith('.gz')) fs.chmodSync(path.join(folder, f), 0o644);
    fs.chmodSync(sub, 0o000);
    try {
      // root reads anything: the CLI runs as an unprivileged user, as a user would meet the folder
      const as: SpawnSyncOptions = root ? { uid: 65534, gid: 65534 } : {};
      const probe = spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(CLI)})`], as);
      if (probe.status !== 0) this.skip(); // the unprivileged user cannot read the build here
      for (const target of [folder, sub]) {
        const r = cli(['measure', 'mrr', '--date', '2024-12-20', '--format', 'json', target], as);
        assert.equal(r.code, 2, r.err);
        const out = r.json();
        assert.equal(out.file, sub);
        assert.deepEqual(Object.keys(out.error as object).sort(), ['code', 'message']);
        assert.equal((out.error as { code: string }).code, 'io');
        assert.match((out.error as { message: string }).message, /cannot be read: permission denied/);
        assert.doesNotMatch(r.err, /\n\s+at |EACCES.*at /);
        const info = cli(['validate', '--format', 'json', target], as);
        assert.equal(info.code, 2);
        assert.equal((info.json() as { error: { code: string } }).error.code, 'io');
      }
    } finally {
      fs.chmodSync(sub, 0o755);
    }
  });

  it('finds deliveries by content and layout, not by extension', async () => {
    const base = path.join(dir, 'content', '2025-03-01');
    fs.mkdirSync(base, { recursive: true });
    const a = generateExport({ version: 'v5', rows: 50, seed: 97 });
    // split parts with undocumented names in a dated folder: one delivery of that date
    writeGz(base, 'part-0.data', a.text);
    writeRaw(base, 'part-1', a.text);
    // a named delivery beside them is its own
    writeGz(base, 'transactions_1740787200.csv.gz', a.text);
    writeRaw(base, 'notes.csv', 'just,a,note\nwith no header of names\n'.replace('just,a,note', 'Just, A, Note'));
    const found = await findDeliveries([path.join(dir, 'content')]);
    assert.ok(found.ok);
    assert.deepEqual(
      found.deliveries.map((d) => [path.basename(d.path), d.parts.map((p) => path.basename(p)), d.format, d.date]),
      [
        ['transactions_1740787200.csv.gz', ['transactions_1740787200.csv.gz'], 'csv.gz', '2025-03-01'],
        ['2025-03-01', ['part-0.data', 'part-1'], 'csv.gz', '2025-03-01'],
      ],
    );
    assert.deepEqual(
      found.skipped.map((s) => path.basename(s.path)),
      ['notes.csv'],
    );
  });
});
