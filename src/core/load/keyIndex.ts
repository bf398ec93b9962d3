/**
 * Keys read straight from the export bytes, with no string made per row.
 *
 * KeyIndex: transactions by identity, (store_transaction_id, renewal_number). An open-addressing
 * table of entries keyed by a hash of the id's bytes and the renewal number; ids are compared byte
 * for byte on a hash match. An entry may come from any of several buffers (deliveries): it keeps
 * which one, and where the id's bytes are.
 *
 * textCodes: a text column as whole-number codes, equal text ↔ equal code (customers, transactions).
 */
import { bytesEqual, fieldText, hashBytes, QUOTE } from './cells';
import type { ExportTable } from './table';

export class KeyIndex {
  /** The byte buffers entries point into, by number; a caller may replace one that grew. */
  readonly buffers: Uint8Array[] = [];
  private slots = new Int32Array(1 << 16).fill(-1);
  // byte offsets fit 32 bits: files are capped below 4 GiB
  private start = new Uint32Array(1 << 15);
  private end = new Uint32Array(1 << 15);
  private buffer = new Uint16Array(1 << 15);
  private renewal = new Float64Array(1 << 15);
  private hash = new Uint32Array(1 << 15);
  /** Number of distinct keys; entries are 0 … count-1 in order of first sight. */
  count = 0;
  /** Whether the last find() added its key. */
  added = false;

  /** The entry of the id b[s, e) of buffers[buf] with this renewal number (NaN: NULL), added when new. */
  find(buf: number, s: number, e: number, renewal: number): number {
    if (this.count * 2 >= this.slots.length) this.rehash();
    const b = this.buffers[buf];
    const hash = hashBytes(b, s, e, (renewal * 2654435761) >>> 0);
    const mask = this.slots.length - 1;
    let h = hash & mask;
    for (;;) {
      const k = this.slots[h];
      if (k < 0) break;
      if (
        this.hash[k] === hash &&
        Object.is(this.renewal[k], renewal) &&
        bytesEqual(this.buffers[this.buffer[k]], this.start[k], this.end[k], b, s, e)
      ) {
        this.added = false;
        return k;
      }
      h = (h + 1) & mask;
    }
    if (this.count === this.start.length) this.grow();
    const k = this.count++;
    this.start[k] = s;
    this.end[k] = e;
    this.buffer[k] = buf;
    this.renewal[k] = renewal;
    this.hash[k] = hash;
    this.slots[h] = k;
    this.added = true;
    return k;
  }

  private grow(): void {
    const n = this.start.length * 2;
    const more = <T extends Uint32Array | Uint16Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const x = make(n);
      x.set(a);
      return x;
    };
    this.start = more(this.start, (m) => new Uint32Array(m));
    this.end = more(this.end, (m) => new Uint32Array(m));
    this.hash = more(this.hash, (m) => new Uint32Array(m));
    this.buffer = more(this.buffer, (m) => new Uint16Array(m));
    this.renewal = more(this.renewal, (m) => new Float64Array(m));
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let k = 0; k < this.count; k++) {
      let h = this.hash[k] & mask;
      while (slots[h] >= 0) h = (h + 1) & mask;
      slots[h] = k;
    }
    this.slots = slots;
  }
}

/**
 * Row r's field `col` when neither a quote nor a line end comes before its end: its bytes
 * b[at[0], at[1]) (an empty range is an empty unquoted field), found by skipping delimiters from
 * the row's start. false for any other row, which the table's scanner must read.
 */
export function plainField(
  t: ExportTable,
  b: Uint8Array,
  r: number,
  col: number,
  delim: number,
  at: Uint32Array,
): boolean {
  const n = b.length;
  let p = t.data.rowStarts[r];
  for (let f = 0; f < col; p++) {
    const c = p < n ? b[p] : 10;
    if (c === delim) f++;
    else if (c === QUOTE || c === 10 || c === 13) return false;
  }
  const s = p;
  for (; p < n; p++) {
    const c = b[p];
    if (c === delim || c === 10 || c === 13) break;
    if (c === QUOTE) return false;
  }
  at[0] = s;
  at[1] = p;
  return true;
}

/** A code that stands for NULL in TextCodes. */
export const TEXT_NULL = 0xffffffff;

export interface TextCodes {
  /** Row → code; TEXT_NULL for NULL (an empty unquoted field, or a field the row lacks). */
  readonly codes: Uint32Array;
  /** Number of distinct texts: codes 0 … count-1, in order of first sight. */
  readonly count: number;
  /** Code → the first row holding it (the code's text is that row's cell). */
  readonly first: Uint32Array;
}

const encoder = new TextEncoder();

/**
 * A text column's cells as codes, two cells having the same code exactly when their texts (quotes
 * removed, doubled quotes undone, as table.cell reads them) are equal. One pass hashing each
 * cell's bytes; a quoted cell with a doubled quote (rare) is compared by its decoded text's bytes.
 */
export function textCodes(t: ExportTable, col: number): TextCodes {
  const n = t.rowCount;
  const b = t.data.bytes;
  const delim = t.data.delimiter.charCodeAt(0);
  let size = 1024;
  while (size < n * 2) size *= 2;
  const mask = size - 1;
  const slots = new Int32Array(size).fill(-1);
  const hash = new Uint32Array(n);
  const start = new Uint32Array(n);
  const end = new Uint32Array(n);
  const first = new Uint32Array(n);
  const decoded = new Uint8Array(n); // 1: the code's bytes are in `side`
  let side = new Uint8Array(256);
  let sideLength = 0;
  const codes = new Uint32Array(n);
  const at = new Uint32Array(2);
  let count = 0;
  for (let r = 0; r < n; r++) {
    let s: number;
    let e: number;
    let inSide = 0;
    if (plainField(t, b, r, col, delim, at)) {
      s = at[0];
      e = at[1];
      if (s === e) {
        codes[r] = TEXT_NULL;
        continue;
      }
    } else {
      const range = t.cellRange(r, col);
      if (!range || range[0] === range[1]) {
        codes[r] = TEXT_NULL;
        continue;
      }
      [s, e] = range;
      if (b[s] === QUOTE) {
        let plain = e - s >= 2;
        for (let i = s + 1; plain && i < e - 1; i++) if (b[i] === QUOTE) plain = false;
        if (plain) {
          s++;
          e--;
        } else {
          const text = encoder.encode(fieldText(b, s, e, true));
          if (sideLength + text.length > side.length) {
            const grown = new Uint8Array(Math.max(side.length * 2, sideLength + text.length));
            grown.set(side.subarray(0, sideLength));
            side = grown;
          }
          side.set(text, sideLength);
          s = sideLength;
          e = sideLength += text.length;
          inSide = 1;
        }
      }
    }
    const own = inSide ? side : b;
    const h = hashBytes(own, s, e);
    let i = h & mask;
    for (;;) {
      const k = slots[i];
      if (k < 0) {
        slots[i] = count;
        hash[count] = h;
        start[count] = s;
        end[count] = e;
        decoded[count] = inSide;
        first[count] = r;
        codes[r] = count++;
        break;
      }
      if (hash[k] === h && bytesEqual(decoded[k] ? side : b, start[k], end[k], own, s, e)) {
        codes[r] = k;
        break;
      }
      i = (i + 1) & mask;
    }
  }
  return { codes, count, first: first.slice(0, count) };
}
