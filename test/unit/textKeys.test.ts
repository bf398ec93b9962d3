/**
 * Key codes given while loading (TableData.textKeys, the catalog's `key` columns): per column, equal
 * text ↔ equal code, NULL → -1, codes in order of first sight with the first row of each; read back
 * against the table's own cells (the scanner's reading, a path apart from the interner), through a
 * buffer that grows mid-load, over the parts of a delivery, and across merged deliveries.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { columnSpec, COLUMNS } from '../../src/core/catalog/templates';
import { TEXT_NULL, textCodes } from '../../src/core/load/keyIndex';
import { loadExport } from '../../src/core/load/load';
import { ExportTable } from '../../src/core/load/table';
import { keys } from '../../src/core/measures/engine/columns';
import { mergeDeliveries } from '../../src/core/measures/engine/merge';
import { nodeGunzip } from '../../src/node/decodeNode';
import { loadExportFile } from '../../src/node/loadFile';
import { exportFileName, generateExport } from '../gen/generator';
import { tempDir, writeGz } from '../support/files';

const KEY_COLUMNS = COLUMNS.filter((c) => c.key).map((c) => c.name);

/** Every key column of the table has codes that match its cells; returns how many columns had codes. */
function checkKeys(t: ExportTable): number {
  let checked = 0;
  for (const name of KEY_COLUMNS) {
    const col = t.columnIndex(name);
    if (col < 0) continue;
    const k = t.data.textKeys?.[col];
    assert.ok(k, `${name} has key codes`);
    assert.equal(k.codes.length, t.rowCount);
    const byText = new Map<string, number>();
    for (let r = 0; r < t.rowCount; r++) {
      const text = t.cell(r, col);
      const code: number = k.codes[r];
      if (text === null) {
        assert.equal(code, -1, `${name} row ${r} is NULL`);
        continue;
      }
      const seen = byText.get(text);
      if (seen === undefined) {
        // a new text takes the next code, and this row is its first
        assert.equal(code, byText.size, `${name} row ${r}: a new text, the next code`);
        assert.equal(k.first[code], r);
        byText.set(text, code);
      } else assert.equal(code, seen, `${name} row ${r}: the code of ${JSON.stringify(text)}`);
    }
    assert.equal(k.count, byText.size);
    assert.equal(k.first.length, k.count);
    // the same codes as interning the loaded column afterwards (what a measure did before)
    const later = textCodes(t, col);
    assert.deepEqual(
      Array.from(later.codes, (c) => (c === TEXT_NULL ? -1 : c)),
      Array.from(k.codes),
    );
    checked++;
  }
  return checked;
}

async function fromText(text: Uint8Array, chunk: number, size: number, options = {}) {
  async function* chunks() {
    for (let i = 0; i < text.length; i += chunk) yield text.subarray(i, i + chunk);
  }
  const o = await loadExport({ name: 'keys.csv', size, chunks: chunks() }, { decompressor: nodeGunzip, ...options });
  assert.ok(o.ok, o.ok ? '' : o.error.message);
  return new ExportTable(o.value.table);
}

