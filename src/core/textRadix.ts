/**
 * Ordering texts read straight from the export's bytes (see textSort.ts): the cells of one column
 * and a most-significant-digit radix sort over them, four UTF-16 code units per pass.
 */
import { fieldText, QUOTE } from './cells';

/** Groups this small are finished by insertion sort, comparing unit by unit. */
const SMALL = 24;
const UNITS = 4;
/** A unit too large for 8 bits: packed as 255 and the group compared as whole strings. */
const SATURATED = 255;

/** One column's cells: where each row's text is and how far it has been read. */
export class Cells {
  /** Per row: next byte to read (ASCII rows) or next unit index (string rows). */
  readonly pos: Float64Array;
  /** Per row: end of the field's text in the bytes (before a closing quote). */
  readonly end: Float64Array;
  /** Per row: 1 when the field is quoted (`""` reads as one quote). */
  readonly quoted: Uint8Array;
  /** Rows holding non-ASCII bytes, as strings (read with charCodeAt); `isString` marks them. */
  readonly strings = new Map<number, string>();
  readonly isString: Uint8Array;

  constructor(readonly bytes: Uint8Array, n: number) {
    this.pos = new Float64Array(n);
    this.end = new Float64Array(n);
    this.quoted = new Uint8Array(n);
    this.isString = new Uint8Array(n);
  }

  /** The row's text from here on as a string, its reading position becomes `units`. */
  toString(row: number, start: number, units: number): string {
    const s = this.strings.get(row);
    if (s !== undefined) return s;
    const q = this.quoted[row] === 1;
    const text = fieldText(this.bytes, q ? start - 1 : start, q ? this.end[row] + 1 : this.end[row], q);
    this.strings.set(row, text);
    this.isString[row] = 1;
    this.pos[row] = units;
    return text;
  }
}

/** Sorts rows ascending by their text, from each row's reading position in `cells` on. */
export class TextSorter {
  private readonly keys: BigUint64Array;
  private readonly words: Uint32Array;
  private readonly tmp: Uint32Array;
  private readonly equal: Uint8Array;
  /** The pending groups: lo, hi, depth (units already equal). */
  private readonly stack: number[] = [];

  constructor(
    private readonly cells: Cells,
    private readonly starts: Float64Array,
    private readonly order: Uint32Array,
  ) {
    this.keys = new BigUint64Array(order.length);
    this.words = new Uint32Array(this.keys.buffer);
    this.tmp = new Uint32Array(order.length);
    this.equal = new Uint8Array(order.length);
  }

  /** Sorts order[0, count); per position, 1 when the text equals the one before it. */
  sortAll(count: number): Uint8Array {
    if (count > 1) this.stack.push(0, count, 0);
    while (this.stack.length) {
      const depth = this.stack.pop()!;
      const hi = this.stack.pop()!;
      const lo = this.stack.pop()!;
      if (hi - lo <= SMALL) this.insertionSort(lo, hi, depth);
      else this.pass(lo, hi, depth);
    }
    return this.equal;
  }

  /** The row's text from its reading position as a string (decoded whole the first time). */
  private text(row: number, depth: number): string {
    const cells = this.cells;
    return cells.isString[row] === 1 ? cells.strings.get(row)! : cells.toString(row, this.starts[row], depth);
  }

  /** The next four units of a row packed big-end first (unit + 1, 0 past the end), advancing it. */
  private chunk(row: number, depth: number): number {
    const cells = this.cells;
    if (cells.isString[row] === 0) {
      const b = cells.bytes;
      let p = cells.pos[row];
      const end = cells.end[row];
      const q = cells.quoted[row] === 1;
      let c = 0;
      let k = 0;
      for (; k < UNITS && p < end; k++) {
        const u = b[p];
        if (u >= 0x80) break;
        p += q && u === QUOTE && p + 1 < end && b[p + 1] === QUOTE ? 2 : 1;
        c = c * 256 + u + 1;
      }
      if (k === UNITS || p >= end) {
        cells.pos[row] = p;
        for (; k < UNITS; k++) c *= 256;
        return c;
      }
    }
    // non-ASCII: read as a string from here on; a unit past 8 bits packs as SATURATED and ends the key
    const str = this.text(row, depth);
    let c = 0;
    let i = cells.pos[row];
    let saturated = false;
    for (let k = 0; k < UNITS; k++, i++) {
      const u = i < str.length && !saturated ? str.charCodeAt(i) + 1 : 0;
      if (u >= SATURATED) saturated = true;
      c = c * 256 + (u >= SATURATED ? SATURATED : u);
    }
    cells.pos[row] = i;
    return c;
  }

  private pass(lo: number, hi: number, depth: number): void {
    const order = this.order;
    const words = this.words;
    let first = -1;
    let same = true;
    for (let i = lo; i < hi; i++) {
      const c = this.chunk(order[i], depth);
      words[2 * i] = i - lo;
      words[2 * i + 1] = c;
      if (i === lo) first = c;
      else if (c !== first) same = false;
    }
    if (same) {
      // the whole group shares these units: skip what else it shares, then go on
      if (this.finished(lo, hi, first)) return;
      this.stack.push(lo, hi, depth + UNITS + this.skipShared(lo, hi));
      return;
    }
    this.keys.subarray(lo, hi).sort();
    const tmp = this.tmp;
    for (let i = lo; i < hi; i++) tmp[i] = order[lo + words[2 * i]];
    order.set(tmp.subarray(lo, hi), lo);
    // groups still tied after these four units
    let g = lo;
    while (g < hi) {
      const c = words[2 * g + 1];
      let h = g + 1;
      while (h < hi && words[2 * h + 1] === c) h++;
      if (h - g > 1 && !this.finished(g, h, c)) this.stack.push(g, h, depth + UNITS);
      g = h;
    }
  }

