/**
 * Text search straight over the decompressed bytes: a Boyer-Moore-Horspool scan that folds ASCII
 * letters, so a million rows are searched without creating a string per cell.
 */
import type { TableData } from '../load/table';

const enc = new TextEncoder();

/** ASCII upper case → lower case; every other byte as it is. */
const FOLD = new Uint8Array(256).map((_, i) => (i >= 0x41 && i <= 0x5a ? i + 0x20 : i));

/** A compiled needle: its folded bytes and a Horspool shift table over raw bytes (both cases). */
export class Needle {
  readonly bytes: Uint8Array;
  /** Shift by the window's last byte; 0 for the needle's last byte in either case. */
  private readonly shift = new Int32Array(256);
  /** The shift after looking at a window whose last byte matched. */
  private readonly onMatch: number;

  constructor(text: string) {
    this.bytes = enc.encode(text).map((c) => FOLD[c]);
    const m = this.bytes.length;
    const set = (c: number, v: number) => {
      this.shift[c] = v;
      if (c >= 0x61 && c <= 0x7a) this.shift[c - 0x20] = v;
    };
    this.shift.fill(Math.max(1, m));
    for (let i = 0; i < m - 1; i++) set(this.bytes[i], m - 1 - i);
    this.onMatch = m ? this.shift[this.bytes[m - 1]] : 1;
    if (m) set(this.bytes[m - 1], 0);
  }

  get length(): number {
    return this.bytes.length;
  }

  /** The first match at or after `from` that ends by `end`, or -1. */
  find(hay: Uint8Array, from: number, end: number): number {
    const p = this.bytes;
    const m = p.length;
    if (m === 0) return from <= end ? from : -1;
    const last = m - 1;
    const shift = this.shift;
    const stop = end - m;
    let i = from;
    while (i <= stop) {
      let s = shift[hay[i + last]];
      while (s !== 0) {
        i += s;
        if (i > stop) return -1;
        s = shift[hay[i + last]];
      }
      let k = last - 1;
      while (k >= 0 && FOLD[hay[i + k]] === p[k]) k--;
      if (k < 0) return i;
      i += this.onMatch;
    }
    return -1;
  }

  /** Whether bytes [s, e) contain the needle. */
  within(hay: Uint8Array, s: number, e: number): boolean {
    return this.find(hay, s, e) >= 0;
  }
}

/**
 * Calls `hit(row)` once for every data row (of the first `rowCount`) whose bytes contain the needle,
 * in ascending order: each segment of the text searched in one go.
 */
export function rowsContaining(
  data: Pick<TableData, 'segments' | 'segmentRows' | 'rowStarts'>,
  rowCount: number,
  needle: Needle,
  hit: (row: number) => void,
): void {
  const segments = data.segments;
  for (let g = 0; g < segments.length; g++) {
    const first = data.segmentRows[g];
    const last = g + 1 < segments.length ? Math.min(rowCount, data.segmentRows[g + 1]) : rowCount;
    if (first < last) inSegment(segments[g], data.rowStarts, first, last, needle, hit);
  }
}

/** rowsContaining over rows [first, last), all in `bytes`. */
function inSegment(
  bytes: Uint8Array,
  rowStarts: Uint32Array,
  first: number,
  last: number,
  needle: Needle,
  hit: (row: number) => void,
): void {
  let row = first;
  let pos = rowStarts[first];
  const end = bytes.length;
  for (;;) {
    const at = needle.find(bytes, pos, end);
    if (at < 0) return;
    // the row holding `at`: the last row starting at or before it (hits move forward only)
    while (row + 1 < last && rowStarts[row + 1] <= at) row++;
    // a match that runs into the next row (a needle with a newline) still counts for this one
    hit(row);
    if (row + 1 >= last) return;
    row++;
    pos = rowStarts[row];
  }
}
