/**
 * Ordering texts read straight from the export's bytes (see textSort.ts): the distinct texts of one
 * column and a most-significant-digit radix sort over them, four UTF-16 code units per pass.
 *
 * A value's bytes lie anywhere in the export, and fetching them from memory is most of what a pass
 * costs. So each value's first sixteen units are packed while it is collected (its bytes are at
 * hand then), and the passes that need no more than those take them from there. Other passes fetch
 * a group's bytes all at once before reading them, so the waits overlap instead of following one
 * another. (Keeping the next sixteen whenever a pass reads bytes does not pay: a group found equal
 * in its units skips what it shares, past what was kept.)
 */
import { QUOTE } from '../load/cells';
import { type Cells, hasQuote, KEPT, KEPT_UNITS, ONES, UNITS } from './textCells';

/** Groups this small are finished by insertion sort, comparing unit by unit. */
const SMALL = 24;
/** A unit too large for 8 bits: packed as 255 and the group compared as whole strings. */
const SATURATED = 255;

/** Sorts values ascending by their text, comparing from a group's depth (units already equal) on. */
export class TextSorter {
  private readonly keys: BigUint64Array;
  private readonly words: Uint32Array;
  private readonly tmp: Uint32Array;
  private readonly equal: Uint8Array;
  /** The pending groups: lo, hi, depth (units already equal). */
  private readonly stack: number[] = [];
  private touched = 0;

