/** The loader hands out its first rows early (the editor paints them while the rest loads). */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { FIRST_ROWS, loadExport, type FirstRows } from '../../src/core/load';
import { ExportTable } from '../../src/core/table';
import { nodeGunzip } from '../../src/node/decodeNode';
import { loadInWorker } from '../../src/worker/client';
import { generateExport } from '../gen/generator';
import { tempDir, writeGz } from '../support/files';

describe('first rows while loading', () => {
  const g = generateExport({ version: 'v5', rows: 6000, seed: 41, multiline: true });

  it('are announced once, before the load ends, and read as the final table does', async () => {
    const seen: FirstRows[] = [];
    let chunksAfter = 0;
    async function* chunks() {
      for (let i = 0; i < g.text.length; i += 32_768) {
        if (seen.length) chunksAfter++;
        yield g.text.subarray(i, i + 32_768);
      }
    }
    const o = await loadExport({ name: 'x.csv', size: g.text.length, chunks: chunks() }, { decompressor: nodeGunzip, onFirstRows: (f) => seen.push(f) });
    assert.ok(o.ok);
    assert.equal(seen.length, 1);
    assert.ok(chunksAfter > 0, 'the first rows came while data was still arriving');
    const first = new ExportTable(seen[0].table);
    const all = new ExportTable(o.value.table);
    assert.ok(first.rowCount >= FIRST_ROWS && first.rowCount < all.rowCount);
    assert.equal(seen[0].info.version.id, 'v5');
    for (let r = 0; r < first.rowCount; r++) assert.deepEqual(first.row(r), all.row(r), `row ${r}`);
  });

  it('are not announced for a file smaller than that', async () => {
    const small = generateExport({ version: 'v5', rows: 200, seed: 42 });
    async function* one() {
      yield small.text;
    }
    let called = false;
    const o = await loadExport({ name: 'x.csv', size: small.text.length, chunks: one() }, { decompressor: nodeGunzip, onFirstRows: () => (called = true) });
    assert.ok(o.ok);
    assert.equal(called, false);
  });

  it('come from the loading thread over shared memory', async () => {
    const file = writeGz(tempDir(), 'transactions_1735689600.csv.gz', g.text);
    let first: FirstRows | null = null;
    const o = await loadInWorker(file, { workerPath: path.join(__dirname, '..', '..', '..', 'dist', 'worker.js'), onFirstRows: (f) => (first = f) });
    assert.ok(o.ok && first);
    const f = first as FirstRows;
    assert.ok(f.table.bytes.buffer instanceof SharedArrayBuffer);
    const t = new ExportTable(f.table);
    const all = new ExportTable(o.value.table);
    for (const r of [0, 1, t.rowCount - 1]) assert.deepEqual(t.row(r), all.row(r));
  });
});
