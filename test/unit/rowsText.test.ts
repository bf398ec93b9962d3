/** Copying rows: CSV that csv-parse reads back to the same cells, typed JSON, Markdown tables. */
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { arrayItems, typedValue } from '../../src/core/catalog/cellValues';
import { rowsText } from '../../src/core/view/rowsText';
import type { ColumnType } from '../../src/core/catalog/templates';

const names = ['id', 'price', 'ok', 'entitlements', 'attrs', 'note'];
const types: ColumnType[] = ['string', 'float', 'boolean', 'array', 'json', 'string'];
const rows: (string | null)[][] = [
  ['a1', '9.99', 'true', '["pro", "plus"]', '{"$email": {"value": "x@y.z"}}', 'comma, "quoted" and\nnewline'],
  ['b2', null, 'f', '{pro,plus}', 'not json', ''],
  ['c|3', '1e3', 'maybe', null, null, 'pipe | and back\\slash'],
];

describe('copying rows as text', () => {
  it('CSV: csv-parse reads back the header and the cells (null as an empty field)', () => {
    const text = rowsText({ names, types, rows }, 'csv');
    const back = parse(text, { relax_column_count: true }) as string[][];
    assert.deepEqual(back[0], names);
    assert.deepEqual(
      back.slice(1),
      rows.map((r) => r.map((c) => c ?? '')),
    );
    // the empty string stays told apart from null: quoted
    assert.match(text.split('\n')[3], /,""$/);
  });

  it('CSV of a single cell is its text alone', () => {
    assert.equal(rowsText({ names: ['note'], types: ['string'], rows: [['comma, "q"']] }, 'csv'), 'comma, "q"');
  });

  it('JSON: one object per row with typed values; one row is one object', () => {
    const all = JSON.parse(rowsText({ names, types, rows }, 'json')) as Record<string, unknown>[];
    assert.equal(all.length, 3);
    assert.deepEqual(all[0], {
      id: 'a1',
      price: 9.99,
      ok: true,
      entitlements: ['pro', 'plus'],
      attrs: { $email: { value: 'x@y.z' } },
      note: 'comma, "quoted" and\nnewline',
    });
    assert.deepEqual(all[1], {
      id: 'b2',
      price: null,
      ok: false,
      entitlements: ['pro', 'plus'],
      attrs: 'not json',
      note: '',
    });
    assert.deepEqual(all[2], {
      id: 'c|3',
      price: 1000,
      ok: 'maybe',
      entitlements: null,
      attrs: null,
      note: 'pipe | and back\\slash',
    });
    const one = JSON.parse(rowsText({ names, types, rows: [rows[1]] }, 'json')) as Record<string, unknown>;
    assert.equal(one.id, 'b2');
  });

  it('Markdown: a table with escaped pipes, numbers right-aligned', () => {
    const lines = rowsText({ names, types, rows }, 'markdown').split('\n');
    assert.equal(lines.length, 5);
    assert.equal(lines[1], '| --- | ---: | --- | --- | --- | --- |');
    assert.ok(lines[4].startsWith('| c\\|3 | 1e3 |'));
    assert.ok(lines[2].includes('comma, "quoted" and<br>newline'));
    // every line has as many cells as the header (escaped pipes do not split)
    for (const l of lines) assert.equal(l.split(/(?<!\\)\|/).length, names.length + 2, l);
  });

  it('typed values: arrays in both encodings, numbers only when they are numbers', () => {
    assert.deepEqual(arrayItems('{a,"b c"}'), ['a', 'b c']);
    assert.deepEqual(arrayItems('["a", "b"]'), ['a', 'b']);
    assert.equal(typedValue('12abc', 'integer'), '12abc');
    assert.equal(typedValue('-0.5', 'float'), -0.5);
    assert.equal(typedValue('2024-01-01 00:00:00', 'timestamp'), '2024-01-01 00:00:00');
  });
});
