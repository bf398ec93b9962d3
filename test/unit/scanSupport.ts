/** Shared parts of the scanner tests: a collecting sink, whole and chunked scans, random documents and csv-parse as the oracle. */
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { fieldText } from '../../src/core/load/cells';
import { RecordScanner, type RecordSink } from '../../src/core/load/scan';
import { lineAt, type Rng, utf8 } from './fuzz';

export const COMMA = 0x2c;

export interface Rec {
  start: number;
  line: number;
  flags: number;
  fields: string[];
  quoted: number[];
  spans: [number, number][];
}

export class Collector implements RecordSink {
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

export const delimCode = (d: string): number => d.charCodeAt(0);

/** One final scan over the whole buffer. */
export function scanWhole(
  buf: Uint8Array,
  delim: number,
  pos = 0,
  line = 1,
): { records: Rec[]; scanner: RecordScanner } {
  const sink = new Collector(buf);
  const scanner = new RecordScanner(delim, pos, line);
  scanner.scan(buf, buf.length, true, sink);
  return { records: sink.records, scanner };
}

/** Growing prefixes of the same buffer with final=false, then one final scan. `cuts` are the prefix ends. */
export function scanChunked(buf: Uint8Array, delim: number, pos: number, cuts: number[]): Rec[] {
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

export const PIECES = [
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

export interface Doc {
  bytes: Uint8Array;
  delimiter: string;
  /** Where the scanner starts (3 after a BOM). */
  pos: number;
  /** The records the generator meant (values, and whether each field was written quoted). */
  values: string[][];
  quoted: number[][];
  hasBlank: boolean;
}

export interface DocOptions {
  blankLines?: boolean;
  mixedEol?: boolean;
}

export function randomValue(rng: Rng): string {
  if (rng.chance(0.2)) return '';
  let v = '';
  const n = rng.range(1, 5);
  for (let i = 0; i < n; i++) v += rng.pick(PIECES);
  return v;
}

export function randomDoc(rng: Rng, opts: DocOptions = {}): Doc {
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

export function reference(doc: Doc): string[][] {
  return parse(Buffer.from(doc.bytes), {
    delimiter: doc.delimiter,
    bom: true,
    relax_column_count: true,
    skip_empty_lines: false,
  });
}

export function checkLines(doc: Doc, records: Rec[]): void {
  assert.equal(records.length === 0 ? doc.pos : records[0].start, doc.pos);
  for (const r of records) assert.equal(r.line, lineAt(doc.bytes, r.start), `line of record at ${r.start}`);
}

export const show = (doc: Doc): string => JSON.stringify(new TextDecoder().decode(doc.bytes));

export const DOCS = 3000;

// ---- explicit edge cases ---------------------------------------------------------------------

export interface Simple {
  fields: string[];
  quoted: number[];
  line: number;
  flags: number;
}

export function scanText(
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

export const rec = (fields: string[], quoted: number[], line: number, flags = 0): Simple => ({
  fields,
  quoted,
  line,
  flags,
});
