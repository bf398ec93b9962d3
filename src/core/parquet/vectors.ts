/**
 * Typed values handed to the table builder beside the text: as a column chunk is decoded into its
 * cell text (chunk.ts), its values are kept as numbers too (dictionary entries for strings), and a
 * row group's columns whose vectors they fill exactly as typing their text would (the same numbers,
 * booleans, dictionary codes in the same order) go straight into the table's vectors; the builder
 * then skips typing their text. A value whose text the loader would not read as the same number
 * (NaN, infinities, integers past 15 digits, timestamps outside years 0-9999 or finer than
 * microseconds) leaves its column chunk to the text path.
 */
import { BOOL_NULL } from '../load/cells';
import type { TableBuilder } from '../load/builder';
import type { VectorData } from '../load/table';
import type { DictEncoder } from '../load/dict';
import { type Cells, FIRST_DAY, Kind, LAST_DAY, QUOTE } from './cells';
import type { ChunkValues } from './groups';

const TWO32 = 4294967296;
const DAY_MS = 86_400_000;
/** 64-bit integers whose high word is in this range are exact as doubles (|x| < 2^53). */
const HI_SAFE = 0x200000;

/** Whether a column of this kind keeps typed values (dates and nanoseconds stay text only). */
function hasValues(kind: Kind): boolean {
  return kind !== Kind.Date && kind !== Kind.Nanos;
}

/** Starts a chunk's typed values: room for `rows` rows when its kind has them and they are `wanted`. */
export function startValues(c: Cells, kind: Kind, rows: number, wanted = true): void {
  c.typed = wanted && hasValues(kind);
  c.entries = 0;
  if (!c.typed) return;
  if (kind === Kind.String) {
    if (c.entry.length < rows) c.entry = new Int32Array(rows);
  } else if (c.num.length < rows) c.num = new Float64Array(rows);
}

/**
 * The number the loader reads from the text writeTimestamp writes for ms (an integer) and `sub`
 * (its `subDigits` digits below the millisecond): whole seconds, then the fraction's digits added
 * one by one as parseTimestamp adds them, so the two agree to the last bit. NaN outside years 0-9999.
 */
export function timeValue(ms: number, sub: number, subDigits: number): number {
  const day = Math.floor(ms / DAY_MS);
  if (day < FIRST_DAY || day > LAST_DAY) return NaN;
  const milli = ms - Math.floor(ms / 1000) * 1000;
  if (milli === 0 && sub === 0) return ms;
  let frac = 0;
  let scale = 1000;
  for (let p = 100; p >= 1; p /= 10) {
    scale /= 10;
    frac += (Math.floor(milli / p) % 10) * scale;
  }
  for (let p = 10 ** (subDigits - 1); p >= 1; p /= 10) {
    scale /= 10;
    frac += (Math.floor(sub / p) % 10) * scale;
  }
  return ms - milli + frac;
}

/**
 * `count` PLAIN values of a fixed-size kind at b[pos…] as numbers into out[0…] (booleans 0/1 from
 * bit 0 at pos). False when one has no exact typed form (the chunk's text is typed instead).
 */
export function plainValues(kind: Kind, b: Uint8Array, pos: number, count: number, out: Float64Array): boolean {
  if (kind === Kind.Boolean) {
    for (let i = 0; i < count; i++) out[i] = (b[pos + (i >> 3)] >> (i & 7)) & 1;
    return true;
  }
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < count; i++) {
    let v: number;
    switch (kind) {
      case Kind.Int32:
        v = dv.getInt32(pos + 4 * i, true);
        break;
      case Kind.Float:
        v = dv.getFloat32(pos + 4 * i, true) + 0; // -0 is written 0
        break;
      case Kind.Double:
        v = dv.getFloat64(pos + 8 * i, true) + 0;
        break;
      default: {
        const hi = dv.getInt32(pos + 8 * i + 4, true);
        if (hi < -HI_SAFE || hi >= HI_SAFE) return false;
        const x = hi * TWO32 + dv.getUint32(pos + 8 * i, true);
        if (kind === Kind.Int64) v = x;
        else if (kind === Kind.Millis) v = timeValue(x, 0, 0);
        else if (kind === Kind.Micros) {
          // as writeTime splits it: the division may round across a whole millisecond
          let ms = Math.floor(x / 1000);
          let sub = x - ms * 1000;
          if (sub < 0) {
            ms -= 1;
            sub += 1000;
          } else if (sub >= 1000) {
            ms += 1;
            sub -= 1000;
          }
          v = timeValue(ms, sub, 3);
        } else return false;
      }
    }
    if (v - v !== 0) return false; // NaN or an infinity: text the loader does not read as a number
    out[i] = v;
  }
  return true;
}

