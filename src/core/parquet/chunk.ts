/**
 * One column chunk of a flat column (one row group's values) decoded into its cell text: pages v1
 * and v2, uncompressed or Snappy, PLAIN values, dictionary pages with RLE_DICTIONARY or
 * PLAIN_DICTIONARY indices, RLE booleans, definition levels of an optional column. Anything else
 * is Unsupported, and the caller reads the chunk another way.
 */
import { type Cells, Kind, plainCells } from './cells';
import {
  DATA_PAGE,
  DATA_PAGE_V2,
  DICTIONARY_PAGE,
  PLAIN,
  PLAIN_DICTIONARY,
  readHybrid,
  readPageHeader,
  RLE,
  RLE_DICTIONARY,
  Unsupported,
} from './pages';
import { snappyInto } from './snappy';
import { plainValues, spreadValues, startValues } from './vectors';

export interface ChunkPlan {
  readonly kind: Kind;
  /** 1 for an optional column (definition levels), 0 for a required one. */
  readonly maxDef: 0 | 1;
  readonly codec: 'UNCOMPRESSED' | 'SNAPPY';
  /** The texts of true and false. */
  readonly booleans: readonly [string, string];
}

/** Scratch arrays shared by every chunk (one chunk is decoded at a time). */
let scratch = new Uint8Array(1 << 20);
let defs = new Uint8Array(1 << 16);
let idx = new Int32Array(1 << 16);
let vStart = new Int32Array(1 << 16);
let vLen = new Int32Array(1 << 16);
/** Values as numbers (vectors.ts), by value. */
let vNum = new Float64Array(1 << 16);

function room(n: number): void {
  if (defs.length >= n) return;
  const size = Math.max(n, defs.length * 2);
  defs = new Uint8Array(size);
  idx = new Int32Array(size);
  vStart = new Int32Array(size);
  vLen = new Int32Array(size);
  vNum = new Float64Array(size);
}

/**
 * A page's data, uncompressed: strings into the cells' own text (so that those needing no quotes
 * stay where they are), other kinds into scratch space.
 */
function inflate(plan: ChunkPlan, b: Uint8Array, size: number, c: Cells): Uint8Array {
  if (plan.kind === Kind.String) {
    const at = c.page(size);
    const out = c.text.subarray(at, at + size);
    if (plan.codec === 'UNCOMPRESSED') {
      if (b.length !== size) throw new Error('an uncompressed page is not its stated size');
      out.set(b);
    } else snappyInto(b, out);
    return out;
  }
  if (plan.codec === 'UNCOMPRESSED') {
    if (b.length !== size) throw new Error('an uncompressed page is not its stated size');
    return b;
  }
  if (scratch.length < size) scratch = new Uint8Array(Math.max(size, scratch.length * 2));
  const out = scratch.subarray(0, size);
  snappyInto(b, out);
  return out;
}

/**
 * Decodes the chunk's first `rows` values into `c` (reset for them); `size` is its uncompressed size.
 * `keep`: whether its typed values are kept too (a string column's only when they go to a dictionary).
 */