  /** Whether a group equal in its last four units (packed as `c`) needs no further pass. */
  private finished(lo: number, hi: number, c: number): boolean {
    for (let k = 0; k < UNITS; k++) {
      if (((c >>> (8 * k)) & 0xff) === SATURATED) {
        this.sortStrings(lo, hi);
        return true;
      }
    }
    if ((c & 0xff) !== 0) return false;
    // the texts ended within these units: all equal
    this.equal.fill(1, lo + 1, hi);
    return true;
  }

  /**
   * A group whose texts all go on from their reading positions: the number of units from there that every text of
   * the group shares (stopping at the first row read as a string), and each row moved past them.
   */
  private skipShared(lo: number, hi: number): number {
    const cells = this.cells;
    const b = cells.bytes;
    const order = this.order;
    for (let i = lo; i < hi; i++) if (cells.isString[order[i]] === 1) return 0;
    // the first row's next units, against which the others are held
    const ref = order[lo];
    const refQ = cells.quoted[ref] === 1;
    const refEnd = cells.end[ref];
    const units: number[] = [];
    for (let p = cells.pos[ref]; p < refEnd && units.length < 4096;) {
      const u = b[p];
      if (u >= 0x80) break;
      units.push(u);
      p += refQ && u === QUOTE && p + 1 < refEnd && b[p + 1] === QUOTE ? 2 : 1;
    }
    let shared = units.length;
    for (let i = lo + 1; i < hi && shared > 0; i++) {
      const r = order[i];
      const q = cells.quoted[r] === 1;
      const end = cells.end[r];
      let p = cells.pos[r];
      let k = 0;
      while (k < shared && p < end) {
        const u = b[p];
        if (u !== units[k]) break;
        p += q && u === QUOTE && p + 1 < end && b[p + 1] === QUOTE ? 2 : 1;
        k++;
      }
      shared = k;
    }
    if (shared === 0) return 0;
    for (let i = lo; i < hi; i++) {
      const r = order[i];
      if (cells.quoted[r] === 0) {
        cells.pos[r] += shared;
        continue;
      }
      const end = cells.end[r];
      let p = cells.pos[r];
      for (let k = 0; k < shared; k++) p += b[p] === QUOTE && p + 1 < end && b[p + 1] === QUOTE ? 2 : 1;
      cells.pos[r] = p;
    }
    return shared;
  }

  /** Compares the texts of two rows from their reading positions on (both at the same depth). */
  private compare(x: number, y: number, depth: number): number {
    const cells = this.cells;
    const b = cells.bytes;
    const sx = cells.isString[x] === 1 ? cells.strings.get(x) : undefined;
    const sy = cells.isString[y] === 1 ? cells.strings.get(y) : undefined;
    let px = cells.pos[x];
    let py = cells.pos[y];
    const ex = sx === undefined ? cells.end[x] : sx.length;
    const ey = sy === undefined ? cells.end[y] : sy.length;
    const qx = cells.quoted[x] === 1;
    const qy = cells.quoted[y] === 1;
    for (;;) {
      if (px >= ex || py >= ey) {
        if (px >= ex && py >= ey) return 0;
        return px >= ex ? -1 : 1;
      }
      let ux: number;
      if (sx === undefined) {
        ux = b[px];
        if (ux >= 0x80) {
          this.text(x, depth);
          return this.compare(x, y, depth);
        }
        px += qx && ux === QUOTE && px + 1 < ex && b[px + 1] === QUOTE ? 2 : 1;
      } else ux = sx.charCodeAt(px++);
      let uy: number;
      if (sy === undefined) {
        uy = b[py];
        if (uy >= 0x80) {
          this.text(y, depth);
          return this.compare(x, y, depth);
        }
        py += qy && uy === QUOTE && py + 1 < ey && b[py + 1] === QUOTE ? 2 : 1;
      } else uy = sy.charCodeAt(py++);
      if (ux !== uy) return ux < uy ? -1 : 1;
    }
  }

  private insertionSort(lo: number, hi: number, depth: number): void {
    const order = this.order;
    for (let i = lo + 1; i < hi; i++) {
      const r = order[i];
      let j = i - 1;
      while (j >= lo && this.compare(order[j], r, depth) > 0) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = r;
    }
    // stable: equal texts kept their order (ascending rows)
    for (let i = lo + 1; i < hi; i++) if (this.compare(order[i - 1], order[i], depth) === 0) this.equal[i] = 1;
  }

  /** Whole-string comparison for a group with units past 8 bits (they share every unit before). */
  private sortStrings(lo: number, hi: number): void {
    const strings = this.cells.strings;
    const part = Array.from(this.order.subarray(lo, hi));
    part.sort((x, y) => {
      const a = strings.get(x)!;
      const c = strings.get(y)!;
      return a < c ? -1 : a > c ? 1 : x - y;
    });
    this.order.set(part, lo);
    for (let i = 1; i < part.length; i++) if (strings.get(part[i - 1]) === strings.get(part[i])) this.equal[lo + i] = 1;
  }
}
