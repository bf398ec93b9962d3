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
import { LoadThreads, loadInWorker, type HeadLog } from '../../src/worker/loadClient';
import { readHeadSteps, STEP_MS, type StepLog } from '../../src/node/headSteps';
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
    assert.ok(head.table.textLength <= HEAD_TEXT + 64 * 1024, 'no more text than the limit');
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
    assert.ok(head.table.textLength <= HEAD_TEXT + 64 * 1024);
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

  it('read in steps on the asking thread are the same rows, typed the same, with their texts, and the thread gets its turns', async () => {
    const files = [
      writeGz(dir, 'steps.csv.gz', generateExport({ version: 'v5', rows: 5000, seed: 69, multiline: true }).text),
      writeGz(dir, 'steps-v4.csv.gz', generateExport({ version: 'v4', rows: 60, seed: 70 }).text),
      writeRaw(dir, 'steps.csv', generateExport({ version: 'v5', rows: 300, seed: 71, finalNewline: false }).text),
    ];
    for (const [file, template] of [...files.map((f) => [f, 'auto']), [files[1], 'v5']]) {
      const once = await readHead(file, template);
      assert.ok(once, file);
      // timers tick between the steps
      let turns = 0;
      const ticking = setInterval(() => turns++, 0);
      const log: StepLog = { steps: 0, longest: 0 };
      const stepped = await readHeadSteps(file, template, 120, () => false, log).finally(() => clearInterval(ticking));
      assert.ok(stepped, `${file} as ${template}`);
      const a = new ExportTable(once.table);
      const b = new ExportTable(stepped.first.table);
      assert.equal(stepped.first.info.version.id, once.info.version.id);
      assert.equal(stepped.first.info.templateSource, once.info.templateSource);
      assert.deepEqual(stepped.first.table.types, once.table.types);
      const n = Math.min(a.rowCount, b.rowCount);
      assert.ok(n >= Math.min(EARLY_ROWS, a.rowCount), `${n} rows`);
      for (let r = 0; r < n; r++) assert.deepEqual(b.row(r), a.row(r), `row ${r}`);
      assert.equal(stepped.texts.length, Math.min(120, b.rowCount));
      stepped.texts.forEach((t, r) => assert.deepEqual(t, a.row(r), `text of row ${r}`));
      assert.ok(log.steps >= 1 && log.longest > 0, JSON.stringify(log));
      if (log.steps > 1) assert.ok(turns > 0, 'timers ran between the steps');
    }
    const big = files[0];
    // a read stopped between steps gives nothing; so do what head.ts turns down
    let asked = 0;
    assert.equal(await readHeadSteps(big, 'auto', 100, () => ++asked > 0), null, 'stopped');
    assert.equal(await readHeadSteps(writeRaw(dir, 'steps-text.csv.gz', 'a,b\n1,2\n'), 'auto'), null);
    assert.equal(await readHeadSteps(`${dir}/missing.csv.gz`, 'auto'), null);
    const corrupt = Buffer.from(zlib.gzipSync(generateExport({ version: 'v5', rows: 30, seed: 72 }).text));
    corrupt.fill(0xff, 10, 40);
    assert.equal(await readHeadSteps(writeRaw(dir, 'steps-corrupt.csv.gz', corrupt), 'auto'), null);
    assert.ok(STEP_MS < 16, 'a step is well under a frame');
  });

  it('come from the loading thread kept ready, over shared memory, and the next load runs in that thread', async () => {
    const worker = path.join(__dirname, '..', '..', '..', 'dist', 'worker.js');
    const g = generateExport({ version: 'v5', rows: 3000, seed: 67 });
    const file = writeGz(dir, 'ready.csv.gz', g.text);
    const warm = writeGz(dir, 'warm.csv.gz', generateExport({ version: 'v5', rows: 300, seed: 68 }).text);
    let threads = new LoadThreads(worker, warm);
    try {
      const coldLog: HeadLog = { where: '', steps: 0, longest: 0 };
      const coldHead = await threads.head(file, 'auto', 50, coldLog);
      assert.ok(coldHead, 'with no thread ready yet, read here');
      assert.equal(coldLog.where, 'here');
      assert.equal(coldHead.texts.length, 50, 'the texts too');
      const cold = coldHead.first;
      // (the head above asked for a thread: a fresh set, to see it warm)
      threads.dispose();
      threads = new LoadThreads(worker, warm);
      assert.equal(await threads.ready(), true, 'the thread warms up');
      const warmLog: HeadLog = { where: '', steps: 0, longest: 0 };
      const warmHead = await threads.head(file, 'auto', 50, warmLog);
      assert.ok(warmHead, 'rows came back');
      assert.equal(warmLog.where, 'thread', 'from the warm thread');
      const head = warmHead.first;
      assert.ok(head.table.segments[0].buffer instanceof SharedArrayBuffer, 'shared, not copied');
      const first = new ExportTable(head.table);
      const all = await full(file);
      assert.ok(first.rowCount >= EARLY_ROWS && first.rowCount < all.rowCount, `${first.rowCount} rows`);
      for (let r = 0; r < first.rowCount; r++) assert.deepEqual(first.row(r), all.row(r), `row ${r}`);
      assert.equal(warmHead.texts.length, 50, 'the first rows as text, as many as asked');
      for (let r = 0; r < 50; r++) assert.deepEqual(warmHead.texts[r], all.row(r), `text of row ${r}`);
      const coldTable = new ExportTable(cold.table);
      assert.ok(coldTable.rowCount >= 50, `${coldTable.rowCount} rows read here, as many as the texts asked for`);
      const last = Math.min(coldTable.rowCount, first.rowCount) - 1;
      assert.deepEqual(coldTable.row(last), first.row(last));
      assert.deepEqual(coldHead.texts, warmHead.texts, 'the same texts from either');
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
