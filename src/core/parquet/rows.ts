/**
 * Rows written into the table: a row group's columns of cell text, row by row, as CSV records (a
 * comma between fields, a line feed after the last), a batch at a time into the table builder's
 * buffer, each record handed to the builder with the field boundaries the scanner would have found.
 */
import type { TableBuilder } from '../load/builder';
import { RecordScanner } from '../load/scan';
import { LF, QUOTE, type Cells } from './cells';

const COMMA = 0x2c;
/** Rows assembled at a time: a few megabytes, in cache. */
const BATCH = 4096;

export class RowWriter {
  private readonly sc = new RecordScanner(COMMA);
  private scratch = new Uint8Array(4 << 20);
  private view = new DataView(this.scratch.buffer);
  /** Per row of a batch and field: where the field ends in the scratch buffer, whether it is quoted. */
  private readonly ends: Int32Array;
  private readonly quoted: Uint8Array;
  private readonly lines = new Int32Array(BATCH);
  /** Per row of the row group: the bytes of its cells' text (column by column, in tight loops). */
  private rowText = new Int32Array(0);

  constructor(
    private readonly builder: TableBuilder,
    private readonly columns: number,
  ) {
    this.ends = new Int32Array(BATCH * columns);
    this.quoted = new Uint8Array(BATCH * columns);
    if (this.sc.starts.length < columns + 1) {
      this.sc.starts = new Float64Array(columns + 1);
      this.sc.ends = new Float64Array(columns + 1);
      this.sc.quoted = new Uint8Array(columns + 1);
    }
  }

  /**
   * Writes `rows` rows of `cells` (null: a column the part does not have, NULL on every row). `scale`
   * is how many times these rows the whole table is likely to hold, so the buffer grows once.
   * `snapshot` is called once the table holds `at` rows and returns the next such count.
   */
  write(cells: readonly (Cells | null)[], rows: number, scale: number, snapshot: () => number): void {
    const builder = this.builder;
    const n = this.columns;
    if (this.rowText.length < rows) this.rowText = new Int32Array(rows);
    const rowText = this.rowText;
    rowText.fill(0, 0, rows);
    for (const c of cells) {
      if (!c) continue;
      const at = c.at;
      for (let r = 0; r < rows; r++) {
        const l = at[2 * r + 1];
        if (l > 0) rowText[r] += l;
      }
    }
    let bytes = rows * n;
    for (let r = 0; r < rows; r++) bytes += rowText[r];
    builder.reserve(bytes, Math.ceil((builder.length + bytes) * scale * 1.02));
    let next = snapshot();
    for (let from = 0; from < rows;) {
      const to = this.batch(cells, from, Math.min(rows, from + BATCH));
      // the batch into the table in one copy, then its records
      const base = builder.length;
      builder.bytes.set(this.scratch.subarray(0, this.ends[(to - from) * n - 1] + 1), base);
      const sc = this.sc;
      for (let r = 0; r < to - from; r++) {
        let p = r === 0 ? 0 : this.ends[r * n - 1] + 1;
        for (let k = 0; k < n; k++) {
          const e = this.ends[r * n + k];
          sc.starts[k] = base + p;
          sc.ends[k] = base + e;
          sc.quoted[k] = this.quoted[r * n + k];
          p = e + 1;
        }
        builder.addRecord(sc, base + p, n, this.lines[r]);
        if (builder.rowCount >= next) next = snapshot();
      }
      from = to;
    }
  }

  /**
   * Rows [from, to) as CSV text into the scratch buffer (warm memory: the table's pages are touched
   * once, by one copy), each field's end and quotedness, and each row's line breaks in quotes.
   * Returns where it stopped (a batch ends early when the scratch buffer is full).
   */
  private batch(cells: readonly (Cells | null)[], from: number, to: number): number {
    const n = this.columns;
    const last = n - 1;
    let buf = this.scratch;
    let out = this.view;
    const ends = this.ends;
    const quoted = this.quoted;
    let p = 0;
    for (let r = from; r < to; r++) {
      // room for the row (a word at a time may pass a cell's end by 3 bytes)
      const need = n + 8 + this.rowText[r];
      if (p + need > buf.length) {
        if (r > from) return r;
        this.scratch = buf = new Uint8Array(need * 2);
        this.view = out = new DataView(buf.buffer);
      }
      let lines = 0;
      const row = (r - from) * n;
      for (let k = 0; k < n; k++) {
        const c = cells[k];
        let q = 0;
        if (c !== null) {
          const at = c.at;
          const l = at[2 * r + 1];
          if (l > 0) {
            const t = c.text;
            const s = at[2 * r];
            if (t[s] === QUOTE) {
              q = 1;
              if (c.lines) for (let i = s; i < s + l; i++) if (t[i] === LF) lines++;
            }
            if (l < 64) {
              const v = c.view;
              for (let i = 0; i < l; i += 4) out.setInt32(p + i, v.getInt32(s + i, true), true);
            } else buf.set(t.subarray(s, s + l), p);
            p += l;
          }
        }
        ends[row + k] = p;
        quoted[row + k] = q;
        buf[p++] = k === last ? LF : COMMA;
      }
      this.lines[r - from] = lines;
    }
    return to;
  }
}
