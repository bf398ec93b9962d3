/**
 * Measure workers over a table the editor has loaded (src/host/measures/adoptedTables.ts): every
 * source over the same table shares one worker, asks it in turn (several questions at once from
 * several sources all get their answers), and gets what a worker that read the file itself says.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { adoptTable } from '../../src/host/measures/adoptedTables';
import { loadExportFile } from '../../src/node/loadFile';
import { MeasureSession } from '../../src/worker/measureClient';
import { generateExport } from '../gen/generator';
import { tempDir, writeGz } from '../support/files';

const WORKER = path.join(__dirname, '..', '..', '..', 'dist', 'measureWorker.js');

describe('adopted tables: one measure worker per loaded table, shared in turn', function () {
  this.timeout(60_000);
  const dir = tempDir();
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A generated export loaded in shared memory, as the editor's load worker leaves it. */
  async function loadedExport(rows: number, seed: number) {
    const g = generateExport({ version: 'v5', rows, seed });
    const file = writeGz(dir, g.fileName, g.text);
    const loaded = await loadExportFile(file, { allocate: (n) => new SharedArrayBuffer(n), validate: false });
    assert.ok(loaded.ok);
    return { file, table: loaded.value.table };
  }

  it('two sources share the worker; questions asked at once through both get the answers of a worker that read the file', async () => {
    const { file, table } = await loadedExport(3000, 1690);
    const a = adoptTable(table, file, 'v5', WORKER);
    const b = adoptTable(table, file, 'v5', WORKER);
    assert.equal(a.identity, b.identity, 'one worker for the table');
    const own = await MeasureSession.open([file], { workerPath: WORKER });
    assert.ok(own.ok);
    try {
      const o = await a.outcome;
      assert.ok(o.ok);
      assert.deepEqual(o.info.exportDate, own.info.exportDate);
      assert.equal(o.info.firstDay, own.info.firstDay);
      const range = { from: '2024-10-01', to: '2024-12-31', resolution: 'week' };
      const names = ['active-subscriptions', 'mrr', 'active-subscriptions-movement', 'revenue'] as const;
      // all at once, through both leases
      const answers = await Promise.all(names.map((name, i) => (i % 2 ? b : a).inTurn((s) => s.measure(name, range))));
      for (const [i, name] of names.entries()) {
        const mine = answers[i];
        const theirs = await own.session.measure(name, range);
        assert.ok(mine.ok && theirs.ok, name);
        assert.deepEqual(mine.value.value, theirs.value.value, name);
      }
      const point = { period: '2024-12-23' };
      const [rows, keys] = await Promise.all([
        a.inTurn((s) => s.rows('active-subscriptions', range, point)),
        b.inTurn((s) => s.keys()),
      ]);
      const ownRows = await own.session.rows('active-subscriptions', range, point);
      assert.ok(rows.ok && ownRows.ok && keys.ok);
      assert.deepEqual([...rows.value.files[0].rows], [...ownRows.value.files[0].rows]);
      assert.ok(rows.value.count > 0, 'rows behind the value');
      assert.ok(keys.value.length > 0, 'attribute keys');
      // let go by both: kept for the next source over the same table
      a.release();
      b.release();
      const c = adoptTable(table, file, 'v5', WORKER);
      assert.equal(c.identity, a.identity, 'the same worker, warm');
      c.release();
    } finally {
      own.session.close();
      const o = await a.outcome;
      if (o.ok) o.session.close();
    }
  });

  it('a lease abandoned before the merge is done ends the worker at once, unless another lease holds it', async () => {
    const { file, table } = await loadedExport(2000, 1691);
    // held by another lease: abandoning one changes nothing
    const a = adoptTable(table, file, 'v5', WORKER);
    const b = adoptTable(table, file, 'v5', WORKER);
    a.release(true);
    const kept = await b.outcome;
    assert.ok(kept.ok, 'the other lease still gets its worker');
    const answer = await b.inTurn((s) => s.measure('active-subscriptions', {}));
    assert.ok(answer.ok);
    kept.session.close();
    b.release();
    // the only lease, abandoned while the worker starts: it is ended, and the next lease starts another
    const other = table.segments[0].slice();
    const fresh = { ...table, segments: [other] };
    const c = adoptTable(fresh, file, 'v5', WORKER);
    c.release(true);
    const ended = await c.outcome;
    assert.ok(!ended.ok, 'abandoned before it was ready');
    assert.equal(ended.error.code, 'cancelled');
    const d = adoptTable(fresh, file, 'v5', WORKER);
    assert.notEqual(d.identity, c.identity, 'a new worker');
    const again = await d.outcome;
    assert.ok(again.ok);
    const same = await d.inTurn((s) => s.measure('active-subscriptions', {}));
    assert.ok(same.ok);
    assert.equal(same.value.value, answer.value.value, 'the same count from the new worker');
    again.session.close();
    d.release();
  });
});
