/**
 * A Parquet delivery's row groups decoded on a second thread (src/worker/parquetWorker.ts, the
 * bundled dist/parquetWorker.js) while the loading thread indexes their rows: the table is the one
 * the loading thread builds alone (text, row starts, every vector bit for bit, dictionaries, key
 * codes, line shifts, unreadable cells, problems), and the one its CSV gives (vectors), with many
 * small row groups (more batches than the decoding thread may lend at once), typed and all-string
 * parts, with and without validation, the rows' text in batches or written in place into the
 * table's shared memory. A damaged column chunk fails the same way on either thread.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Loaded, LoadOutcome } from '../../src/core/load/load';
import type { TableData } from '../../src/core/load/table';
import type { ParquetGroupsElsewhere } from '../../src/node/parts';
import { loadExportFile, loadParts } from '../../src/node/loadFile';
import { spawn } from 'node:child_process';
import { cpuWatch } from '../../src/worker/cpuWatch';
import { parquetGroupsInWorker, secondCoreFree } from '../../src/worker/parquetClient';
import { generateExport } from '../gen/generator';
import { tempDir, writeGz } from '../support/files';
import { duckConnection, writeParquetDelivery } from '../support/parquet';

const WORKER = path.join(__dirname, '..', '..', '..', 'dist', 'parquetWorker.js');

function loaded(o: LoadOutcome, what: string): Loaded {
  if (!o.ok) assert.fail(`${what}: ${o.error.code}: ${o.error.message}`);
  return o.value;
}

function sameArray(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) assert.fail(`${what}, entry ${i}: ${a[i]} ≠ ${b[i]}`);
}

/** Two tables the same in every part the readers use. */
function assertSameTable(got: TableData, want: TableData, what: string): void {
  assert.deepEqual(got.header, want.header, `${what}: header`);
  assert.equal(got.rowCount, want.rowCount, `${what}: rows`);
  assert.ok(Buffer.from(got.segments[0]).equals(Buffer.from(want.segments[0])), `${what}: text`);
  sameArray(got.rowStarts, want.rowStarts, `${what}: row starts`);
  got.header.forEach((name, k) => {
    const a = got.vectors[k];
    const b = want.vectors[k];
    assert.equal(a?.kind, b?.kind, `${what}: ${name}'s vector`);
    if (!a || !b) return;
    sameArray(a.data, b.data, `${what}: ${name}`);
    assert.deepEqual(a.dict, b.dict, `${what}: ${name}'s dictionary`);
  });
  (want.textKeys ?? []).forEach((keys, k) => {
    const other = got.textKeys?.[k];
    assert.equal(other?.count, keys?.count, `${what}: ${got.header[k]}'s key count`);
    if (keys && other) sameArray(other.codes, keys.codes, `${what}: ${got.header[k]}'s key codes`);
  });
  assert.deepEqual(got.lineShifts, want.lineShifts, `${what}: line shifts`);
  assert.deepEqual(got.unreadable ?? {}, want.unreadable ?? {}, `${what}: unreadable cells`);
}

/** Vectors of the Parquet table against its CSV's (the CSV may quote where Parquet's text does not). */
function assertSameVectors(got: TableData, csv: TableData, what: string): void {
  got.header.forEach((name, k) => {
    const a = got.vectors[k];
    const b = csv.vectors[k];
    assert.equal(a?.kind, b?.kind, `${what}: ${name}'s vector`);
    if (a && b && a.kind !== 'span') sameArray(a.data, b.data, `${what}: ${name} against the CSV`);
  });
}

const problems = (l: Loaded) =>
  l.validation?.problems.map((p) => `${p.severity} ${p.rule} row ${p.row} ${p.column ?? ''} ${p.value ?? ''}`);

