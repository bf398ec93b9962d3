/**
 * A columns-only load: the decompressed text arrives in chunks that are scanned in one reused
 * buffer (no buffer the size of the decompressed export), and of each record only what the columns
 * asked for need is written into the table's text: the fields of text, JSON and dictionary columns
 * (read as text, keys and spans), and of the typed ones (times, numbers, booleans) only a value no
 * quick parse reads (the rows a measure leaves out and names); their values are in the vectors.
 * The table is those columns alone, as KeyFold's narrowTable makes them from a whole table, with
 * the rows, line numbers, vectors, keys and unreadable cells of the whole load.
 *
 * Room src/core/stream: loads that keep only the columns asked for, or none (validation as the text streams by), from the text streamed through a reused buffer.
 * May import: src/core, src/core/catalog, src/core/load.
 */
import type { BuilderOptions, TableBuilder } from '../load/builder';
import { textTooLarge } from '../load/builderOptions';
import { columnSpec } from '../catalog/templates';
import { CR, KIND_CODE, LF, quickReadable } from '../load/cells';
import { readHeader } from '../load/header';
import type { Feeder } from '../load/load';
import { loadedVectorKind, type TableData } from '../load/table';
import { RecordScanner, UNTERMINATED_QUOTE, type RecordSink } from '../load/scan';

/** The reused buffer's first size: a decompressed chunk (node:zlib gives a megabyte) and the record it cuts. */
const FIRST_WORK = (1 << 20) + (64 << 10);

export class ColumnsFeeder implements Feeder, RecordSink {
  /** Decompressed text not yet written into the table: the record the last chunk cut, then the next chunk. */
  private work = new Uint8Array(FIRST_WORK);
  private used = 0;
  private decoded = 0;
  private scanner: RecordScanner | null = null;
  /** The columns whose fields are kept (ascending), and the others. */
  private kept = new Int32Array(0);
  private rest = new Int32Array(0);
  private repeated = new Int32Array(0);
  /** Per column, the kind of value its vector holds (K_TIME…K_BOOL), 0 for the columns kept as text. */
  private kinds = new Int8Array(0);
  /** The kept record's fields as the table builder reads them (offsets in the table's text). */
  private readonly out: RecordScanner;
  /** Everything goes to the builder as it is (the header was not where expected): a whole load. */
  private whole = false;

  constructor(
    private readonly builder: TableBuilder,
    private readonly columns: ReadonlySet<string>,
    private readonly options: BuilderOptions,
  ) {
    this.out = new RecordScanner(0x2c);
  }

  /** Decompressed bytes taken so far. */
  get length(): number {
    return this.decoded;
  }

  append(chunk: Uint8Array): void {
    this.decoded += chunk.length;
    if (this.decoded > this.options.maxBytes) throw textTooLarge(this.options.maxBytes);
    if (this.whole) {
      this.builder.append(chunk);
      return;
    }
    if (this.used + chunk.length > this.work.length) {
      const next = new Uint8Array(Math.max(this.work.length * 2, this.used + chunk.length));
      next.set(this.work.subarray(0, this.used));
      this.work = next;
    }
    this.work.set(chunk, this.used);
    this.used += chunk.length;
    this.run(false);
  }

  finish(): void {
    if (!this.whole && this.decoded > 0) this.run(true);
    this.builder.finish();
  }

  private run(final: boolean): void {
    if (!this.scanner && !this.readHeader(final)) return;
    if (this.whole) return;
    const sc = this.scanner!;
    this.builder.seen = this.decoded;
    sc.scan(this.work, this.used, final, this);
    // the record cut by the end of the chunk moves to the front (scanned again from its start, once:
    // a record longer than the buffer stays in place and the scan goes on where it stopped)
    const pos = sc.pos;
    if (pos > 0) {
      this.work.copyWithin(0, pos, this.used);
      this.used -= pos;
      sc.pos = 0;
    }
  }

  /** Reads the header as the builder would, and hands the builder its bytes; false while it is not complete. */
  private readHeader(final: boolean): boolean {
    const read = readHeader(this.work, this.used, final, this.options.template, this.options.name);
    if (!read) return false;
    const start = read.scanner.pos;
    this.builder.append(this.work.subarray(0, start));
    if (!this.builder.headerInfo || this.builder.rowCount > 0) {
      // not the usual header line: the builder reads the rest of the text itself
      this.whole = true;
      if (start < this.used) this.builder.append(this.work.slice(start, this.used));
      this.used = 0;
      return true;
    }
    const header = read.info.header;
    // each column asked for, once (a name the header repeats is read from its first column)
    const keep = header.map((h, k) => this.columns.has(h) && header.indexOf(h) === k);
    this.kept = Int32Array.from(header.keys()).filter((k) => keep[k]);
    this.rest = Int32Array.from(header.keys()).filter((k) => !keep[k]);
    // a repeated name is typed by the builder too: its fields are given as empty
    this.repeated = this.rest.filter((k) => this.columns.has(header[k]));
    this.kinds = Int8Array.from(header, (h, k) => {
      const kind = keep[k] ? loadedVectorKind(columnSpec(h, read.info.report.feed)) : null;
      // the kinds the builder types from text (dictionaries and spans are kept as text here)
      return kind && kind !== 'dict' && kind !== 'span' ? KIND_CODE[kind] : 0;
    });
    const n = header.length + 1;
    this.out.starts = new Float64Array(n);
    this.out.ends = new Float64Array(n);
    this.out.quoted = new Uint8Array(n);
    this.scanner = read.scanner;
    return true;
  }

  blankLines(): void {
    // blank lines are not rows; the next record's line number says where they were
  }

