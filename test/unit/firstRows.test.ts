/** The loader hands out its first rows early (the editor paints them while the rest loads). */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { EARLY_ROWS, FIRST_ROWS, loadExport, type FirstRows } from '../../src/core/load/load';
import { ExportTable } from '../../src/core/load/table';
import { nodeGunzip } from '../../src/node/decodeNode';
import { loadInWorker } from '../../src/worker/loadClient';
import { generateExport } from '../gen/generator';
import { tempDir, writeGz } from '../support/files';

describe('first rows while loading', () => {
  const g = generateExport({ version: 'v5', rows: 6000, seed: 41, multiline: true });

  it('are announced twice (a screenful, then more), before the load ends, and read as the final table does', async () => {
    const seen: FirstRows[] = [];
    let chunksAfter = 0;
    async function* chunks() {
      for (let i = 0; i < g.text.length; i += 32_768) {
        if (seen.length) chunksAfter++;
        yield g.text.subarray(i, i + 32_768);
      }
    }
    const o = await loadExport(
      { name: 'x.csv', size: g.text.length, chunks: chunks() },
      { decompressor: nodeGunzip, onFirstRows: (f) => seen.push(f) },
    );
    assert.ok(o.ok);
    assert.equal(seen.length, 2);
    assert.ok(chunksAfter > 0, 'the first rows came while data was still arriving');
    const [early, first] = seen.map((f) => new ExportTable(f.table));
    const all = new ExportTable(o.value.table);
    assert.ok(early.rowCount >= EARLY_ROWS && early.rowCount < FIRST_ROWS, `${early.rowCount} rows first`);
    assert.ok(first.rowCount >= FIRST_ROWS && first.rowCount < all.rowCount);
    assert.equal(seen[0].info.version.id, 'v5');
    for (let r = 0; r < first.rowCount; r++) assert.deepEqual(first.row(r), all.row(r), `row ${r}`);
    for (let r = 0; r < early.rowCount; r++) assert.deepEqual(early.row(r), all.row(r), `row ${r}`);
  });

  it('leave as soon as their rows are in, also from one big chunk', async () => {
    // a decompressed chunk is a megabyte: the screenful must not wait for the rest of it
    const seen: number[] = [];
    let appended = 0;
    async function* big() {
      appended = g.text.length;
      yield g.text;
    }
    const o = await loadExport(
      { name: 'x.csv', size: g.text.length, chunks: big() },
      { decompressor: nodeGunzip, onFirstRows: (f) => seen.push(f.table.rowCount) },
    );
    assert.ok(o.ok && appended > 0);
    assert.equal(seen.length, 2);
    assert.ok(seen[0] >= EARLY_ROWS && seen[0] < EARLY_ROWS + 200, `the first snapshot has ${seen[0]} rows`);
    assert.ok(seen[1] >= FIRST_ROWS && seen[1] < FIRST_ROWS + 200, `the second has ${seen[1]} rows`);
  });

  it('are not announced for a file smaller than that', async () => {
    const small = generateExport({ version: 'v5', rows: EARLY_ROWS - 50, seed: 42 });
    async function* one() {
      yield small.text;
    }
    let called = false;
    const o = await loadExport(
      { name: 'x.csv', size: small.text.length, chunks: one() },
      { decompressor: nodeGunzip, onFirstRows: () => (called = true) },
    );
    assert.ok(o.ok);
    assert.equal(called, false);
  });

  it('come from the loading thread over shared memory', async () => {
    const file = writeGz(tempDir(), 'transactions_1735689600.csv.gz', g.text);
    let first: FirstRows | null = null;
    const o = await loadInWorker(file, {
      workerPath: path.join(__dirname, '..', '..', '..', 'dist', 'worker.js'),
      onFirstRows: (f) => (first = f),
    });
    assert.ok(o.ok && first);
    const f = first as FirstRows;
    assert.ok(f.table.segments[0].buffer instanceof SharedArrayBuffer);
    const t = new ExportTable(f.table);
    const all = new ExportTable(o.value.table);
    for (const r of [0, 1, t.rowCount - 1]) assert.deepEqual(t.row(r), all.row(r));
  });
});