describe('Parquet: a second thread only when a second core is free', () => {
  it('one core, or other programs keeping a core busy: one thread', () => {
    assert.equal(secondCoreFree(1, 0), false);
    assert.equal(secondCoreFree(2, 1.6), false);
    assert.equal(secondCoreFree(2, 1), false);
    assert.equal(secondCoreFree(2, 0.4), true);
    assert.equal(parquetGroupsInWorker(WORKER, false), null);
  });

  it('the cores watched as the load starts see another program keeping one busy', async function () {
    this.timeout(20_000);
    const watch0 = cpuWatch();
    assert.ok(watch0, 'a machine of two cores or more, whose busy times can be read');
    // another process spinning on a core for the whole watch
    const busy = spawn(process.execPath, ['-e', 'for (;;);'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const watch = cpuWatch()!;
      const t0 = performance.now();
      assert.equal(await watch.secondCoreFree(), false);
      assert.ok(performance.now() - t0 >= 50, 'the watch lasts long enough to see the cores');
    } finally {
      busy.kill();
    }
  });
});

describe('Parquet: row groups decoded on a second thread give the table of one thread', function () {
  this.timeout(300_000);
  const dir = tempDir();
  let con!: DuckDBConnection;
  let close = () => {};
  let asked = 0;
  const inner = parquetGroupsInWorker(WORKER, true);
  // asked as the row groups start, and no core found free: the loading thread decodes them after all
  const here = parquetGroupsInWorker(WORKER, () => Promise.resolve(false))!;
  let inPlace = 0;
  const elsewhere: ParquetGroupsElsewhere = (parts, setup, room) => {
    asked++;
    if (setup.inPlace) inPlace++;
    return inner!(parts, setup, room);
  };
  const shared = (n: number) => new SharedArrayBuffer(n);
  before(async () => ({ con, close } = await duckConnection()));
  after(() => {
    close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('has a second thread to use on this machine', () => assert.ok(inner, 'availableParallelism() < 2'));

  for (const version of ['v3', 'v5', 'v7'] as const) {
    it(`${version}: many small row groups, typed and all-string, validated or not`, async () => {
      const g = generateExport({ version, rows: 6000, seed: 90 + Number(version.slice(1)) });
      const csv = writeGz(dir, `${version}-${g.fileName}`, g.text);
      for (const typed of [true, false]) {
        const folder = path.join(dir, version, typed ? 'typed' : 'strings', 'transactions_1735689600');
        // 60 rows a group: 100 row groups, one batch each, more than the decoding thread lends at once
        const files = await writeParquetDelivery(con, { csv, dir: folder, parts: 3, typed, rowGroup: 60 });
        for (const validate of [false, true]) {
          const what = `${version} ${typed ? 'typed' : 'all-string'}${validate ? ', validated' : ''}`;
          const want = loaded(
            await loadParts(folder, files, { validate, maxPerRule: Infinity }),
            `${what}, one thread`,
          );
          const text = loaded(await loadExportFile(csv, { validate, maxPerRule: Infinity }), `${what}, csv`);
          // the rows' text in batches, or written in place into the table's shared memory
          for (const allocate of [undefined, shared]) {
            const how = `${what}, two threads${allocate ? ', shared memory' : ''}`;
            const alone = loaded(
              await loadParts(folder, files, { validate, maxPerRule: Infinity, parquetGroups: here, allocate }),
              `${what}, no core free after all`,
            );
            assertSameTable(alone.table, want.table, `${how}, no core free after all`);
            const before = { asked, inPlace };
            const got = loaded(
              await loadParts(folder, files, { validate, maxPerRule: Infinity, parquetGroups: elsewhere, allocate }),
              how,
            );
            assert.equal(asked, before.asked + 1, `${how}: the second thread was asked`);
            assert.equal(inPlace, before.inPlace + (allocate ? 1 : 0), `${how}: rows written in place`);
            assertSameTable(got.table, want.table, how);
            assert.deepEqual(problems(got), problems(want), `${how}: problems`);
            assert.deepEqual(got.validation?.counts, want.validation?.counts, `${how}: problem counts`);
            assertSameVectors(got.table, text.table, how);
          }
        }
      }
    });
  }

  it('a damaged column chunk fails as it does on one thread, and the first rows come before the end', async () => {
    const g = generateExport({ version: 'v4', rows: 3000, seed: 5 });
    const csv = writeGz(dir, `damaged-${g.fileName}`, g.text);
    const folder = path.join(dir, 'damaged', 'transactions_1735689600');
    const files = await writeParquetDelivery(con, { csv, dir: folder, parts: 2, typed: true, rowGroup: 500 });
    let firstRows = 0;
    const whole = loaded(
      await loadParts(folder, files, {
        parquetGroups: elsewhere,
        allocate: shared,
        onFirstRows: (f) => (firstRows = f.table.rowCount),
      }),
      'whole',
    );
    assert.ok(firstRows > 0 && firstRows < whole.table.rowCount, `first rows: ${firstRows}`);
    // the second part's middle overwritten: its footer still reads, a column chunk does not
    const bytes = fs.readFileSync(files[1]);
    bytes.fill(0x55, Math.floor(bytes.length * 0.3), Math.floor(bytes.length * 0.6));
    fs.writeFileSync(files[1], bytes);
    const one = await loadParts(folder, files, {});
    for (const allocate of [undefined, shared]) {
      const two = await loadParts(folder, files, { parquetGroups: elsewhere, allocate });
      assert.ok(!one.ok && !two.ok);
      assert.equal(two.error.code, 'parquet-corrupt');
      assert.deepEqual(two.error, one.error);
    }
  });
});
