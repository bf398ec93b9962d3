import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { fieldText } from '../../src/core/load/cells';
import { RecordScanner, STRAY_QUOTE, UNTERMINATED_QUOTE, type RecordSink } from '../../src/core/load/scan';
import { everyByte, lineAt, randomCuts, Rng, utf8 } from './fuzz';

const COMMA = 0x2c;

interface Rec {
  start: number;
  line: number;
  flags: number;
  fields: string[];
  quoted: number[];
  spans: [number, number][];
}

class Collector implements RecordSink {
  readonly records: Rec[] = [];
  constructor(private readonly buf: Uint8Array) {}

  record(sc: RecordScanner, start: number, line: number, fieldCount: number, flags: number): void {
    const fields: string[] = [];
    const quoted: number[] = [];
    const spans: [number, number][] = [];
    for (let k = 0; k < fieldCount; k++) {
      const q = sc.quoted[k];
      fields.push(fieldText(this.buf, sc.starts[k], sc.ends[k], q === 1));
      quoted.push(q);
      spans.push([sc.starts[k], sc.ends[k]]);
    }
    this.records.push({ start, line, flags, fields, quoted, spans });
  }
}

const delimCode = (d: string): number => d.charCodeAt(0);

/** One final scan over the whole buffer. */
function scanWhole(buf: Uint8Array, delim: number, pos = 0, line = 1): { records: Rec[]; scanner: RecordScanner } {
  const sink = new Collector(buf);
  const scanner = new RecordScanner(delim, pos, line);
  scanner.scan(buf, buf.length, true, sink);
  return { records: sink.records, scanner };
}

/** Growing prefixes of the same buffer with final=false, then one final scan. `cuts` are the prefix ends. */
function scanChunked(buf: Uint8Array, delim: number, pos: number, cuts: number[]): Rec[] {
  const sink = new Collector(buf);
  const scanner = new RecordScanner(delim, pos);
  for (const end of cuts) {
    scanner.scan(buf, end, false, sink);
    assert.ok(scanner.pos <= end, `pos ${scanner.pos} past end ${end}`);
  }
  scanner.scan(buf, buf.length, true, sink);
  assert.equal(scanner.pos, buf.length);
  return sink.records;
}

// ---- random documents ------------------------------------------------------------------------

const PIECES = [
  ',',
  ';',
  '"',
  '""',
  '\n',
  '\r\n',
  ' ',
  '  ',
  '\t',
  'a',
  'b',
  'Z',
  'xyz',
  '0',
  '42',
  '-1.5',
  'é',
  '日本',
  '😀',
  'ß',
  '',
];

interface Doc {
  bytes: Uint8Array;
  delimiter: string;
  /** Where the scanner starts (3 after a BOM). */
  pos: number;
  /** The records the generator meant (values, and whether each field was written quoted). */
  values: string[][];
  quoted: number[][];
  hasBlank: boolean;
}

interface DocOptions {
  blankLines?: boolean;
  mixedEol?: boolean;
}

function randomValue(rng: Rng): string {
  if (rng.chance(0.2)) return '';
  let v = '';
  const n = rng.range(1, 5);
  for (let i = 0; i < n; i++) v += rng.pick(PIECES);
  return v;
}

function randomDoc(rng: Rng, opts: DocOptions = {}): Doc {
  const delimiter = rng.chance(0.5) ? ',' : ';';
  const docEol = rng.chance(0.5) ? '\n' : '\r\n';
  const bom = rng.chance(0.3);
  const nrec = rng.range(1, 8);
  const values: string[][] = [];
  const quoted: number[][] = [];
  let text = bom ? '\uFEFF' : '';
  let hasBlank = false;
  for (let r = 0; r < nrec; r++) {
    const eol = opts.mixedEol ? rng.pick(['\n', '\r\n']) : docEol;
    if (opts.blankLines && rng.chance(0.25)) {
      if (r < nrec - 1 || rng.chance(0.5)) {
        values.push(['']);
        quoted.push([0]);
        hasBlank = true;
        text += eol;
      } // else: a blank last line without a newline is no record at all
      continue;
    }
    const nf = rng.range(1, 7);
    const rv: string[] = [];
    const rq: number[] = [];
    const cells: string[] = [];
    for (let f = 0; f < nf; f++) {
      const v = randomValue(rng);
      const needs = v.includes(delimiter) || v.includes('"') || v.includes('\n') || v.includes('\r');
      // a lone empty unquoted field would be a blank line: quote it
      const q = needs || (nf === 1 && v === '') || rng.chance(0.2);
      rv.push(v);
      rq.push(q ? 1 : 0);
      cells.push(q ? `"${v.replace(/"/g, '""')}"` : v);
    }
    values.push(rv);
    quoted.push(rq);
    text += cells.join(delimiter);
    if (r < nrec - 1 || rng.chance(0.5)) text += eol;
  }
  return { bytes: utf8(text), delimiter, pos: bom ? 3 : 0, values, quoted, hasBlank };
}

