/**
 * Rows written into the table, in two halves that may run on two threads: the assembler turns a
 * row group's columns of cell text into CSV records (a comma between fields, a line feed after the
 * last), a batch of rows at a time into a buffer of its own, with each field's end and quotedness;
 * the adder copies a batch into the table builder's buffer in one copy and hands each record to the
 * builder with the field boundaries the scanner would have found.
 */
import type { TableBuilder } from '../load/builder';
import { RecordScanner } from '../load/scan';
import { ESCAPE, LENGTH, LF, QUOTE, type Cells } from './cells';

const COMMA = 0x2c;
/** Rows assembled at a time in one thread: a few megabytes, in cache. */
export const BATCH = 4096;

/** A batch of rows as CSV text: the text's first `size` bytes, and per row and field its end and quotedness. */
export interface RowBatch {
  readonly type: 'rows';
  rows: number;
  size: number;
  /** Where the rows' text is in the table's own text (written there in place), or -1: in `text`. */
  at: number;
  text: Uint8Array;
  /** Per row of the batch and field: where the field ends in `text`. */
  readonly ends: Int32Array;
  readonly quoted: Uint8Array;
  /** Per row: line breaks inside its quoted fields. */
  readonly lines: Int32Array;
}

/** An empty batch of up to `rows` rows of `columns` fields (a kilobyte of text a row: it ends early when full). */
export function newBatch(columns: number, rows = BATCH): RowBatch {
  return {
    type: 'rows',
    rows: 0,
    size: 0,
    at: -1,
    text: new Uint8Array(rows << 10),
    ends: new Int32Array(rows * columns),
    quoted: new Uint8Array(rows * columns),
    lines: new Int32Array(rows),
  };
}

export class RowAssembler {
  /** Per row of the row group: the bytes of its cells' text (column by column, in tight loops). */
  private rowText = new Int32Array(0);

  constructor(private readonly columns: number) {}

  /** The text bytes of a row group's `rows` records (null cells: a column the part lacks, NULL throughout). */
  measure(cells: readonly (Cells | null)[], rows: number): number {
    if (this.rowText.length < rows) this.rowText = new Int32Array(rows);
    const rowText = this.rowText;
    rowText.fill(0, 0, rows);
    for (const c of cells) {
      if (!c) continue;
      const at = c.at;
      for (let r = 0; r < rows; r++) {
        const l = at[2 * r + 1];
        if (l > 0) rowText[r] += l & LENGTH;
      }
    }
    let bytes = rows * this.columns;
    for (let r = 0; r < rows; r++) bytes += rowText[r];
    return bytes;
  }

  /**
   * Rows [from, to) of the row group last measured into `out` (as many as it holds), each field's end
   * and quotedness, and each row's line breaks in quotes; their text into `into` (the batch's own
   * text, or the table's where the rows go). Returns where it stopped (a batch ends early when its
   * text is full; a row larger than a batch's empty text gets a larger text).
   */
  fill(cells: readonly (Cells | null)[], from: number, to: number, out: RowBatch, into = out.text): number {
    const n = this.columns;
    const last = n - 1;
    to = Math.min(to, from + out.lines.length);
    let buf = into;
    let view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const ends = out.ends;
    const quoted = out.quoted;
    let p = 0;
    let r = from;
    for (; r < to; r++) {
      const need = n + this.rowText[r];
      if (p + need > buf.length) {
        if (r > from || into !== out.text) break;
        out.text = buf = new Uint8Array(need * 2);
        view = new DataView(buf.buffer);
      }
      let lines = 0;
      const row = (r - from) * n;
      for (let k = 0; k < n; k++) {
        const c = cells[k];
        let q = 0;
        if (c !== null) {
          const at = c.at;
          const l = at[2 * r + 1];
          if (l >= ESCAPE) {
            // a raw string: quoted here, each quote doubled
            const t = c.text;
            const s = at[2 * r];
            const stop = p + (l & LENGTH) - 1;
            buf[p++] = QUOTE;
            let i = s;
            while (p < stop) {
              const ch = t[i++];
              buf[p++] = ch;
              if (ch === QUOTE) buf[p++] = QUOTE;
            }
            buf[p++] = QUOTE;
            q = 1;
            if (c.lines) for (let j = s; j < i; j++) if (t[j] === LF) lines++;
          } else if (l > 0) {
            const t = c.text;
            const s = at[2 * r];
            if (t[s] === QUOTE) {
              q = 1;
              if (c.lines) for (let i = s; i < s + l; i++) if (t[i] === LF) lines++;
            }
            // a word at a time (it may pass the cell's end by 3 bytes, not the text's)
            if (l < 64 && p + l + 3 < buf.length) {
              const v = c.view;
              for (let i = 0; i < l; i += 4) view.setInt32(p + i, v.getInt32(s + i, true), true);
            } else buf.set(t.subarray(s, s + l), p);
            p += l;
          }
        }
        ends[row + k] = p;
        quoted[row + k] = q;
        buf[p++] = k === last ? LF : COMMA;
      }
      out.lines[r - from] = lines;
    }
    out.rows = r - from;
    out.size = p;
    return r;
  }
}

export class RowAdder {
  private readonly sc = new RecordScanner(COMMA);

  constructor(
    private readonly builder: TableBuilder,
    private readonly columns: number,
  ) {
    if (this.sc.starts.length < columns + 1) {
      this.sc.starts = new Float64Array(columns + 1);
      this.sc.ends = new Float64Array(columns + 1);
      this.sc.quoted = new Uint8Array(columns + 1);
    }
  }

  /**
   * A batch's records into the table (its room reserved before, see TableBuilder.reserve).
   * `snapshot` is called once the table holds `next` rows and returns the next such count.
   */
  add(batch: RowBatch, next: number, snapshot: () => number): number {
    const builder = this.builder;
    const n = this.columns;
    // (reserving may start a new segment of the text: the batch goes where the text ends after it)
    if (batch.at < 0) builder.reserve(batch.size);
    const base = builder.length;
    if (batch.at < 0) builder.bytes.set(batch.text.subarray(0, batch.size), base);
    else if (batch.at !== base) throw new Error(`rows written at ${batch.at}, the table's text ends at ${base}`);
    const { ends, quoted, lines } = batch;
    const sc = this.sc;
    const starts = sc.starts;
    const stops = sc.ends;
    const quotes = sc.quoted;
    for (let r = 0, i = 0; r < batch.rows; r++) {
      let p = base + (r === 0 ? 0 : ends[i - 1] + 1);
      for (let k = 0; k < n; k++, i++) {
        const e = base + ends[i];
        starts[k] = p;
        stops[k] = e;
        quotes[k] = quoted[i];
        p = e + 1;
      }
      builder.addRecord(sc, p, n, lines[r]);
      if (builder.rowCount >= next) next = snapshot();
    }
    return next;
  }
}