export function decodeChunk(
  chunk: Uint8Array,
  plan: ChunkPlan,
  rows: number,
  size: number,
  c: Cells,
  keep = true,
): void {
  // strings: their pages, and room for quotes; other kinds: their text, about as long as a timestamp's
  // a string column whose text only the rows read keeps its strings raw, quoted as the rows are made
  const raw = plan.kind === Kind.String && !keep;
  c.reset(rows, plan.kind === Kind.String ? Math.ceil(size * (raw ? 1.05 : 2.5)) : rows * 28);
  c.raw = raw;
  const kind = plan.kind;
  startValues(c, kind, rows, keep);
  // booleans' two texts, written once: [start of true, its length, start of false, its length]
  const bool = [0, 0, 0, 0];
  if (kind === Kind.Boolean) {
    c.ascii(plan.booleans[0]);
    bool[1] = c.n;
    bool[2] = c.n;
    c.ascii(plan.booleans[1]);
    bool[3] = c.n - bool[2];
  }
  let dictStart: Int32Array | null = null;
  let dictLen: Int32Array | null = null;
  let dictNum: Float64Array | null = null;
  let pos = 0;
  let row = 0;
  while (row < rows) {
    if (pos >= chunk.length) throw new Error(`the column chunk ends after ${row} of its ${rows} rows`);
    const h = readPageHeader(chunk, pos);
    const body = h.dataStart;
    const next = body + h.compressed;
    if (next > chunk.length) throw new Error('a page runs past its column chunk');
    pos = next;
    if (h.type === DICTIONARY_PAGE) {
      if (h.encoding !== PLAIN && h.encoding !== PLAIN_DICTIONARY) throw new Unsupported('dictionary encoding');
      const data = inflate(plan, chunk.subarray(body, next), h.uncompressed, c);
      dictStart = new Int32Array(h.values);
      dictLen = new Int32Array(h.values);
      plainCells(kind, data, 0, data.length, h.values, c, dictStart, dictLen, 0, bool);
      if (kind === Kind.String) c.entries = h.values;
      else if (c.typed) c.typed = plainValues(kind, data, 0, h.values, (dictNum = new Float64Array(h.values)));
      continue;
    }
    if (h.type !== DATA_PAGE && h.type !== DATA_PAGE_V2) continue; // an index page
    const count = Math.min(h.values, rows - row);
    room(h.values);
    let data: Uint8Array;
    let p = 0;
    if (h.type === DATA_PAGE) {
      data = inflate(plan, chunk.subarray(body, next), h.uncompressed, c);
      if (plan.maxDef) {
        if (h.levelEncoding !== RLE) throw new Unsupported('bit-packed levels');
        if (data.length < 4) throw new Error('definition levels cut off');
        const len = (data[0] | (data[1] << 8) | (data[2] << 16) | (data[3] << 24)) >>> 0;
        if (4 + len > data.length) throw new Error('definition levels run past their page');
        readHybrid(data, 4, 4 + len, 1, h.values, defs, 0);
        p = 4 + len;
      }
    } else {
      if (h.repBytes !== 0) throw new Unsupported('repetition levels');
      const levels = body + h.defBytes;
      if (levels > next) throw new Error('definition levels run past their page');
      if (plan.maxDef) readHybrid(chunk, body, levels, 1, h.values, defs, 0);
      data = h.compressedValues
        ? inflate(plan, chunk.subarray(levels, next), h.uncompressed - h.defBytes, c)
        : chunk.subarray(levels, next);
    }
    let present = count;
    if (plan.maxDef) {
      present = 0;
      for (let i = 0; i < count; i++) present += defs[i];
    }
    const end = data.length;
    // the values as numbers, or a string's dictionary entries (none for plain strings)
    let values: Float64Array | Int32Array | null = kind === Kind.String ? null : vNum;
    if (h.encoding === PLAIN) {
      plainCells(kind, data, p, end, present, c, vStart, vLen, 0, bool);
      if (c.typed && kind !== Kind.String) c.typed = plainValues(kind, data, p, present, vNum);
    } else if (h.encoding === RLE_DICTIONARY || h.encoding === PLAIN_DICTIONARY) {
      if (!dictStart || !dictLen) throw new Error('dictionary indices without a dictionary page');
      if (present > 0) {
        if (p >= end) throw new Error('dictionary indices cut off');
        readHybrid(data, p + 1, end, data[p], present, idx, 0);
      }
      const n = dictStart.length;
      for (let i = 0; i < present; i++) {
        const k = idx[i];
        if (k >= n) throw new Error(`dictionary index ${k} past the dictionary's ${n} entries`);
        vStart[i] = dictStart[k];
        vLen[i] = dictLen[k];
      }
      if (kind === Kind.String) values = idx;
      else if (dictNum) for (let i = 0; i < present; i++) vNum[i] = dictNum[idx[i]];
    } else if (h.encoding === RLE && kind === Kind.Boolean) {
      // RLE booleans: a 4-byte length, then the hybrid of width 1
      if (p + 4 > end) throw new Error('boolean values cut off');
      readHybrid(data, p + 4, end, 1, present, idx, 0);
      for (let i = 0; i < present; i++) {
        vStart[i] = idx[i] ? bool[0] : bool[2];
        vLen[i] = idx[i] ? bool[1] : bool[3];
        vNum[i] = idx[i];
      }
    } else throw new Unsupported(`encoding ${h.encoding}`);
    // the values to their rows, NULL where a definition level says so
    const at = c.at;
    if (plan.maxDef) {
      let j = 0;
      for (let i = 0; i < count; i++) {
        const r = 2 * (row + i);
        if (defs[i]) {
          at[r] = vStart[j];
          at[r + 1] = vLen[j];
          j++;
        } else at[r + 1] = -1;
      }
    } else
      for (let i = 0; i < count; i++) {
        at[2 * (row + i)] = vStart[i];
        at[2 * (row + i) + 1] = vLen[i];
      }
    if (c.typed) spreadValues(c, kind, row, count, plan.maxDef ? defs : null, values);
    row += count;
  }
}