describe('key codes given while loading', () => {
  it('the catalog marks the key columns as text without a vector', () => {
    assert.deepEqual(KEY_COLUMNS.sort(), [
      'original_store_transaction_id',
      'product_identifier',
      'rc_original_app_user_id',
    ]);
    for (const name of KEY_COLUMNS) assert.equal(columnSpec(name)?.type, 'string');
  });

  it('equal text ↔ equal code, NULL -1, on generated files of every version, validating or not', async function () {
    this.timeout(120000);
    const dir = tempDir();
    for (const version of ['v1', 'v3', 'v5', 'v7'] as const) {
      const g = generateExport({ version, rows: 1500, seed: 7, multiline: version === 'v5' });
      const file = writeGz(dir, `${version}.csv.gz`, g.text);
      for (const validate of [true, false]) {
        const o = await loadExportFile(file, { validate });
        assert.ok(o.ok);
        const t = new ExportTable(o.value.table);
        assert.equal(t.rowCount, 1500);
        assert.equal(checkKeys(t), 3, `${version}: all three key columns`);
      }
    }
  });

  it('reads quoted, doubled-quote, empty and missing fields as the cells read, through a buffer that grows', async () => {
    const header = 'rc_original_app_user_id,product_identifier,store,original_store_transaction_id';
    const users = ['u1', '"u1"', '"u""2"', 'u"2', '""', '', '"a,b"', 'a,b', '"\u00e9"', '\u00e9'];
    const lines = [header];
    for (let i = 0; i < 4000; i++) {
      const u = users[i % users.length];
      // some rows end early: their later fields are missing (NULL)
      const row = [u, i % 7 === 0 ? '' : `p${i % 5}`, 'app_store', `t${i % 1300}`];
      lines.push(row.slice(0, i % 11 === 0 ? 2 : 4).join(','));
    }
    const text = new TextEncoder().encode(`${lines.join('\n')}\n`);
    // a size far below the text's: the loader's buffer is copied into a larger one many times
    const t = await fromText(text, 997, 100);
    assert.equal(checkKeys(t), 3);
    const user = t.data.textKeys![0]!;
    // `"u""2"` and `u"2` are both the text u"2; `"u1"` and u1 the same text; `""` the empty text
    assert.equal(user.codes[2], user.codes[3]);
    assert.equal(user.codes[0], user.codes[1]);
    assert.notEqual(user.codes[4], -1);
    assert.equal(user.codes[5], -1);
    assert.equal(user.codes[8], user.codes[9]);
  });

  it('gives up a column with a field too long to be a key (hostile text): the measures intern it themselves', async () => {
    const header = 'rc_original_app_user_id,product_identifier,store,original_store_transaction_id';
    const text = new TextEncoder().encode(`${header}\nu1,p1,app_store,t1\n${'u'.repeat(5000)},p2,app_store,t2\n`);
    const t = await fromText(text, 1 << 16, text.length);
    assert.equal(t.data.textKeys![0], null);
    assert.equal(t.data.textKeys![1]!.count, 2);
    const k = keys(mergeDeliveries([{ file: 'long.csv', table: t, version: 'v1' }]), 'rc_original_app_user_id');
    assert.deepEqual(Array.from(k.of[0]!), [0, 1]);
    assert.equal(k.name(1), 'u'.repeat(5000));
  });

  it('only for the columns a load types: none when `columns` leaves them out or `keys` is false', async () => {
    const g = generateExport({ version: 'v5', rows: 300, seed: 3 });
    const only = await fromText(g.text, 1 << 16, g.text.length, {
      validate: false,
      columns: ['start_time', 'rc_original_app_user_id'],
    });
    const coded = (t: ExportTable) => KEY_COLUMNS.filter((n) => t.data.textKeys?.[t.columnIndex(n)]);
    assert.deepEqual(coded(only), ['rc_original_app_user_id']);
    const none = await fromText(g.text, 1 << 16, g.text.length, { keys: false });
    assert.deepEqual(coded(none), []);
    // the measures' keys are the same either way (built from the cells when the loader gave none)
    const withKeys = await fromText(g.text, 1 << 16, g.text.length);
    const a = keys(mergeDeliveries([{ file: 'a.csv', table: withKeys, version: 'v5' }]), 'rc_original_app_user_id');
    const b = keys(mergeDeliveries([{ file: 'b.csv', table: none, version: 'v5' }]), 'rc_original_app_user_id');
    assert.deepEqual(Array.from(a.of[0]!), Array.from(b.of[0]!));
    assert.equal(a.count, b.count);
    for (let k = 0; k < a.count; k++) assert.equal(a.name(k), b.name(k));
  });

  it('one code space over the parts of a delivery, and one key per text across merged deliveries', async function () {
    this.timeout(60000);
    const dir = tempDir();
    const g = generateExport({ version: 'v5', rows: 2000, seed: 11 });
    const text = g.text.toString('utf8');
    const [head, ...rows] = text.trimEnd().split('\n');
    // a delivery of two parts, each with the header
    const folder = path.join(dir, 'transactions_1735689600');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(folder);
    writeGz(folder, 'part-0.csv.gz', `${[head, ...rows.slice(0, 1000)].join('\n')}\n`);
    writeGz(folder, 'part-1.csv.gz', `${[head, ...rows.slice(1000)].join('\n')}\n`);
    const o = await loadExportFile(folder, { validate: false });
    assert.ok(o.ok, o.ok ? '' : o.error.message);
    const parts = new ExportTable(o.value.table);
    assert.equal(parts.rowCount, 2000);
    assert.equal(checkKeys(parts), 3);
    // some customer has rows in both parts, under one code
    const user = parts.data.textKeys![parts.columnIndex('rc_original_app_user_id')]!;
    const inFirst = new Set(Array.from(user.codes.subarray(0, 1000)));
    assert.ok(Array.from(user.codes.subarray(1000)).some((c) => c >= 0 && inFirst.has(c)));

    // two deliveries with customers in common: keys() maps each table's codes to common keys
    const later = generateExport({ version: 'v5', rows: 800, seed: 12, exportTime: 1735776000 });
    const laterRows = later.text.toString('utf8').trimEnd().split('\n').slice(1);
    // the later delivery: its own rows, and rows of the first with a changed transaction id
    const idCol = head.split(',').indexOf('store_transaction_id');
    const mixed = [
      ...laterRows,
      ...rows.slice(0, 300).map((r) => {
        const f = r.split(',');
        f[idCol] = `${f[idCol]}-again`;
        return f.join(',');
      }),
    ];
    const f1 = writeGz(dir, exportFileName(1735689600), text);
    const f2 = writeGz(dir, exportFileName(1735776000), `${[head, ...mixed].join('\n')}\n`);
    const tables = [];
    for (const f of [f1, f2]) {
      const l = await loadExportFile(f, { validate: false });
      assert.ok(l.ok);
      tables.push({ file: path.basename(f), table: new ExportTable(l.value.table), version: 'v5' as const });
    }
    for (const { table } of tables) assert.equal(checkKeys(table), 3);
    const input = mergeDeliveries(tables);
    for (const name of KEY_COLUMNS) {
      const k = keys(input, name);
      const byText = new Map<string, number>();
      input.parts.forEach((part, i) => {
        const t = part.delivery.table;
        const col = t.columnIndex(name);
        for (let r = 0; r < t.rowCount; r++) {
          const cell = t.cell(r, col);
          const key = k.of[i]![r];
          if (cell === null) assert.equal(key, -1);
          else {
            assert.equal(k.name(key), cell);
            const seen = byText.get(cell);
            if (seen === undefined) byText.set(cell, key);
            else assert.equal(key, seen, `${name}: one key for ${JSON.stringify(cell)} in every delivery`);
          }
        }
      });
      assert.equal(k.count, byText.size);
    }
  });
});
