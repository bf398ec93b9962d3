/**
 * Rows written into the table: a row group's columns of cell text, row by row, as CSV records (a
 * comma between fields, a line feed after the last) straight into the table builder's buffer, each
 * record handed to the builder with the field boundaries the scanner would have found.
 */
import type { TableBuilder } from '../load/builder';
import { RecordScanner } from '../load/scan';
import { LF, QUOTE, type Cells } from './cells';

const COMMA = 0x2c;

export class RowWriter {
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
   * Writes `rows` rows of `cells` (null: a column the part does not have, NULL on every row). `scale`
   * is how many times these rows the whole table is likely to hold, so the buffer grows once.
   * `snapshot` is called once the table holds `at` rows and returns the next such count.
   */
  write(cells: readonly (Cells | null)[], rows: number, scale: number, snapshot: () => number): void {
    const builder = this.builder;
    const n = this.columns;
    let bytes = rows * n;
    for (const c of cells) {
      if (!c) continue;
      const at = c.at;
      for (let r = 1; r < 2 * rows; r += 2) if (at[r] > 0) bytes += at[r];
    }
    // 8 bytes spare: cells are copied a word at a time, and the last word may pass the text's end
    const buf = builder.reserve(bytes + 8, Math.ceil((builder.length + bytes) * scale * 1.02));
    const out = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const sc = this.sc;
    const starts = sc.starts;
    const ends = sc.ends;
    const quoted = sc.quoted;
    const last = n - 1;
    let next = snapshot();
    let p = builder.length;
    for (let r = 0; r < rows; r++) {
      let lines = 0;
      for (let k = 0; k < n; k++) {
        const c = cells[k];
        starts[k] = p;
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
        ends[k] = p;
        quoted[k] = q;
        buf[p++] = k === last ? LF : COMMA;
      }
      builder.addRecord(sc, p, n, lines);
      if (builder.rowCount >= next) next = snapshot();
    }
  }
}
