import assert from 'node:assert/strict';
import { plainField } from '../../src/core/load/keyIndex';
import { ExportTable } from '../../src/core/load/table';
import { wordField } from '../../src/core/measures/engine/merge';
import { generateExport } from '../gen/generator';
import { loadBytes } from '../support/hostile';

/**
 * repeatsKey (merge.ts) finds the id field four bytes at a time: wherever that way gives an answer
 * it must be the byte-wise one's (plainField), and on a plain row it must give one.
 */
describe('wordField: the id field read four bytes at a time', () => {
  it('finds what plainField finds, on generated rows and on rows with quotes, CRLF, empty fields and a short last row', async () => {
    const gen = generateExport({ version: 'v5', rows: 400, seed: 7, exportTime: 1735689600 }).text.toString('utf8');
    const lines = gen.split('\n');
    const width = lines[0].split(',').length;
    const odd = [
      // a quote before the id, a quoted id, CRLF endings, empty fields, a row cut short
      lines[1].replace(/^[^,]*/, '"quoted ""user"""'),
      lines[2].replace(/,([0-9a-f]{8,}),/, ',"$1",'),
      `${lines[3]}\r`,
      ','.repeat(width - 1),
      lines[4].split(',').slice(0, 3).join(','),
    ];
    const text = [...lines.slice(0, -1), ...odd].join('\n');
    for (const body of [text, `${text}\n`, text.replace(/\n/g, '\r\n')]) {
      const { outcome } = await loadBytes(new TextEncoder().encode(body), { validate: false });
      assert.ok(outcome.ok);
      const t = new ExportTable(outcome.value.table);
      const b = t.data.segments[0];
      const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
      const delim = t.data.delimiter.charCodeAt(0);
      const byWord = new Uint32Array(2);
      const byByte = new Uint32Array(2);
      let answered = 0;
      let declined = 0;
      for (let col = 0; col < width; col++)
        for (let r = 0; r < t.rowCount; r++) {
          const plain = plainField(t, b, r, col, delim, byByte);
          if (!wordField(t, b, dv, r, col, Math.imul(delim, 0x01010101), byWord)) {
            declined++;
            continue;
          }
          answered++;
          assert.ok(plain, `row ${r} column ${col}: plainField reads it another way`);
          assert.deepEqual([...byWord], [...byByte], `row ${r} column ${col}`);
        }
      assert.ok(answered > 0 && declined > 0, `${answered} answered, ${declined} declined`);
    }
  });
});