function reference(doc: Doc): string[][] {
  return parse(Buffer.from(doc.bytes), {
    delimiter: doc.delimiter,
    bom: true,
    relax_column_count: true,
    skip_empty_lines: false,
  });
}

function checkLines(doc: Doc, records: Rec[]): void {
  assert.equal(records.length === 0 ? doc.pos : records[0].start, doc.pos);
  for (const r of records) assert.equal(r.line, lineAt(doc.bytes, r.start), `line of record at ${r.start}`);
}

const show = (doc: Doc): string => JSON.stringify(new TextDecoder().decode(doc.bytes));

const DOCS = 3000;

describe('RecordScanner vs csv-parse (random documents)', () => {
  it(`gives csv-parse's records, the intended quoting and physical lines on ${DOCS} documents`, () => {
    const rng = new Rng(0x5ca1ab1e);
    let records = 0;
    for (let n = 0; n < DOCS; n++) {
      const doc = randomDoc(rng);
      const ours = scanWhole(doc.bytes, delimCode(doc.delimiter), doc.pos).records;
      const ref = reference(doc);
      assert.deepEqual(
        ours.map((r) => r.fields),
        ref,
        show(doc),
      );
      assert.deepEqual(ref, doc.values, `generator/reference mismatch ${show(doc)}`);
      assert.deepEqual(
        ours.map((r) => r.quoted),
        doc.quoted,
        show(doc),
      );
      assert.ok(
        ours.every((r) => r.flags === 0),
        show(doc),
      );
      checkLines(doc, ours);
      records += ours.length;
    }
    assert.ok(records > DOCS * 3);
  });

  it('handles LF and CRLF mixed per line (generator as the oracle)', () => {
    const rng = new Rng(77);
    for (let n = 0; n < 1000; n++) {
      const doc = randomDoc(rng, { mixedEol: true });
      const ours = scanWhole(doc.bytes, delimCode(doc.delimiter), doc.pos).records;
      assert.deepEqual(
        ours.map((r) => r.fields),
        doc.values,
        show(doc),
      );
      assert.deepEqual(
        ours.map((r) => r.quoted),
        doc.quoted,
        show(doc),
      );
      checkLines(doc, ours);
    }
  });

  it('reports blank lines as one empty unquoted field', () => {
    const rng = new Rng(4242);
    let blanks = 0;
    for (let n = 0; n < 1000; n++) {
      const doc = randomDoc(rng, { blankLines: true, mixedEol: rng.chance(0.5) });
      const ours = scanWhole(doc.bytes, delimCode(doc.delimiter), doc.pos).records;
      assert.deepEqual(
        ours.map((r) => r.fields),
        doc.values,
        show(doc),
      );
      assert.deepEqual(
        ours.map((r) => r.quoted),
        doc.quoted,
        show(doc),
      );
      checkLines(doc, ours);
      if (doc.hasBlank) blanks++;
    }
    assert.ok(blanks > 300);
  });
});

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

// ---- explicit edge cases ---------------------------------------------------------------------

interface Simple {
  fields: string[];
  quoted: number[];
  line: number;
  flags: number;
}

function scanText(
  text: string,
  final = true,
  delimiter = ',',
): { records: Simple[]; scanner: RecordScanner; buf: Uint8Array } {
  const buf = utf8(text);
  const sink = new Collector(buf);
  const scanner = new RecordScanner(delimCode(delimiter));
  scanner.scan(buf, buf.length, final, sink);
  const records = sink.records.map(({ fields, quoted, line, flags }) => ({ fields, quoted, line, flags }));
  return { records, scanner, buf };
}

const rec = (fields: string[], quoted: number[], line: number, flags = 0): Simple => ({ fields, quoted, line, flags });

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
