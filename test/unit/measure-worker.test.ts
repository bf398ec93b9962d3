import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ExportTable } from '../../src/core/load/table';
import { loadExportFile } from '../../src/node/loadFile';
import { MeasureSession } from '../../src/worker/measureClient';
import type { VersionId } from '../../src/core/catalog/templates';
import { generateExport, writeExport } from '../gen/generator';
import { tempDir, writeGz } from '../support/files';
import { columnsOf, readCsv } from '../support/rewrite';

const WORKER = path.join(__dirname, '..', '..', '..', 'dist', 'measureWorker.js');

/** Keys and values counted with JSON.parse over csv-parse's cells: the reference for the byte walker. */
function reference(text: Buffer, delimiter: ',' | ';') {
  const csv = readCsv(text, delimiter);
  const cell = columnsOf(csv);
  const keys = new Map<string, number>();
  const values = new Map<string, Map<string, number>>();
  for (const r of csv.rows) {
    const attrs = cell(r, 'custom_subscriber_attributes');
    if (attrs === null) continue;
    for (const [k, entry] of Object.entries(JSON.parse(attrs) as Record<string, { value: string }>)) {
      keys.set(k, (keys.get(k) ?? 0) + 1);
      if (!values.has(k)) values.set(k, new Map());
      values.get(k)!.set(entry.value, (values.get(k)!.get(entry.value) ?? 0) + 1);
    }
  }
  return { keys, values };
}

describe('measure worker sessions', function () {
  this.timeout(60_000);
  const dir = tempDir();
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const [version, delimiter] of [
    ['v2', ';'],
    ['v5', ','],
    ['v6', ';'],
  ] as [VersionId, ',' | ';'][]) {
    it(`${version}: attribute keys and values as JSON.parse counts them, from files and from an adopted table`, async () => {
      const g = generateExport({ version, rows: 3000, seed: 60, delimiter, multiline: true });
      const file = writeGz(dir, `${version}-${g.fileName}`, g.text);
      const ref = reference(g.text, delimiter);
      const loaded = await loadExportFile(file, { allocate: (n) => new SharedArrayBuffer(n), validate: false });
      assert.ok(loaded.ok);
      const sessions = [
        await MeasureSession.open([file], { workerPath: WORKER }),
        await MeasureSession.adopt(loaded.value.table, file, version, { workerPath: WORKER }),
      ];
      for (const o of sessions) {
        assert.ok(o.ok);
        const keys = await o.session.keys();
        assert.ok(keys.ok);
        assert.deepEqual(new Map(keys.value.map((k) => [k.key, k.rows])), ref.keys);
        for (const key of ['utm_campaign', 'referrer']) {
          const seen: Awaited<ReturnType<MeasureSession['values']>> = await o.session.values(key);
          assert.ok(seen.ok);
          assert.deepEqual(new Map(seen.value.map((v) => [v.value, v.rows])), ref.values.get(key));
        }
        const r = await o.session.measure('active-subscriptions', {});
        assert.ok(r.ok && typeof r.value.value === 'number');
        o.session.close();
      }
      assert.equal(new ExportTable(loaded.value.table).rowCount, 3000);
    });
  }

  it('aborting while it loads ends the worker and answers "cancelled"', async () => {
    const big = path.join(dir, 'transactions_1735689600.csv.gz');
    await writeExport(big, { version: 'v5', rows: 60_000, seed: 61 });
    const abort = new AbortController();
    const outcome = await MeasureSession.open([big], {
      workerPath: WORKER,
      signal: abort.signal,
      onProgress: () => abort.abort(),
    });
    assert.equal(outcome.ok, false);
    assert.equal(!outcome.ok && outcome.error.code, 'cancelled');
  });

  it('a request that does not fit the measure is told apart from files that cannot answer', async () => {
    const v1 = writeGz(dir, 'v1.csv.gz', generateExport({ version: 'v1', rows: 100, seed: 62 }).text);
    const o = await MeasureSession.open([v1], { workerPath: WORKER });
    assert.ok(o.ok);
    const bad = await o.session.measure('active-subscriptions', { date: '2025-02-31' });
    assert.ok(!bad.ok && bad.kind === 'request');
    const cannot = await o.session.measure('active-subscriptions-with-attribute', { key: 'a', value: 'b' });
    assert.ok(!cannot.ok && cannot.kind === 'data');
    o.session.close();
    const after = await o.session.measure('active-subscriptions', {});
    assert.ok(!after.ok && after.kind === 'cancelled');
  });
});
