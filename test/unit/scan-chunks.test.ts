/** The record scanner fed in pieces: the same records as in one final scan, whatever the cuts. */
import assert from 'node:assert/strict';
import { RecordScanner, STRAY_QUOTE, UNTERMINATED_QUOTE } from '../../src/core/load/scan';
import { everyByte, lineAt, randomCuts, Rng, utf8 } from './fuzz';
import { Collector, COMMA, delimCode, DOCS, randomDoc, scanChunked, scanWhole, show } from './scanSupport';

describe('RecordScanner chunked feeding', () => {
  it(`gives the same records on growing prefixes as in one final scan (${DOCS} documents)`, () => {
    const rng = new Rng(0xc0ffee);
    for (let n = 0; n < DOCS; n++) {
      const doc = randomDoc(rng, { blankLines: rng.chance(0.3), mixedEol: rng.chance(0.3) });
      const d = delimCode(doc.delimiter);
      const whole = scanWhole(doc.bytes, d, doc.pos).records;
      assert.deepEqual(
        scanChunked(doc.bytes, d, doc.pos, randomCuts(rng, doc.pos, doc.bytes.length)),
        whole,
        show(doc),
      );
      if (n % 5 === 0)
        assert.deepEqual(scanChunked(doc.bytes, d, doc.pos, everyByte(doc.pos, doc.bytes.length)), whole, show(doc));
    }
  });

  it('gives the same records when read with a limit, a few records at a time', () => {
    const rng = new Rng(31337);
    for (let n = 0; n < 1000; n++) {
      const doc = randomDoc(rng, { blankLines: true });
      const d = delimCode(doc.delimiter);
      const whole = scanWhole(doc.bytes, d, doc.pos).records;
      const sink = new Collector(doc.bytes);
      const scanner = new RecordScanner(d, doc.pos);
      for (let guard = 0; scanner.pos < doc.bytes.length && guard < 100; guard++) {
        const before = sink.records.length;
        const limit = rng.range(1, 3);
        scanner.scan(doc.bytes, doc.bytes.length, true, sink, limit);
        assert.ok(sink.records.length - before <= limit);
      }
      assert.deepEqual(sink.records, whole, show(doc));
    }
  });

  it('keeps its structure and chunking invariants on malformed input (junk of quotes, CR, LF, delimiters)', () => {
    const rng = new Rng(9001);
    const junk = ['"', '"', ',', ',', 'x\ry', '\r', '\n', '\r\n', 'a', 'é', ' ', '""'];
    for (let n = 0; n < 3000; n++) {
      let text = '';
      const len = rng.range(0, 30);
      for (let i = 0; i < len; i++) text += rng.pick(junk);
      const buf = utf8(text);
      const { records, scanner } = scanWhole(buf, COMMA);
      const ctx = JSON.stringify(text);
      assert.equal(scanner.pos, buf.length, ctx);
      let prevStart = -1;
      for (const r of records) {
        assert.ok(r.start > prevStart, ctx);
        prevStart = r.start;
        assert.equal(r.line, lineAt(buf, r.start), ctx);
        assert.ok((r.flags & ~(UNTERMINATED_QUOTE | STRAY_QUOTE)) === 0, ctx);
        assert.equal(r.spans[0][0], r.start, ctx);
        for (let k = 0; k < r.spans.length; k++) {
          const [s, e] = r.spans[k];
          assert.ok(s <= e && e <= buf.length, ctx);
          if (k < r.spans.length - 1) {
            assert.equal(buf[e], COMMA, ctx);
            assert.equal(r.spans[k + 1][0], e + 1, ctx);
          }
          if (r.quoted[k] === 1) {
            assert.equal(buf[s], 0x22, ctx);
            if ((r.flags & UNTERMINATED_QUOTE) === 0) assert.ok(e - s >= 2 && buf[e - 1] === 0x22, ctx);
          }
        }
        if (r.flags & UNTERMINATED_QUOTE) assert.equal(r.spans[r.spans.length - 1][1], buf.length, ctx);
      }
      assert.deepEqual(scanChunked(buf, COMMA, 0, randomCuts(rng, 0, buf.length)), records, ctx);
      assert.deepEqual(scanChunked(buf, COMMA, 0, everyByte(0, buf.length)), records, ctx);
    }
  });
});
