/**
 * One column of one row group as the export's cell text: every row's cell is a byte range of one
 * buffer (a dictionary's entries are written once and shared by the rows that use them), or NULL.
 * The text is what a CSV delivery of the same rows holds, so the table, the validator, the grid and
 * the measures read Parquet exactly as they read CSV: strings as they are (quoted only where RFC
 * 4180 needs it, an empty string as `""`), timestamps as `YYYY-MM-DD HH:MM:SS` (with the sub-second
 * digits the column's unit holds, when they are not zero), dates as `YYYY-MM-DD`, booleans as the
 * template version writes them (`t`/`f` before v4, `true`/`false` after), numbers in their
 * shortest form. Typed columns and all-string columns of the same data give the same text.
 */
import { writeDay, writeTimestamp } from './times';

export { dateText, FIRST_DAY, LAST_DAY, writeDay, writeTimestamp } from './times';

export const QUOTE = 0x22;
export const LF = 0x0a;
/**
 * A cell length with this bit set is a string that needs quotes, still raw where it is: its text is
 * a quote, its bytes with each quote doubled, and a quote, `length & LENGTH` bytes in all (the rows
 * are assembled from it, rows.ts). Only columns whose text nothing else reads have such cells (raw).
 */
export const ESCAPE = 0x40000000;
export const LENGTH = ESCAPE - 1;
const COMMA = 0x2c;
const CR = 0x0d;
/** The bytes that make a string field quoted. */
const SPECIAL = new Uint8Array(256);
SPECIAL[COMMA] = SPECIAL[CR] = SPECIAL[LF] = SPECIAL[QUOTE] = 1;

/** How a column's values become text (by physical and logical type). */
export const Kind = {
  String: 0,
  Int32: 1,
  Int64: 2,
  Float: 3,
  Double: 4,
  Boolean: 5,
  Date: 6,
  Millis: 7,
  Micros: 8,
  Nanos: 9,
} as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

export class Cells {
  text = new Uint8Array(1 << 16);
  /** Bytes of text written. */
  n = 0;
  /** Row r's cell is text[at[2r], at[2r] + at[2r + 1]); a length of -1 is NULL. */
  at = new Int32Array(0);
  /** Some cell holds a line break (inside its quotes). */
  lines = false;
  /** Strings that need quotes may stay raw, their length marked ESCAPE (set per column chunk). */
  raw = false;
  /**
   * Typed values beside the text (vectors.ts), when every value has one (`typed`): per row the
   * number (NaN: NULL), or a string's entry in the chunk's dictionary of `entries` (-1: none).
   */
  typed = false;
  num = new Float64Array(0);
  entry = new Int32Array(0);
  entries = 0;

  /** Ready for `rows` rows; `bytes` is a guess at their text, so the buffer grows once, not often. */
  reset(rows: number, bytes = 0): void {
    this.n = 0;
    this.lines = false;
    this.raw = false;
    this.typed = false;
    this.ensure(bytes);
    if (this.at.length < 2 * rows) this.at = new Int32Array(2 * rows);
  }

  /** The text as a DataView (rows are copied a word at a time: the text keeps 8 bytes spare at its end). */
  view = new DataView(this.text.buffer);

  ensure(extra: number): Uint8Array {
    if (this.n + extra + 8 > this.text.length) this.grow(extra);
    return this.text;
  }

  private grow(extra: number): void {
    const next = new Uint8Array(Math.max(this.n + extra + 8, this.text.length * 2));
    next.set(this.text.subarray(0, this.n));
    this.text = next;
    this.view = new DataView(next.buffer);
  }

  ascii(s: string): void {
    const t = this.ensure(s.length);
    let n = this.n;
    for (let i = 0; i < s.length; i++) t[n++] = s.charCodeAt(i);
    this.n = n;
  }

  /** Room for a page of `size` bytes at the end of the text; returns where it starts. */
  page(size: number): number {
    this.ensure(size);
    const at = this.n;
    this.n += size;
    return at;
  }

  /** A string field known to need quotes: quoted, inner quotes doubled, in one pass. */
  quoted(b: Uint8Array, s: number, e: number): void {
    const t = this.ensure(2 * (e - s) + 2);
    let n = this.n;
    t[n++] = QUOTE;
    // four bytes at a time while they hold no quote and no line feed (JSON has a quote every few words)
    const out = this.view;
    const from = b.buffer === t.buffer ? out : new DataView(b.buffer);
    const at = b.byteOffset;
    let i = s;
    for (; i + 4 <= e;) {
      const w = from.getInt32(at + i, true);
      const q = w ^ 0x22222222;
      const l = w ^ 0x0a0a0a0a;
      if ((((q - 0x01010101) & ~q) | ((l - 0x01010101) & ~l)) & 0x80808080) {
        for (const stop = i + 4; i < stop; i++) {
          const ch = b[i];
          t[n++] = ch;
          if (ch === QUOTE) t[n++] = QUOTE;
          else if (ch === LF) this.lines = true;
        }
      } else {
        out.setInt32(n, w, true);
        n += 4;
        i += 4;
      }
    }
    for (; i < e; i++) {
      const ch = b[i];
      t[n++] = ch;
      if (ch === QUOTE) t[n++] = QUOTE;
      else if (ch === LF) this.lines = true;
    }
    t[n++] = QUOTE;
    this.n = n;
  }

