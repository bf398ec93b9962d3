/** The first rows read on the spot (src/node/head.ts) for the export editor's page, from real gzip files. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { EARLY_ROWS } from '../../src/core/load/load';
import { ExportTable } from '../../src/core/load/table';
import { templateVersion } from '../../src/core/catalog/templates';
import { HEAD_BYTES, HEAD_TEXT, readHead } from '../../src/node/head';
import * as path from 'node:path';
import { loadExportFile } from '../../src/node/loadFile';
import { LoadThreads, loadInWorker } from '../../src/worker/loadClient';
import { generateExport } from '../gen/generator';
import { tempDir, writeGz, writeRaw } from '../support/files';

describe('first rows read on the spot', () => {
  const dir = tempDir();
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** The whole file's table, loaded the usual way. */
  async function full(file: string, template = 'auto'): Promise<ExportTable> {
    const o = await loadExportFile(file, { template, validate: false });
    assert.ok(o.ok, 'the full load succeeds');
    return new ExportTable(o.value.table);
  }

  it("are the full load's first rows, typed the same, a screenful or more, from the start of a large file only", async () => {
    const g = generateExport({ version: 'v5', rows: 20_000, seed: 61, multiline: true });
    const file = writeGz(dir, 'big.csv.gz', g.text);
    assert.ok(fs.statSync(file).size > 4 * HEAD_BYTES, 'the file is much larger than what is read');
    const head = await readHead(file, 'auto');
    assert.ok(head, 'rows came back');
    const first = new ExportTable(head.table);
    const all = await full(file);
    assert.ok(first.rowCount >= EARLY_ROWS && first.rowCount < all.rowCount, `${first.rowCount} rows`);
    assert.equal(head.info.version.id, 'v5');
    assert.equal(head.info.templateSource, 'detected');
    assert.deepEqual(
      head.table.types,
      await loadExportFile(file, { validate: false }).then((o) => (o.ok ? o.value.table.types : null)),
    );
    for (let r = 0; r < first.rowCount; r++) assert.deepEqual(first.row(r), all.row(r), `row ${r}`);
    assert.ok(head.table.bytes.length <= HEAD_TEXT + 64 * 1024, 'no more text than the limit');
  });

  it('follow the chosen template version, like the load they stand in for', async () => {
    const file = writeGz(dir, 'v4.csv.gz', generateExport({ version: 'v4', rows: 50, seed: 62 }).text);
    const head = await readHead(file, 'v5');
    assert.ok(head);
    assert.equal(head.info.version.id, 'v5');
    assert.equal(head.info.templateSource, 'option');
    const first = new ExportTable(head.table);
    const all = await full(file, 'v5');
    assert.equal(first.rowCount, 50, 'a small file: every row, the last one too');
    for (let r = 0; r < first.rowCount; r++) assert.deepEqual(first.row(r), all.row(r), `row ${r}`);
  });

  it('leave out a last row that the head cuts in two, and read plain CSV too', async () => {
    const text = generateExport({ version: 'v5', rows: 40, seed: 63, finalNewline: false }).text;
    const csv = writeRaw(dir, 'plain.csv', text);
    const head = await readHead(csv, 'auto');
    assert.ok(head);
    // without a final newline the last record may go on: it is not final until the file ends
    assert.equal(new ExportTable(head.table).rowCount, 39);
  });

  it('stop at the limit on a zip bomb, and give nothing for what is not an export', async () => {
    const header = templateVersion('v5')
      .columns.map((c) => c.name)
      .join(',');
    const row = generateExport({ version: 'v5', rows: 1, seed: 64 }).text.toString('utf8').split('\n')[1];
    // one row repeated: a few kilobytes of gzip that would inflate to hundreds of megabytes
    const bomb = writeGz(dir, 'bomb.csv.gz', `${header}\n${`${row}\n`.repeat(400_000)}`);
    const head = await readHead(bomb, 'auto');
    assert.ok(head, 'the rows before the limit');
    assert.ok(head.table.bytes.length <= HEAD_TEXT + 64 * 1024);
    assert.ok(new ExportTable(head.table).rowCount >= EARLY_ROWS);
    assert.equal(
      await readHead(writeGz(dir, 'zeros.csv.gz', Buffer.alloc(50 << 20)), 'auto'),
      null,
      'zeros: not an export',
    );
  });

  it('give null for broken, empty, missing and mislabelled files (the full load says why)', async () => {
    const gz = zlib.gzipSync(generateExport({ version: 'v5', rows: 30, seed: 65 }).text);
    const corrupt = Buffer.from(gz);
    corrupt.fill(0xff, 10, 40); // the deflate stream's start overwritten
    assert.equal(await readHead(writeRaw(dir, 'corrupt.csv.gz', corrupt), 'auto'), null);
    assert.equal(await readHead(writeRaw(dir, 'empty.csv.gz', ''), 'auto'), null);
    assert.equal(await readHead(`${dir}/missing.csv.gz`, 'auto'), null);
    assert.equal(
      await readHead(writeRaw(dir, 'text.csv.gz', 'a,b\n1,2\n'), 'auto'),
      null,
      'named .gz, holds plain text',
    );
    assert.equal(
      await readHead(writeGz(dir, 'other.csv.gz', 'name,age\nann,3\nbob,4\n'), 'auto'),
      null,
      'a CSV that is not an export',
    );
  });

  it('never write to the file', async () => {
    const file = writeGz(dir, 'kept.csv.gz', generateExport({ version: 'v5', rows: 10, seed: 66 }).text);
    fs.chmodSync(file, 0o444);
    const before = fs.readFileSync(file);
    assert.ok(await readHead(file, 'auto'));
    assert.deepEqual(fs.readFileSync(file), before);
  });

  it('come from the loading thread kept ready, over shared memory, and the next load runs in that thread', async () => {
    const worker = path.join(__dirname, '..', '..', '..', 'dist', 'worker.js');
    const g = generateExport({ version: 'v5', rows: 3000, seed: 67 });
    const file = writeGz(dir, 'ready.csv.gz', g.text);
    const warm = writeGz(dir, 'warm.csv.gz', generateExport({ version: 'v5', rows: 300, seed: 68 }).text);
    let threads = new LoadThreads(worker, warm);
    try {
      const coldHead = await threads.head(file, 'auto', 50);
      assert.ok(coldHead, 'with no thread ready yet, read here');
      assert.equal(coldHead.texts.length, 0);
      const cold = coldHead.first;
      // (the head above asked for a thread: a fresh set, to see it warm)
      threads.dispose();
      threads = new LoadThreads(worker, warm);
      assert.equal(await threads.ready(), true, 'the thread warms up');
      const warmHead = await threads.head(file, 'auto', 50);
      assert.ok(warmHead, 'rows came back');
      const head = warmHead.first;
      assert.ok(head.table.bytes.buffer instanceof SharedArrayBuffer, 'shared, not copied');
      const first = new ExportTable(head.table);
      const all = await full(file);
      assert.ok(first.rowCount >= EARLY_ROWS && first.rowCount < all.rowCount, `${first.rowCount} rows`);
      for (let r = 0; r < first.rowCount; r++) assert.deepEqual(first.row(r), all.row(r), `row ${r}`);
      assert.equal(warmHead.texts.length, 50, 'the first rows as text, as many as asked');
      for (let r = 0; r < 50; r++) assert.deepEqual(warmHead.texts[r], all.row(r), `text of row ${r}`);
      assert.deepEqual(new ExportTable(cold.table).row(first.rowCount - 1), first.row(first.rowCount - 1));
      assert.equal(await threads.head(path.join(dir, 'missing.csv.gz'), 'auto'), null);
      const taken = threads.take();
      assert.ok(taken, 'the thread that read the head is handed over');
      const o = await loadInWorker(file, { workerPath: worker, worker: taken, validate: false });
      assert.ok(o.ok);
      assert.equal(o.value.table.rowCount, all.rowCount);
    } finally {
      threads.dispose();
    }
    assert.equal(await threads.head(file, 'auto'), null, 'none once disposed');
  });
});
