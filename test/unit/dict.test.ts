import assert from 'node:assert/strict';
import { DictEncoder, MAX_DICT } from '../../src/core/load/dict';
import { loadExport } from '../../src/core/load/load';
import { ExportTable } from '../../src/core/load/table';
import { templateVersion } from '../../src/core/catalog/templates';
import { nodeGunzip } from '../../src/node/decodeNode';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('dictionary encoding', () => {
  it('gives one code per distinct text, also across quoted and unquoted spellings', () => {
    const d = new DictEncoder();
    const a = bytes('app_store');
    const q = bytes('"app_store"');
    const p = bytes('play_store');
    assert.equal(d.encode(a, 0, a.length, false), 0);
    assert.equal(d.encode(p, 0, p.length, false), 1);
    assert.equal(d.encode(q, 0, q.length, true), 0);
    assert.deepEqual(d.values, ['app_store', 'play_store']);
  });

  it('gives up past MAX_DICT spellings, and the loader keeps such a column as text', async () => {
    const d = new DictEncoder();
    let last = 0;
    for (let i = 0; i <= MAX_DICT; i++) {
      const b = bytes(`v${i}`);
      last = d.encode(b, 0, b.length, false);
    }
    assert.equal(last, -2);

    const header = templateVersion('v1').columns.map((c) => c.name);
    const row = (i: number) =>
      header
        .map((h) =>
          h === 'product_identifier'
            ? `product_${i}`
            : h.endsWith('_time') || h.endsWith('_at')
              ? ''
              : h.startsWith('is_')
                ? 'f'
                : h === 'store'
                  ? 'app_store'
                  : h === 'renewal_number'
                    ? '1'
                    : h.includes('price') || h.includes('percentage')
                      ? '0.7'
                      : h === 'purchased_currency'
                        ? 'USD'
                        : `x${i}`,
        )
        .map((v, k) => (header[k] === 'start_time' ? '2024-01-01 00:00:00' : v))
        .join(',');
    const lines = [header.join(',')];
    for (let i = 0; i < MAX_DICT + 10; i++) lines.push(row(i));
    const text = bytes(`${lines.join('\n')}\n`);
    async function* one() {
      yield text;
    }
    const o = await loadExport({ name: 'many.csv', size: text.length, chunks: one() }, { decompressor: nodeGunzip });
    assert.ok(o.ok);
    const t = new ExportTable(o.value.table);
    assert.equal(t.vector('product_identifier'), null);
    assert.equal(t.vector('store')!.kind, 'dict');
    assert.equal(t.cell(MAX_DICT + 5, t.columnIndex('product_identifier')), `product_${MAX_DICT + 5}`);
  });
});