  record(sc: RecordScanner, start: number, line: number, n: number, flags: number): void {
    // a record of one empty field is a blank line, not a row (as the builder reads it)
    if (n === 1 && sc.starts[0] === sc.ends[0] && sc.quoted[0] === 0) return;
    const w = this.work;
    const end = sc.pos;
    const builder = this.builder;
    // the kept record is never longer than the record and a line break (fewer fields and
    // delimiters); past that room, the typed fields it leaves empty are copied for the builder to read
    const buf = builder.reserve(2 * (end - start) + 4);
    const kinds = this.kinds;
    let copy = builder.length + (end - start) + 2;
    const delimiter = sc.delimiter;
    const kept = this.kept;
    const { starts, ends, quoted } = this.out;
    const first = builder.length;
    let at = first;
    for (let j = 0; j < kept.length; j++) {
      const k = kept[j];
      // the fields the record lacks it lacks here too (after an unclosed quote, nothing may follow)
      if (k >= n) {
        starts[k] = ends[k] = at;
        quoted[k] = 0;
        continue;
      }
      if (j > 0) buf[at++] = delimiter;
      const s = sc.starts[k];
      const e = sc.ends[k];
      quoted[k] = sc.quoted[k];
      // the builder reads the value at once (or it is NULL): its text need not be kept
      if (kinds[k] !== 0 && quickReadable(kinds[k], w, s, e, quoted[k])) {
        // its value is all a reader needs: the vector's; the text of one no SQL load reads stays
        starts[k] = copy;
        for (let i = s; i < e; i++) buf[copy++] = w[i];
        ends[k] = copy;
        continue;
      }
      starts[k] = at;
      if (e - s > 32) buf.set(w.subarray(s, e), at);
      else for (let i = s; i < e; i++) buf[at + i - s] = w[i];
      at += e - s;
      ends[k] = at;
    }
    if (builder.rowCount === 0) this.firstRow(first, at, end - start);
    const repeated = this.repeated;
    for (let j = 0; j < repeated.length; j++) starts[repeated[j]] = ends[repeated[j]] = at;
    // the line break that ended it (none after the last record, or in an unclosed quoted field); a
    // field now last that ends in CR keeps it: a scan takes one CR before the line feed off
    if ((flags & UNTERMINATED_QUOTE) === 0) {
      if (at > first && buf[at - 1] === CR) {
        buf[at++] = CR;
        buf[at++] = LF;
      } else if (end > start && w[end - 1] === LF) buf[at++] = LF;
    }
    builder.addRecord(this.out, at, this.rest.length + kept.length, 0, line);
  }

  /**
   * The builder reads no field of a column not kept (it types none of them, and no validator runs),
   * but the first row's span (from field 0 to the last): by it the key columns size their tables for
   * the rows the text's size hint holds. The hint is scaled to the kept text, so they expect as many
   * rows as a whole load would.
   */
  private firstRow(from: number, to: number, length: number): void {
    for (const k of this.rest) {
      this.out.starts[k] = from;
      this.out.ends[k] = to;
    }
    const hint = this.options.sizeHint;
    if (hint) this.options.sizeHint = Math.ceil((hint * (to - from + 1)) / Math.max(1, length));
  }

  /**
   * The table of the kept columns alone, as if its text were theirs: a header of their names, the
   * rows as written, their vectors, keys and unreadable cells (what KeyFold's narrowTable makes of a
   * whole table, with the file's own line numbers). Once, at the end: it moves the builder's offsets.
   */
  table(): TableData {
    const t = this.builder.table();
    if (this.whole || !this.scanner) return t;
    const cols = Array.from(this.kept);
    const names = cols.map((c) => t.header[c]);
    const head = new TextEncoder().encode(`${names.join(t.delimiter)}\n`);
    // the text moves by `delta`: the header of the kept columns ends where the export's did
    const delta = head.length - t.dataStart;
    // (only the first segment holds the header: the offsets of its rows move, the others' stay)
    const first = t.segments[0];
    let bytes: Uint8Array;
    if (delta <= 0) {
      first.set(head, -delta);
      bytes = first.subarray(-delta);
    } else {
      bytes = new Uint8Array(first.length + delta);
      bytes.set(head);
      bytes.set(first.subarray(t.dataStart), head.length);
    }
    const rows = t.segments.length > 1 ? t.segmentRows[1] : t.rowCount;
    const rowStarts = t.rowStarts;
    for (let r = 0; r < rows; r++) rowStarts[r] += delta;
    const vectors = cols.map((c) => t.vectors[c]);
    for (const v of vectors)
      if (v && v.kind === 'span') {
        const d = v.data as Uint32Array;
        for (let i = 0; i < 2 * rows; i++) d[i] += delta;
      }
    const unreadable = t.unreadable;
    return {
      segments: [bytes, ...t.segments.slice(1)],
      segmentRows: t.segmentRows,
      segmentStarts: t.segmentStarts.map((s, g) => (g === 0 ? 0 : s + delta)),
      textLength: t.textLength + delta,
      rowStarts,
      rowCount: t.rowCount,
      header: names,
      types: cols.map((c) => t.types[c]),
      delimiter: t.delimiter,
      bom: false,
      dataStart: head.length,
      vectors,
      lineShifts: t.lineShifts,
      ...(unreadable
        ? { unreadable: Object.fromEntries(Object.entries(unreadable).filter(([name]) => names.includes(name))) }
        : {}),
      ...(t.textKeys ? { textKeys: cols.map((c) => t.textKeys![c] ?? null) } : {}),
    };
  }
}