  constructor(
    private readonly cells: Cells,
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
      // a small group: past what it shares (its texts often share much), then by insertion
      if (hi - lo <= SMALL) this.insertionSort(lo, hi, this.skipShared(lo, hi, depth));
      else this.pass(lo, hi, depth);
    }
    return this.equal;
  }

  /** The value's text as a string (decoded whole the first time). */
  private text(v: number): string {
    const cells = this.cells;
    return cells.isString[v] === 1 ? cells.strings.get(v)! : cells.toString(v);
  }

  /**
   * The byte where a value read as bytes is after `depth` units, moving it there. The units skipped
   * were compared already (as bytes, or from kept units), so they are ASCII: one byte each unless
   * a doubled quote.
   */
  private seek(v: number, depth: number): number {
    const cells = this.cells;
    let p = cells.pos[v];
    let k = cells.read[v];
    if (k === depth) return p;
    const end = cells.end[v];
    if (cells.quoted[v] === 0) p = Math.min(end, p + depth - k);
    else {
      const b = cells.bytes;
      while (k < depth && p < end) {
        if (k + 4 <= depth && p + 4 <= end && !hasQuote(cells.dv.getInt32(p, true))) {
          p += 4;
          k += 4;
          continue;
        }
        p += b[p] === QUOTE && p + 1 < end && b[p + 1] === QUOTE ? 2 : 1;
        k++;
      }
    }
    cells.pos[v] = p;
    cells.read[v] = depth;
    return p;
  }

  /**
   * Reads a byte of each value of order[lo, hi) where it is being read, for those whose units from
   * `depth` on are not kept (all of them for depth -1): fetching them all at once, not one by one.
   */
  private touch(lo: number, hi: number, depth: number): void {
    const cells = this.cells;
    const b = cells.bytes;
    const order = this.order;
    let x = 0;
    for (let i = lo; i < hi; i++) {
      const v = order[i];
      if (depth < 0 || depth > KEPT_UNITS - UNITS || cells.kept[v] === 0) x ^= b[cells.pos[v]];
    }
    this.touched ^= x; // (kept, so the reads are not left out)
  }

  /** Units depth… of a value packed big-end first (unit + 1, 0 past the end). */
  private chunk(v: number, depth: number): number {
    const cells = this.cells;
    if (depth < KEPT_UNITS && cells.kept[v] === 1) {
      const w = v * KEPT + (depth >> 2);
      const shift = 8 * (depth & 3);
      if (shift === 0) return cells.units[w];
      if ((depth >> 2) + 1 < KEPT) return ((cells.units[w] << shift) | (cells.units[w + 1] >>> (32 - shift))) >>> 0;
    }
    if (cells.isString[v] === 0) {
      const b = cells.bytes;
      let p = this.seek(v, depth);
      const end = cells.end[v];
      const q = cells.quoted[v] === 1;
      if (p + 4 <= end) {
        // four ASCII bytes (and no quote, in a quoted field) are four units: each byte plus one
        const x = cells.dv.getInt32(p, false);
        if ((x & 0x80808080) === 0 && !(q && hasQuote(x))) {
          cells.pos[v] = p + 4;
          cells.read[v] = depth + UNITS;
          return x + ONES;
        }
      }
      let c = 0;
      let k = 0;
      for (; k < UNITS && p < end; k++) {
        const u = b[p];
        if (u >= 0x80) break;
        p += q && u === QUOTE && p + 1 < end && b[p + 1] === QUOTE ? 2 : 1;
        c = c * 256 + u + 1;
      }
      if (k === UNITS || p >= end) {
        cells.pos[v] = p;
        cells.read[v] = depth + UNITS;
        for (; k < UNITS; k++) c *= 256;
        return c;
      }
    }
    // non-ASCII: read as a string; a unit past 8 bits packs as SATURATED and ends the key
    const str = this.text(v);
    let c = 0;
    let saturated = false;
    for (let k = 0, i = depth; k < UNITS; k++, i++) {
      const u = i < str.length && !saturated ? str.charCodeAt(i) + 1 : 0;
      if (u >= SATURATED) saturated = true;
      c = c * 256 + (u >= SATURATED ? SATURATED : u);
    }
    return c;
  }

  private pass(lo: number, hi: number, depth: number): void {
    const order = this.order;
    const words = this.words;
    let first = -1;
    let same = true;
    this.touch(lo, hi, depth);
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
      this.stack.push(lo, hi, this.skipShared(lo, hi, depth + UNITS));
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
   * A group whose texts all go on after `depth` units: the depth to go on from, past the units every
   * text of the group shares from there (none when a value of the group is read as a string). The
   * shared part is found on the bytes as written, four at a time: the same bytes are the same units
   * when the values are quoted alike (else the part compared stops at a quote).
   */
  private skipShared(lo: number, hi: number, depth: number): number {
    const cells = this.cells;
    const b = cells.bytes;
    const dv = cells.dv;
    const order = this.order;
    const ref = order[lo];
    const q = cells.quoted[ref];
    let mixed = false;
    for (let i = lo; i < hi; i++) {
      const v = order[i];
      if (cells.isString[v] === 1) return depth;
      if (cells.quoted[v] !== q) mixed = true;
    }
    this.touch(lo, hi, -1);
    // the first value's ASCII bytes from here (without quotes when the group mixes quoting)
    const from = this.seek(ref, depth);
    const end = cells.end[ref];
    let to = from;
    while (to + 4 <= end) {
      const w = dv.getInt32(to, true);
      if ((w & 0x80808080) !== 0 || (mixed && hasQuote(w))) break;
      to += 4;
    }
    while (to < end && b[to] < 0x80 && !(mixed && b[to] === QUOTE)) to++;
    // how far the others agree with it (their positions kept in the key words, free here)
    let n = to - from;
    const words = this.words;
    for (let i = lo + 1; i < hi && n > 0; i++) {
      const v = order[i];
      const p = this.seek(v, depth);
      const m = Math.min(n, cells.end[v] - p);
      let k = 0;
      while (k + 4 <= m && dv.getInt32(from + k, true) === dv.getInt32(p + k, true)) k += 4;
      while (k < m && b[from + k] === b[p + k]) k++;
      n = k;
      words[2 * i] = p;
    }
    // the units in those bytes: a doubled quote is one (and is not cut in two)
    let units = 0;
    let bytes = 0;
    while (bytes < n) {
      const step =
        q === 1 && b[from + bytes] === QUOTE && from + bytes + 1 < end && b[from + bytes + 1] === QUOTE ? 2 : 1;
      if (bytes + step > n) break;
      bytes += step;
      units++;
    }
    if (units === 0) return depth;
    for (let i = lo; i < hi; i++) {
      const v = order[i];
      cells.pos[v] = (i === lo ? from : words[2 * i]) + bytes;
      cells.read[v] = depth + units;
    }
    return depth + units;
  }

  /** Compares the texts of two values after the `depth` units they share. */
  private compare(x: number, y: number, depth: number): number {
    const cells = this.cells;
    const b = cells.bytes;
    const sx = cells.isString[x] === 1 ? cells.strings.get(x) : undefined;
    const sy = cells.isString[y] === 1 ? cells.strings.get(y) : undefined;
    let px = sx === undefined ? this.seek(x, depth) : depth;
    let py = sy === undefined ? this.seek(y, depth) : depth;
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
          this.text(x);
          return this.compare(x, y, depth);
        }
        px += qx && ux === QUOTE && px + 1 < ex && b[px + 1] === QUOTE ? 2 : 1;
      } else ux = sx.charCodeAt(px++);
      let uy: number;
      if (sy === undefined) {
        uy = b[py];
        if (uy >= 0x80) {
          this.text(y);
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
      const v = order[i];
      let j = i - 1;
      while (j >= lo && this.compare(order[j], v, depth) > 0) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = v;
    }
    // stable: equal texts kept their order
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
