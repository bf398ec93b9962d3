import assert from 'node:assert/strict';
import { RecordScanner, type RecordSink } from '../../src/core/load/scan';
import { Rng, utf8 } from './fuzz';

/**
 * RecordScanner.fieldStart skips fields eight bytes at a time, counting delimiters: from any field's
 * start, the k-th field after it must start where scan puts it (or the record must end first, -1),
 * whatever the quoting: doubled quotes, text after a closing quote, quotes inside unquoted fields,
 * CR, CRLF, newlines inside quotes, a quote left open at the end, a delimiter ending the bytes.
 */
const PIECES = [
  '"',
  '""',
  '"x""y"',
  ',',
  ',',
  ',,',
  ';',
  'x\ry',
  '\r',
  '\n',
  '\r\n',
  'a',
  'é',
  ' ',
  'abcdefgh',
  'ab,cd,ef,gh,',
  '12,3,45,',
  'plain text run',
  '"q,\n"',
];

/** Every record of buf as scan reads it with `final`: the start of each of its fields. */
function recordStarts(buf: Uint8Array, delimiter: number): number[][] {
  const out: number[][] = [];
  const sink: RecordSink = {
    record: (sc, _s, _l, n) => {
      out.push(Array.from(sc.starts.subarray(0, n)));
    },
  };
  new RecordScanner(delimiter).scan(buf, buf.length, true, sink);
  return out;
}

describe('RecordScanner.fieldStart', () => {
  for (const delimiter of [',', ';']) {
    it(`finds the field k fields on where scan does, on random documents (delimiter ${delimiter})`, () => {
      const rng = new Rng(delimiter === ',' ? 4242 : 2424);
      const d = delimiter.charCodeAt(0);
      const scanner = new RecordScanner(d);
      for (let doc = 0; doc < 2000; doc++) {
        let text = '';
        const len = rng.range(0, 40);
        for (let i = 0; i < len; i++) text += rng.pick(PIECES);
        const buf = utf8(text);
        const ctx = JSON.stringify(text);
        for (const starts of recordStarts(buf, d)) {
          for (let j = 0; j < starts.length; j++) {
            for (let k = 0; j + k <= starts.length + 1; k++) {
              const want = j + k < starts.length ? starts[j + k] : -1;
              assert.equal(scanner.fieldStart(buf, starts[j], k), want, `${ctx} field ${j} + ${k}`);
            }
          }
        }
      }
    });
  }

  it('counts delimiters at every offset of the eight bytes it reads at once', () => {
    const scanner = new RecordScanner(0x2c);
    for (let pad = 0; pad < 12; pad++) {
      for (let width = 0; width < 12; width++) {
        const fields = Array.from({ length: 20 }, (_, k) => (k === 0 ? 'p'.repeat(pad) : 'w'.repeat((k * width) % 11)));
        const buf = utf8(`${fields.join(',')}\nnext,row`);
        let at = 0;
        for (let k = 0; k < fields.length; k++) {
          assert.equal(scanner.fieldStart(buf, 0, k), at, `pad ${pad} width ${width} k ${k}`);
          at += fields[k].length + 1;
        }
        assert.equal(scanner.fieldStart(buf, 0, fields.length), -1);
      }
    }
  });
});
