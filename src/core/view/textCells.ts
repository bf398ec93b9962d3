/**
 * The distinct texts of a column being sorted (textSort.ts collects them, textRadix.ts orders them):
 * where each one's text lies in the export's bytes, how far it has been read, and its first units
 * packed while its bytes were at hand.
 */
import { bytesEqual, fieldText, QUOTE, wordsEqual } from '../load/cells';

export const UNITS = 4;
/** Words of units kept per value (KEPT * UNITS units). */
export const KEPT = 4;
export const KEPT_UNITS = KEPT * UNITS;
export const ONES = 0x01010101;
const QUOTES4 = QUOTE * ONES;

/** Whether any of the four bytes of w is a quote. */
export function hasQuote(w: number): boolean {
  const t = w ^ QUOTES4;
  return ((t - ONES) & ~t & 0x80808080) !== 0;
}

/**
 * The distinct texts of one column, numbered 0, 1, …, and how far each has been read: a value
 * whose bytes are read is at byte `pos` after `read` units (bytes are fetched only when needed, so
 * `read` can lag behind the units a pass has compared); a value with non-ASCII bytes becomes a
 * string, read at unit index = units compared.
 */
export class Cells {
  /** Per value: start and end of its text in the bytes (inside the quotes of a quoted field). */
  readonly start: Uint32Array;
  readonly end: Uint32Array;
  readonly pos: Uint32Array;
  readonly read: Uint32Array;
  /** Per value: 1 when the field is quoted (`""` reads as one quote). */
  readonly quoted: Uint8Array;
  /** Per value: its first KEPT_UNITS units packed as a pass packs them, when `kept` is 1 (none non-ASCII). */
  readonly units: Uint32Array;
  readonly kept: Uint8Array;
  /** Values holding non-ASCII bytes, as strings (read with charCodeAt); `isString` marks them. */
  readonly strings = new Map<number, string>();
  readonly isString: Uint8Array;
  /** The bytes the values' start and end point into, read by the passes once every value is set. */
  bytes: Uint8Array;
  dv: DataView;
  /** With copies: the bytes set() and same() read fields from (a segment of the text). */
  private source: Uint8Array;
  private used = 0;

  /**
   * @param copies the fields come from several buffers (the text's segments, see `from`): each
   * value's bytes are copied into one of the values' own.
   */
  constructor(
    bytes: Uint8Array,
    capacity: number,
    private readonly copies = false,
  ) {
    this.source = bytes;
    if (copies) bytes = new Uint8Array(1 << 16);
    this.bytes = bytes;
    this.start = new Uint32Array(capacity);
    this.end = new Uint32Array(capacity);
    this.pos = new Uint32Array(capacity);
    this.read = new Uint32Array(capacity);
    this.quoted = new Uint8Array(capacity);
    this.units = new Uint32Array(capacity * KEPT);
    this.kept = new Uint8Array(capacity);
    this.isString = new Uint8Array(capacity);
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** The fields set() and same() are given are in `b` from now on (with copies). */
  from(b: Uint8Array): void {
    this.source = b;
  }

  /** Value v is the text of the field at bytes [s, e), quotes included when `quoted` is 1. */
  set(v: number, s: number, e: number, quoted: number): void {
    if (this.copies) {
      const n = e - s;
      if (this.used + n > this.bytes.length) {
        const more = new Uint8Array(Math.max(2 * this.bytes.length, this.used + n));
        more.set(this.bytes.subarray(0, this.used));
        this.bytes = more;
        this.dv = new DataView(more.buffer);
      }
      this.bytes.set(this.source.subarray(s, e), this.used);
      s = this.used;
      e = this.used += n;
    }
    const ts = quoted ? s + 1 : s;
    const te = quoted ? e - 1 : e;
    this.start[v] = ts;
    this.pos[v] = ts;
    this.read[v] = 0;
    this.end[v] = te;
    this.quoted[v] = quoted;
    this.kept[v] = this.keep(v, ts) ? 1 : 0;
  }

  /** Packs the value's first units, its text starting at byte p; false at a non-ASCII byte. */
  private keep(v: number, p: number): boolean {
    const b = this.bytes;
    const end = this.end[v];
    const quoted = this.quoted[v] === 1;
    const at = v * KEPT;
    for (let w = 0; w < KEPT; w++) {
      if (p + 4 <= end) {
        // four ASCII bytes (and no quote, in a quoted field) are four units: each byte plus one
        const x = this.dv.getInt32(p, false);
        if ((x & 0x80808080) === 0 && !(quoted && hasQuote(x))) {
          this.units[at + w] = x + ONES;
          p += 4;
          continue;
        }
      }
      let c = 0;
      let k = 0;
      for (; k < UNITS && p < end; k++) {
        const u = b[p];
        if (u >= 0x80) return false;
        p += quoted && u === QUOTE && p + 1 < end && b[p + 1] === QUOTE ? 2 : 1;
        c = c * 256 + u + 1;
      }
      for (; k < UNITS; k++) c *= 256;
      this.units[at + w] = c;
    }
    return true;
  }

  /** Whether value v's field, written as bytes [s, e), is written as these (so it is the same text). */
  same(v: number, s: number, e: number): boolean {
    const q = this.quoted[v];
    const vs = this.start[v] - q;
    const ve = this.end[v] + q;
    if (this.copies) return bytesEqual(this.bytes, vs, ve, this.source, s, e);
    return ve - vs === e - s && wordsEqual(this.bytes, this.dv, vs, s, e - s);
  }

  /** The value's whole text as a string (kept; the value is read as a string from then on). */
  toString(v: number): string {
    const s = this.strings.get(v);
    if (s !== undefined) return s;
    const q = this.quoted[v] === 1;
    const start = this.start[v];
    const text = fieldText(this.bytes, q ? start - 1 : start, q ? this.end[v] + 1 : this.end[v], q);
    this.strings.set(v, text);
    this.isString[v] = 1;
    return text;
  }
}
