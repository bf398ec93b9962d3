import assert from 'node:assert/strict';
import { loadExport } from '../../src/core/load/load';
import { sortRows } from '../../src/core/view/sort';
import { ExportTable } from '../../src/core/load/table';
import { nodeGunzip } from '../../src/node/decodeNode';
import * as path from 'node:path';
import { loadInWorker } from '../../src/worker/loadClient';
import { ViewThread } from '../../src/worker/viewClient';
import { generateExport } from '../gen/generator';
import { tempDir, writeGz } from '../support/files';
import { plainOrder } from '../support/sortOracle';

async function table(): Promise<ExportTable> {
  const g = generateExport({ version: 'v5', rows: 3000, seed: 21 });
  async function* one() {
    yield g.text;
  }
  const o = await loadExport({ name: 'x.csv', size: g.text.length, chunks: one() }, { decompressor: nodeGunzip });
  assert.ok(o.ok);
  return new ExportTable(o.value.table);
}

describe('sorting rows by a column', () => {
  let t: ExportTable;
  before(async () => {
    t = await table();
  });

  for (const [name, parse] of [
    ['price_in_usd', Number],
    ['start_time', (s: string) => Date.parse(`${s.replace(' ', 'T')}Z`)],
    ['store', (s: string) => s],
    ['rc_original_app_user_id', (s: string) => s],
    ['is_trial_period', (s: string) => (s === 'true' ? 1 : 0)],
    ['renewal_number', Number],
  ] as const) {
    for (const descending of [false, true]) {
      it(`${name} ${descending ? 'descending' : 'ascending'} (typed, NULL last)`, () => {
        const col = t.columnIndex(name);
        assert.deepEqual(
          [...sortRows(t, col, descending)],
          plainOrder(t, col, descending, parse as (s: string) => number | string),
        );
      });
    }
  }

  it('sorts in a worker thread over the shared table, with the same order', async () => {
    const dist = path.join(__dirname, '..', '..', '..', 'dist');
    const file = writeGz(
      tempDir(),
      'transactions_1735689600.csv.gz',
      generateExport({ version: 'v4', rows: 5000, seed: 8 }).text,
    );
    const o = await loadInWorker(file, { workerPath: path.join(dist, 'worker.js') });
    assert.ok(o.ok);
    const shared = new ExportTable(o.value.table);
    const thread = new ViewThread(o.value.table, path.join(dist, 'viewWorker.js'));
    try {
      for (const name of ['price_in_usd', 'store', 'store_transaction_id']) {
        const col = shared.columnIndex(name);
        const r = await thread.view({ filters: [], search: '', sort: { column: col, descending: true } });
        assert.ok(r.ok && r.order);
        assert.deepEqual([...r.order], [...sortRows(shared, col, true)], name);
      }
    } finally {
      thread.dispose();
    }
  });
});
