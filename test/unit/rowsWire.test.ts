/** Windows of rows as the editor link carries them (src/protocol/editor.ts): packed as one JSON text, unpacked and checked by the page. */
import assert from 'node:assert/strict';
import { editorLink, packRows, unpackRows, type Cells } from '../../src/protocol/editor';

describe('windows of rows on the editor link', () => {
  it('unpack to the same cells, whatever the text holds', () => {
    const rows: Cells[] = [
      ['a', null, '', '"quoted", with a comma', 'line\nbreak\r\n', '\u0000\u001e\u001f', 'é 日本 🎉', '</script>'],
      [null, null],
      [],
    ];
    const w = packRows([7, 3, 99], rows);
    assert.equal(typeof w.rows, 'string', 'one string on the wire');
    // through the reply's schema (what the page's channel checks) and a structured clone, as on the way to the page
    const reply = editorLink.requests.getRows.reply.parse(structuredClone({ start: 0, ...w, ms: 1 }));
    assert.deepEqual(unpackRows(reply), { rowNumbers: [7, 3, 99], rows });
  });

  it('turn down rows that are not rows of texts and nulls, one per row number', () => {
    const bad = ['{"a":1}', '[[1]]', '[["a",[]]]', '[["a"],{}]', 'not json', '[["a"]]', '[]'];
    for (const rows of bad) assert.equal(unpackRows({ rowNumbers: [0, 1], rows }), null, rows);
    assert.deepEqual(unpackRows({ rowNumbers: [0, 1], rows: '[["a"],[null]]' })?.rows, [['a'], [null]]);
  });

  it('carry the cells of some columns only, placed at their columns when unpacked', () => {
    const w = packRows(
      [5, 6],
      [
        ['b', null],
        ['d', 'e'],
      ],
      [1, 3],
    );
    const reply = editorLink.requests.getRows.reply.parse(structuredClone({ start: 5, ...w, ms: 1 }));
    const u = unpackRows(reply);
    assert.deepEqual(u?.columns, [1, 3]);
    assert.equal(u?.rows[0][1], 'b');
    assert.equal(u?.rows[0][3], null);
    assert.equal(u?.rows[1][3], 'e');
    assert.equal(0 in u!.rows[0], false, 'a column not asked for is not there (not a NULL)');
    assert.equal(2 in u!.rows[1], false);
    // one cell per column named, or the window is turned down
    assert.equal(unpackRows({ rowNumbers: [0], rows: '[["a"]]', columns: [1, 3] }), null);
    assert.equal(unpackRows({ rowNumbers: [0], rows: '[["a","b","c"]]', columns: [1, 3] }), null);
    // the ask may name columns
    assert.ok(
      editorLink.requests.getRows.ask.safeParse({
        view: { filters: [], search: '', sort: null },
        start: 0,
        count: 100,
        columns: [0, 7],
      }).success,
    );
    assert.ok(
      !editorLink.requests.getRows.ask.safeParse({
        view: { filters: [], search: '', sort: null },
        start: 0,
        count: 100,
        columns: [],
      }).success,
    );
  });
});
