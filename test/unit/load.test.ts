import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { fflateGunzip } from '../../src/core/load/decode';
import { ExportTable } from '../../src/core/load/table';
import { nodeGunzip } from '../../src/node/decodeNode';
import { loadExportFile } from '../../src/node/loadFile';
import { loadInWorker } from '../../src/worker/loadClient';
import { templateVersion } from '../../src/core/catalog/templates';
import { generateExport } from '../gen/generator';
import { tempDir, writeGz, writeRaw } from '../support/files';

const WORKER = path.join(__dirname, '..', '..', '..', 'dist', 'worker.js');
const header = templateVersion('v5')
  .columns.map((c) => c.name)
  .join(',');

async function collect(it: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of it) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

async function* chunksOf(b: Uint8Array, size: number): AsyncIterable<Uint8Array> {
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

async function failure(file: string, options: Parameters<typeof loadExportFile>[1] = {}) {
  const o = await loadExportFile(file, options);
  assert.equal(o.ok, false, `expected ${file} to fail`);
  return (o as { ok: false; error: { code: string; message: string } }).error;
}

describe('loader', () => {
  const dir = tempDir();
  const sample = generateExport({ version: 'v5', rows: 3000, seed: 7 });
  const samplePath = writeGz(dir, 'transactions_1735689600.csv.gz', sample.text);
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('node:zlib and fflate yield the same bytes, also for multi-member gzip', async () => {
    const gz = Buffer.concat([
      zlib.gzipSync(sample.text.subarray(0, 10000)),
      zlib.gzipSync(sample.text.subarray(10000)),
    ]);
    const a = await collect(nodeGunzip(chunksOf(gz, 4096)));
    const b = await collect(fflateGunzip(chunksOf(gz, 777)));
    assert.equal(a.length, sample.text.length);
    assert.ok(a.equals(sample.text));
    assert.ok(b.equals(sample.text));
  });

  it('both decompressors report a truncated stream as gzip-truncated', async () => {
    const gz = zlib.gzipSync(sample.text);
    const cut = gz.subarray(0, gz.length >> 1);
    for (const d of [nodeGunzip, fflateGunzip]) {
      await assert.rejects(collect(d(chunksOf(cut, 8192))), (e: { code: string }) => e.code === 'gzip-truncated');
    }
  });

  it('loads a generated export: rows, header, cells and typed vectors', async () => {
    const o = await loadExportFile(samplePath);
    assert.ok(o.ok);
    const t = new ExportTable(o.value.table);
    assert.equal(t.rowCount, 3000);
    assert.equal(o.value.info.version.id, 'v5');
    assert.deepEqual(t.header, header.split(','));
    const lines = sample.text.toString('utf8').split('\n');
    // rows without quoted newlines: the first field of row r is the start of line r + 2
    assert.ok(lines[1].startsWith(t.cell(0, 0)!));
    const start = t.vector('start_time')!;
    assert.equal(start.kind, 'time');
    assert.equal(
      (start.data as Float64Array)[0],
      Date.parse(`${t.cell(0, t.columnIndex('start_time'))!.replace(' ', 'T')}Z`),
    );
    const store = t.vector('store')!;
    assert.equal(store.kind, 'dict');
    assert.equal(store.dict![store.data[5]], t.cell(5, t.columnIndex('store')));
    assert.equal(o.value.validation!.counts.error, 0);
  });

  it('loads in a worker into shared memory, with progress, the same as in-process', async () => {
    const progress: number[] = [];
    const w = await loadInWorker(samplePath, { workerPath: WORKER, onProgress: (p) => progress.push(p.rows) });
    const o = await loadExportFile(samplePath);
    assert.ok(w.ok && o.ok);
    assert.ok(w.value.table.segments[0].buffer instanceof SharedArrayBuffer);
    assert.equal(w.value.table.rowCount, o.value.table.rowCount);
    assert.ok(Buffer.from(w.value.table.segments[0]).equals(Buffer.from(o.value.table.segments[0])));
    assert.deepEqual(w.value.validation!.counts, o.value.validation!.counts);
    const wt = new ExportTable(w.value.table);
    const ot = new ExportTable(o.value.table);
    assert.deepEqual(wt.row(2999), ot.row(2999));
    assert.ok(progress.length >= 1 && progress[progress.length - 1] === 3000);
  });

  it('finds the same problems when the deep rules run in their own thread', async () => {
    const g = generateExport({
      version: 'v5',
      rows: 40000,
      seed: 12,
      inject: ['json-error', 'attribute-shape', 'array-encoding', 'duplicate-transaction', 'type-error'],
    });
    const file = writeGz(dir, 'deep.csv.gz', g.text);
    const w = await loadInWorker(file, { workerPath: WORKER, maxPerRule: 1e9 });
    const o = await loadExportFile(file, { maxPerRule: Infinity });
    assert.ok(w.ok && o.ok);
    const key = (p: { rule: string; row: number | null; column: string | null; message: string }) =>
      `${p.rule}|${p.row}|${p.column}|${p.message}`;
    assert.deepEqual(w.value.validation!.problems.map(key).sort(), o.value.validation!.problems.map(key).sort());
    for (const rule of ['json-error', 'attribute-shape', 'array-encoding', 'duplicate-transaction']) {
      assert.ok(
        w.value.validation!.problems.some((p) => p.rule === rule),
        rule,
      );
    }
  });

  it('keeps the same first problems of a rule found in both threads as one thread would', async () => {
    // swapped names: first_seen_time (checked in the deep thread) holds prices and price_in_usd
    // (checked while loading) holds times, so both threads find type errors on most rows
    const lines = generateExport({ version: 'v5', rows: 4000, seed: 31 }).text.toString('utf8').split('\n');
    lines[0] = lines[0]
      .replace('price_in_usd,', 'TMP,')
      .replace('first_seen_time', 'price_in_usd')
      .replace('TMP,', 'first_seen_time,');
    const file = writeGz(dir, 'swapped.csv.gz', Buffer.from(lines.join('\n')));
    const w = await loadInWorker(file, { workerPath: WORKER, maxPerRule: 7 });
    const o = await loadExportFile(file, { maxPerRule: 7 });
    assert.ok(w.ok && o.ok);
    const typeErrors = o.value.validation!.problems.filter((p) => p.rule === 'type-error');
    assert.deepEqual(new Set(typeErrors.map((p) => p.column)), new Set(['first_seen_time', 'price_in_usd']));
    assert.equal(typeErrors.length, 7);
    assert.deepEqual(w.value.validation!.problems, o.value.validation!.problems);
    const tally = (v: typeof o.value.validation) =>
      [...v!.tallies].sort((a, b) => `${a.rule}${a.column}`.localeCompare(`${b.rule}${b.column}`));
    assert.deepEqual(tally(w.value.validation), tally(o.value.validation));
  });

  it('cancels a worker load through an AbortSignal', async () => {
    const abort = new AbortController();
    abort.abort();
    const w = await loadInWorker(samplePath, { workerPath: WORKER, signal: abort.signal });
    assert.equal(w.ok, false);
    assert.equal((w as { ok: false; error: { code: string } }).error.code, 'cancelled');
    const later = new AbortController();
    const pending = loadInWorker(samplePath, { workerPath: WORKER, signal: later.signal });
    later.abort();
    const r = await pending;
    assert.equal(r.ok, false);
  });

  describe('bad input gets a specific error and nothing else breaks', () => {
    it('truncated gzip', async () => {
      const gz = zlib.gzipSync(sample.text);
      const e = await failure(writeRaw(dir, 'truncated.csv.gz', gz.subarray(0, gz.length - 5000)));
      assert.equal(e.code, 'gzip-truncated');
      assert.match(e.message, /cut off/);
    });

    it('corrupt gzip (damaged checksum, damaged deflate data)', async () => {
      const gz = Buffer.from(zlib.gzipSync(sample.text));
      const crc = Buffer.from(gz);
      crc[crc.length - 6] ^= 0xff;
      assert.equal((await failure(writeRaw(dir, 'crc.csv.gz', crc))).code, 'gzip-corrupt');
      const data = Buffer.from(gz);
      for (let i = 40; i < 400; i++) data[i] = (i * 37) & 0xff;
      const e = await failure(writeRaw(dir, 'data.csv.gz', data));
      assert.ok(e.code === 'gzip-corrupt' || e.code === 'gzip-truncated', e.code);
      assert.match(e.message, /gzip/);
    });

    it('a plain-text file named .csv.gz', async () => {
      const e = await failure(writeRaw(dir, 'plain.csv.gz', sample.text));
      assert.equal(e.code, 'not-gzip');
      assert.match(e.message, /not gzip-compressed/);
    });

    it('an empty file, and a gzip of nothing', async () => {
      assert.equal((await failure(writeRaw(dir, 'empty.csv.gz', ''))).code, 'empty');
      assert.equal((await failure(writeGz(dir, 'nothing.csv.gz', ''))).code, 'empty');
    });

    it('binary garbage, named .csv.gz or .csv', async () => {
      const junk = Buffer.alloc(5000);
      for (let i = 0; i < junk.length; i++) junk[i] = (i * 131 + 7) & 0xff;
      assert.equal((await failure(writeRaw(dir, 'junk.csv.gz', junk))).code, 'binary');
      assert.equal((await failure(writeRaw(dir, 'junk.csv', junk))).code, 'binary');
      assert.equal((await failure(writeGz(dir, 'junk2.csv.gz', junk))).code, 'binary');
    });

    it('a CSV that is not an export', async () => {
      const e = await failure(writeGz(dir, 'people.csv.gz', 'name,age\nbob,3\n'));
      assert.equal(e.code, 'not-an-export');
      assert.match(e.message, /name,age/);
    });

    it('a header-only file loads with a no-rows warning', async () => {
      const o = await loadExportFile(writeGz(dir, 'header.csv.gz', `${header}\n`));
      assert.ok(o.ok);
      assert.equal(o.value.table.rowCount, 0);
      assert.deepEqual(
        o.value.validation!.problems.map((p) => p.rule),
        ['no-rows'],
      );
      assert.equal(o.value.validation!.counts.error, 0);
    });

    it('an unterminated quote at the end is an unterminated-quote error on its row', async () => {
      const text = `${sample.text.toString('utf8').split('\n').slice(0, 11).join('\n')}\nu,u,"GB\n`;
      const o = await loadExportFile(writeGz(dir, 'open-quote.csv.gz', text));
      assert.ok(o.ok);
      assert.equal(o.value.table.rowCount, 11);
      const p = o.value.validation!.problems.find((x) => x.rule === 'unterminated-quote');
      assert.ok(p, 'unterminated-quote reported');
      assert.equal(p.row, 11);
      assert.equal(p.line, 12);
    });

    it('a zip bomb stops at the decompression limit', async () => {
      const row = sample.text.toString('utf8').split('\n')[1];
      const body = Buffer.from(`${row}\n`.repeat(Math.ceil((40 * 2 ** 20) / (row.length + 1))));
      const file = writeGz(dir, 'bomb.csv.gz', Buffer.concat([Buffer.from(`${header}\n`), body]));
      assert.ok(fs.statSync(file).size < 2 ** 20, 'the bomb is small on disk');
      const e = await failure(file, { maxBytes: 8 * 2 ** 20 });
      assert.equal(e.code, 'too-large');
      assert.match(e.message, /8\.0 MiB/);
    });

    it('a missing file and a folder', async () => {
      assert.equal((await failure(path.join(dir, 'nope.csv.gz'))).code, 'io');
      assert.match((await failure(dir)).message, /folder/);
    });

    it('never writes to the user file', async () => {
      const before = fs.statSync(samplePath);
      const bytes = fs.readFileSync(samplePath);
      await loadExportFile(samplePath);
      await loadInWorker(samplePath, { workerPath: WORKER });
      assert.equal(fs.statSync(samplePath).mtimeMs, before.mtimeMs);
      assert.ok(fs.readFileSync(samplePath).equals(bytes));
    });
  });
});