/**
 * A data page's values to their rows [row, row + count): `values` by value (numbers, or a string's
 * dictionary entries; null for strings not from a dictionary), NULL where `defs` says so.
 */
export function spreadValues(
  c: Cells,
  kind: Kind,
  row: number,
  count: number,
  defs: Uint8Array | null,
  values: Float64Array | Int32Array | null,
): void {
  if (kind === Kind.String) {
    const entry = c.entry;
    for (let i = 0, j = 0; i < count; i++) entry[row + i] = defs && defs[i] === 0 ? -1 : values ? values[j++] : -1;
    return;
  }
  const num = c.num;
  if (!defs) num.set((values as Float64Array).subarray(0, count), row);
  else for (let i = 0, j = 0; i < count; i++) num[row + i] = defs[i] === 0 ? NaN : values![j++];
}

let codes = new Int32Array(1024);

/** A string column's dictionary codes for its first `rows` rows into data[at…]; false on a column too varied for codes. */
function dictCodes(c: ChunkValues, dict: DictEncoder, data: Uint16Array, at: number, rows: number): boolean {
  if (codes.length < c.entries) codes = new Int32Array(c.entries * 2);
  codes.fill(-1, 0, c.entries);
  const cells = c.at;
  const text = c.text;
  const entry = c.entry;
  for (let r = 0; r < rows; r++) {
    const len = cells[2 * r + 1];
    if (len < 0) {
      data[at + r] = 0xffff; // NULL
      continue;
    }
    const e = entry[r];
    let code = e >= 0 ? codes[e] : -1;
    if (code < 0) {
      const s = cells[2 * r];
      // each dictionary entry is coded where a row first uses it, so codes come in the text path's order
      code = dict.encode(text, s, s + len, text[s] === QUOTE);
      if (code === -2) return false;
      if (e >= 0) codes[e] = code;
    }
    data[at + r] = code;
  }
  return true;
}

/** Fills a vector's rows [at, at + rows) from a chunk's typed values; false when they do not fit its kind. */
function fill(c: ChunkValues, kind: Kind, v: VectorData, dict: DictEncoder | null, at: number, rows: number): boolean {
  const num = c.num;
  switch (v.kind) {
    case 'time':
      if (kind !== Kind.Millis && kind !== Kind.Micros) return false;
      (v.data as Float64Array).set(num.subarray(0, rows), at);
      return true;
    case 'float':
    case 'int': {
      if (kind !== Kind.Int32 && kind !== Kind.Int64 && kind !== Kind.Float && kind !== Kind.Double) return false;
      if (v.kind === 'int' && kind !== Kind.Int32)
        for (let r = 0; r < rows; r++) {
          // an integer column reads integers of at most 15 digits
          const x = num[r];
          if (x === x && !(Math.abs(x) < 1e15 && Math.floor(x) === x)) return false;
        }
      (v.data as Float64Array).set(num.subarray(0, rows), at);
      return true;
    }
    case 'bool': {
      if (kind !== Kind.Boolean) return false;
      const data = v.data as Uint8Array;
      for (let r = 0; r < rows; r++) data[at + r] = num[r] === num[r] ? num[r] : BOOL_NULL;
      return true;
    }
    case 'dict':
      return kind === Kind.String && dict !== null && dictCodes(c, dict, v.data as Uint16Array, at, rows);
    default:
      return false;
  }
}

/** Column chunks whose values were handed over (tests check the typed path is taken). */
export const handedOver = { chunks: 0 };

/**
 * A row group's typed values into the builder's vectors, before its rows are added: `values[k]` is
 * column k's (null: none, its text is typed), `room` the rows the table is likely to hold from here
 * (so the vectors grow once). Columns left out are typed from their text.
 */
export function handOver(
  builder: TableBuilder,
  values: readonly (ChunkValues | null)[],
  rows: number,
  room: number,
): void {
  const given = new Uint8Array(values.length);
  for (let k = 0; k < values.length; k++) {
    const c = values[k];
    if (c === null) continue;
    const { vector, dict } = builder.reserveRows(Math.max(rows, room), k);
    if (vector && fill(c, c.kind, vector, dict, builder.rowCount, rows)) {
      given[k] = 1;
      handedOver.chunks++;
    }
  }
  builder.give(given);
}
