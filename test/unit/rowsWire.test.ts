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
});
