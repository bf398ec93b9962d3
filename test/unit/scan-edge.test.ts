/** The record scanner on explicit edge cases. */
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { RecordScanner, STRAY_QUOTE, UNTERMINATED_QUOTE } from '../../src/core/load/scan';
import { everyByte, lineAt, utf8 } from './fuzz';
import { Collector, COMMA, rec, scanChunked, scanText, scanWhole } from './scanSupport';

describe('RecordScanner edge cases', () => {
  it('reads an empty quoted field as quoted empty text and an unquoted empty field as empty text', () => {
    assert.deepEqual(scanText('"",a\n').records, [rec(['', 'a'], [1, 0], 1)]);
    assert.deepEqual(scanText(',\n').records, [rec(['', ''], [0, 0], 1)]);
    assert.deepEqual(scanText('""').records, [rec([''], [1], 1)]);
  });

  it('keeps delimiters, newlines and doubled quotes inside quotes, counting the quoted newlines', () => {
    assert.deepEqual(scanText('"a,\nb",c\nd\n').records, [rec(['a,\nb', 'c'], [1, 0], 1), rec(['d'], [0], 3)]);
    assert.deepEqual(scanText('"say ""hi""",x\r\n"a\r\nb"\r\nz').records, [
      rec(['say "hi"', 'x'], [1, 0], 1),
      rec(['a\r\nb'], [1], 2),
      rec(['z'], [0], 4),
    ]);
    assert.deepEqual(scanText('"""",""""""\n').records, [rec(['"', '""'], [1, 1], 1)]);
  });

  it('finds field ends and closing quotes at every offset of the four-byte words it reads', () => {
    // runs of quotes, newlines and delimiters placed at every alignment, whole and fed byte by byte
    const values: string[] = [];
    for (let a = 0; a < 9; a++) {
      for (let r = 0; r < 6; r++) {
        for (const tail of ['', 'b', 'bcdefgh', '\n', 'x\ny', ',']) values.push('a'.repeat(a) + '"'.repeat(r) + tail);
      }
    }
    for (const lead of ['', 'p', 'pq', 'pqr']) {
      const text = values
        .map(
          (v) =>
            `${lead},"${v.replace(/"/g, '""')}",${v.includes('"') || v.includes('\n') || v.includes(',') ? '' : v}`,
        )
        .join('\n');
      const buf = utf8(text);
      const ref = parse(Buffer.from(buf), { delimiter: ',' });
      const ours = scanWhole(buf, COMMA).records;
      assert.deepEqual(
        ours.map((r) => r.fields),
        ref,
      );
      assert.deepEqual(
        ours.map((r) => r.line),
        ours.map((r) => lineAt(buf, r.start)),
      );
      assert.deepEqual(scanChunked(buf, COMMA, 0, everyByte(0, buf.length)), ours);
    }
  });

  it('reads a trailing delimiter as one more empty field, at the end of the file and before a newline', () => {
    assert.deepEqual(scanText('a,b,').records, [rec(['a', 'b', ''], [0, 0, 0], 1)]);
    assert.deepEqual(scanText('a,b,\n').records, [rec(['a', 'b', ''], [0, 0, 0], 1)]);
    assert.deepEqual(scanText('x\na;', true, ';').records, [rec(['x'], [0], 1), rec(['a', ''], [0, 0], 2)]);
    // not final: the record may go on
    const { records, scanner } = scanText('a,b,', false);
    assert.deepEqual(records, []);
    assert.equal(scanner.pos, 0);
  });

  it('flags an unterminated quote at the end; the field runs to the end', () => {
    const { records, scanner, buf } = scanText('a\n"bc,d\ne');
    assert.equal(records.length, 2);
    assert.deepEqual(records[0], rec(['a'], [0], 1));
    assert.equal(records[1].flags, UNTERMINATED_QUOTE);
    assert.equal(records[1].line, 2);
    assert.equal(scanner.pos, buf.length);
    const sink = new Collector(buf);
    new RecordScanner(COMMA).scan(buf, buf.length, true, sink);
    assert.deepEqual(sink.records[1].spans, [[2, buf.length]]);
    assert.deepEqual(sink.records[1].quoted, [1]);
    // not final: the record is left for later
    const partial = scanText('a\n"bc,d\ne', false);
    assert.deepEqual(partial.records, [rec(['a'], [0], 1)]);
    assert.equal(partial.scanner.pos, 2);
    assert.equal(partial.scanner.line, 2);
  });

  it('flags text after a closing quote and keeps the field as raw bytes', () => {
    const { records } = scanText('"ab"c,d\nx\n');
    assert.deepEqual(records, [rec(['"ab"c', 'd'], [0, 0], 1, STRAY_QUOTE), rec(['x'], [0], 2)]);
    assert.deepEqual(scanText('"ab"c\r\nx').records, [rec(['"ab"c'], [0], 1, STRAY_QUOTE), rec(['x'], [0], 2)]);
  });

  // A lone CR after a closing quote is data, like anywhere else; only LF ends a record.
  it('reads a lone CR after a closing quote as stray text, not as a record end', () => {
    assert.deepEqual(scanText('"a"\rb,c\nd\n').records, [
      rec(['"a"\rb', 'c'], [0, 0], 1, STRAY_QUOTE),
      rec(['d'], [0], 2),
    ]);
  });

  it('keeps a lone CR inside an unquoted field; a CR before LF is not part of the field', () => {
    assert.deepEqual(scanText('a\rb,c\n').records, [rec(['a\rb', 'c'], [0, 0], 1)]);
    assert.deepEqual(scanText('a\r,b\r\n').records, [rec(['a\r', 'b'], [0, 0], 1)]);
    assert.deepEqual(scanText('a,b\r\nc\r\n').records, [rec(['a', 'b'], [0, 0], 1), rec(['c'], [0], 2)]);
    assert.deepEqual(scanText('"a"\r\nb').records, [rec(['a'], [1], 1), rec(['b'], [0], 2)]);
  });

  it('reports blank lines (LF and CRLF) as one empty unquoted field', () => {
    assert.deepEqual(scanText('a\n\n\r\nb\n').records, [
      rec(['a'], [0], 1),
      rec([''], [0], 2),
      rec([''], [0], 3),
      rec(['b'], [0], 4),
    ]);
    assert.deepEqual(scanText('\n').records, [rec([''], [0], 1)]);
    assert.deepEqual(scanText('').records, []);
  });

  it('reads only the header with limit 1 and resumes after it', () => {
    const buf = utf8('h1,h2\n"x\ny",2\n3,4\n');
    const sink = new Collector(buf);
    const scanner = new RecordScanner(COMMA);
    scanner.scan(buf, buf.length, true, sink, 1);
    assert.deepEqual(
      sink.records.map((r) => r.fields),
      [['h1', 'h2']],
    );
    assert.equal(scanner.pos, 6);
    assert.equal(scanner.line, 2);
    scanner.scan(buf, buf.length, true, sink);
    assert.deepEqual(
      sink.records.map((r) => [r.line, ...r.fields]),
      [
        [1, 'h1', 'h2'],
        [2, 'x\ny', '2'],
        [4, '3', '4'],
      ],
    );
  });

  it('leaves an incomplete last record for later when not final', () => {
    const { records, scanner } = scanText('a,b\nc,d', false);
    assert.deepEqual(records, [rec(['a', 'b'], [0, 0], 1)]);
    assert.equal(scanner.pos, 4);
    // a CR at the end may be the first half of CRLF; a quote at the end may be the first of `""`
    assert.deepEqual(scanText('a\r', false).records, []);
    assert.deepEqual(scanText('"a"\r', false).records, []);
    assert.deepEqual(scanText('"a"', false).records, []);
    assert.deepEqual(scanText('"a"\r').records, [rec(['a'], [1], 1)]);
    assert.deepEqual(scanText('a\r').records, [rec(['a'], [0], 1)]);
  });

  it('starts at the given position and line, and grows past 64 fields', () => {
    const buf = utf8('\uFEFFa;b\nc');
    const sink = new Collector(buf);
    new RecordScanner(0x3b, 3, 10).scan(buf, buf.length, true, sink);
    assert.deepEqual(
      sink.records.map((r) => [r.start, r.line, ...r.fields]),
      [
        [3, 10, 'a', 'b'],
        [7, 11, 'c'],
      ],
    );
    const many = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? `"f,${i}"` : `f${i}`));
    const wide = scanText(`${many.join(',')}\n${many.join(',')}`).records;
    assert.equal(wide.length, 2);
    for (const r of wide) {
      assert.equal(r.fields.length, 300);
      assert.equal(r.fields[297], 'f,297');
      assert.equal(r.fields[299], 'f299');
    }
  });
});