  /** A string field: as is, or quoted (inner quotes doubled) when it holds a comma, quote or line break. */
  field(b: Uint8Array, s: number, e: number): void {
    let quote = s === e; // "" is the empty string; an empty unquoted field is NULL
    let quotes = 0;
    for (let i = s; i < e; i++) {
      const c = b[i];
      if (c === COMMA || c === CR) quote = true;
      else if (c === LF) {
        quote = true;
        this.lines = true;
      } else if (c === QUOTE) {
        quote = true;
        quotes++;
      }
    }
    const t = this.ensure(e - s + quotes + 2);
    let n = this.n;
    if (quote) t[n++] = QUOTE;
    if (quotes === 0) {
      if (e - s < 32) for (let i = s; i < e; i++) t[n++] = b[i];
      else {
        t.set(b.subarray(s, e), n);
        n += e - s;
      }
    } else
      for (let i = s; i < e; i++) {
        if (b[i] === QUOTE) t[n++] = QUOTE;
        t[n++] = b[i];
      }
    if (quote) t[n++] = QUOTE;
    this.n = n;
  }
}

const TWO32 = 4294967296;

/** A 64-bit integer of timestamp `kind` (at b[p], little-endian) as text. */
function writeTime(c: Cells, dv: DataView, p: number, kind: Kind): void {
  const lo = dv.getUint32(p, true);
  const hi = dv.getInt32(p + 4, true);
  if (kind === Kind.Millis) {
    writeTimestamp(c, hi * TWO32 + lo, 0, 0);
    return;
  }
  const per = kind === Kind.Micros ? 1000 : 1_000_000;
  if (hi >= -0x200000 && hi < 0x200000) {
    // exact as a double: |x| < 2^53
    const x = hi * TWO32 + lo;
    let ms = Math.floor(x / per);
    let sub = x - ms * per;
    if (sub < 0) {
      ms -= 1;
      sub += per;
    } else if (sub >= per) {
      ms += 1;
      sub -= per;
    }
    writeTimestamp(c, ms, sub, kind === Kind.Micros ? 3 : 6);
    return;
  }
  const x = dv.getBigInt64(p, true);
  const bper = BigInt(per);
  let ms = x / bper;
  let sub = x - ms * bper;
  if (sub < 0n) {
    ms -= 1n;
    sub += bper;
  }
  writeTimestamp(c, Number(ms), Number(sub), kind === Kind.Micros ? 3 : 6);
}

/** Bytes a PLAIN value of a fixed-size kind takes (0: variable, or bits for booleans). */
export function plainSize(kind: Kind): number {
  switch (kind) {
    case Kind.Int32:
    case Kind.Float:
    case Kind.Date:
      return 4;
    case Kind.String:
    case Kind.Boolean:
      return 0;
    default:
      return 8;
  }
}

/**
 * Formats `count` PLAIN values at b[pos, end) into c's text; value i's cell goes to starts[at + i]
 * and lens[at + i]. Booleans are bits (from bit `pos`), their texts at c.text[0, …) already.
 * Returns where the values end.
 */
export function plainCells(
  kind: Kind,
  b: Uint8Array,
  pos: number,
  end: number,
  count: number,
  c: Cells,
  starts: Int32Array,
  lens: Int32Array,
  at: number,
  bool: readonly number[],
): number {
  if (kind === Kind.Boolean) {
    if (pos + ((count + 7) >> 3) > end) throw new Error('boolean values end early');
    for (let i = 0; i < count; i++) {
      const v = (b[pos + (i >> 3)] >> (i & 7)) & 1;
      starts[at + i] = v ? bool[0] : bool[2];
      lens[at + i] = v ? bool[1] : bool[3];
    }
    return pos + ((count + 7) >> 3);
  }
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (kind === Kind.String) {
    // a page inside c's own text: a string that needs no quotes is its cell where it is (one that
    // does too, in a raw column)
    const inPlace = b.buffer === c.text.buffer;
    const raw = inPlace && c.raw;
    const base = b.byteOffset - c.text.byteOffset;
    for (let i = 0; i < count; i++) {
      if (pos + 4 > end) throw new Error('string values end early');
      const len = dv.getUint32(pos, true);
      pos += 4;
      const e = pos + len;
      if (e > end) throw new Error('a string value runs past its page');
      let special = len === 0;
      for (let j = pos; j < e; j++)
        if (SPECIAL[b[j]] !== 0) {
          special = true;
          break;
        }
      if (!special && inPlace) {
        starts[at + i] = base + pos;
        lens[at + i] = len;
      } else if (raw && len < LENGTH >> 1) {
        let quotes = 0;
        for (let j = pos; j < e; j++) {
          const ch = b[j];
          if (ch === QUOTE) quotes++;
          else if (ch === LF) c.lines = true;
        }
        starts[at + i] = base + pos;
        lens[at + i] = (len + quotes + 2) | ESCAPE;
      } else {
        const s = c.n;
        if (special) c.quoted(b, pos, e);
        else c.field(b, pos, e);
        starts[at + i] = s;
        lens[at + i] = c.n - s;
      }
      pos = e;
    }
    return pos;
  }
  const size = plainSize(kind);
  if (pos + count * size > end) throw new Error('values end early');
  for (let i = 0; i < count; i++, pos += size) {
    const s = c.n;
    switch (kind) {
      case Kind.Int32:
        c.ascii(String(dv.getInt32(pos, true)));
        break;
      case Kind.Float:
        c.ascii(String(dv.getFloat32(pos, true)));
        break;
      case Kind.Double:
        c.ascii(String(dv.getFloat64(pos, true)));
        break;
      case Kind.Date:
        writeDay(c, dv.getInt32(pos, true));
        break;
      case Kind.Int64: {
        const hi = dv.getInt32(pos + 4, true);
        const x = hi >= -0x200000 && hi < 0x200000 ? hi * TWO32 + dv.getUint32(pos, true) : dv.getBigInt64(pos, true);
        c.ascii(String(x));
        break;
      }
      default:
        writeTime(c, dv, pos, kind);
    }
    starts[at + i] = s;
    lens[at + i] = c.n - s;
  }
  return pos;
}
