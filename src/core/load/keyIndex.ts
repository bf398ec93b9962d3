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
import { bytesEqual, fieldText, hashBytes, hashWords, QUOTE, wordsEqual } from './cells';
import { RowText, type ExportTable } from './table';

export class KeyIndex {
  /** The byte buffers entries point into, by number; a caller may replace one that grew. */
  readonly buffers: Uint8Array[] = [];
  private slots = new Int32Array(1 << 16).fill(-1);
  // byte offsets fit 32 bits: they are offsets in one segment of the text (TableData.segments)
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
    this.slots = slotsOf(this.hash, this.count, this.slots.length * 2);
  }
}

/** An open-addressing table of `size` slots (a power of two) over entries 0 … count-1 by their hashes. */
export function slotsOf(hash: Uint32Array, count: number, size: number): Int32Array<ArrayBuffer> {
  const slots = new Int32Array(size).fill(-1);
  const mask = size - 1;
  for (let k = 0; k < count; k++) {
    let h = hash[k] & mask;
    while (slots[h] >= 0) h = (h + 1) & mask;
    slots[h] = k;
  }
  return slots;
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
  return plainFieldFrom(b, p, delim, at);
}

/**
 * The plain field that starts at b[p]: its bytes b[at[0], at[1]) up to the delimiter or line end;
 * false when a quote comes first (the row is not plain).
 */
export function plainFieldFrom(b: Uint8Array, p: number, delim: number, at: Uint32Array): boolean {
  const s = p;
  const n = b.length;
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
/** TextInterner's mark of a text held in its side buffer. */
const SIDE = 0xffffffff;
const decoder = new TextDecoder();

/**
 * Texts interned from their bytes in place: equal text ↔ equal code, codes 0 … count-1 in order of
 * first sight, no string made per field. A text is keyed by its bytes as a quoted field holds them
 * (each `"` doubled), so a quoted field is hashed where it lies; only an unquoted field holding a
 * quote or a malformed quoted one (rare) is re-encoded into a side buffer. That form sorts as the
 * texts do (UTF-8 byte order, which is code point order).
 */
export class TextInterner {
  private dv: DataView;
  /** Per slot: 1 + the code there (0: empty), and the code's hash, side by side. */
  private slots: Int32Array;
  private mask: number;
  /**
   * Per code, side by side: start, end, the buffer its bytes are in (a segment's number in
   * `buffers`, or SIDE), and how often it was seen.
   */
  private entries: Uint32Array;
  /** The first six bytes of each code's text as a number (zeros past its end): most orders end there. */
  private head: Float64Array;
  /** The text's segments seen so far, by number (field() reads number `cur`). */
  private readonly buffers: Uint8Array[];
  private cur = 0;
  private side = new Uint8Array(256);
  private sideLength = 0;
  private sideDv = new DataView(this.side.buffer);
  /** Number of distinct texts. */
  count = 0;

  constructor(
    private b: Uint8Array,
    expected = 1024,
  ) {
    this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    this.buffers = [b];
    let size = 1024;
    while (size < expected * 2) size *= 2;
    this.slots = new Int32Array(2 * size);
    this.mask = size - 1;
    // the entries for as many texts as expected, so that a column of distinct values grows no array
    this.entries = new Uint32Array(4 * Math.max(1024, expected));
    this.head = new Float64Array(Math.max(1024, expected));
  }

  /**
   * The code of a non-empty field's text: b[s, e), quotes included when `quoted` (as table.cell and
   * FieldCursor.text read it: the quotes removed, doubled quotes undone). Counts one more sight of it.
   */
  field(s: number, e: number, quoted: boolean): number {
    const b = this.b;
    let clean = true;
    if (quoted) {
      clean = e - s >= 2 && b[e - 1] === QUOTE;
      s++;
      e--;
      // every quote inside comes in a pair
      for (let i = s; clean && i < e; i++) if (b[i] === QUOTE) clean = ++i < e && b[i] === QUOTE;
    } else for (let i = s; clean && i < e; i++) clean = b[i] !== QUOTE;
    if (clean) return this.code(b, this.dv, s, e, this.cur);
    // the text, its quotes doubled, into the side buffer
    const text = encoder.encode(fieldText(b, quoted ? s - 1 : s, quoted ? e + 1 : e, quoted).replace(/"/g, '""'));
    const at = this.sideLength;
    this.reserve(text.length);
    this.side.set(text, at);
    const before = this.count;
    const code = this.code(this.side, this.sideDv, at, at + text.length, SIDE);
    if (this.count === before) this.sideLength = at; // seen before: not kept
    return code;
  }

  /** The text now lives in `b`, which holds the old bytes at the same offsets (a loader's buffer that grew). */
  moved(b: Uint8Array): void {
    this.b = b;
    this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    this.buffers[this.cur] = b;
  }

  /**
   * The fields to come are in `b`, the text's segment number `segment` (by default the next one);
   * the codes so far keep their own.
   */
  segment(b: Uint8Array, segment = this.buffers.length): void {
    this.cur = segment;
    this.moved(b);
  }

  /** How many times field() met a code's text. */
  seen(code: number): number {
    return this.entries[4 * code + 3];
  }

  private reserve(n: number): void {
    if (this.sideLength + n > this.side.length) {
      const grown = new Uint8Array(Math.max(this.side.length * 2, this.sideLength + n));
      grown.set(this.side.subarray(0, this.sideLength));
      this.side = grown;
      this.sideDv = new DataView(grown.buffer);
    }
    this.sideLength += n;
  }

  private code(own: Uint8Array, dv: DataView, s: number, e: number, side: number): number {
    if (this.count * 2 >= this.mask) this.rehash();
    const h = hashWords(own, dv, s, e) | 0;
    const slots = this.slots;
    const ent = this.entries;
    const n = e - s;
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const k = slots[2 * i] - 1;
      if (k < 0) {
        if (this.count === this.head.length) this.grow();
        const c = this.count++;
        slots[2 * i] = c + 1;
        slots[2 * i + 1] = h;
        const at = 4 * c;
        this.entries[at] = s;
        this.entries[at + 1] = e;
        this.entries[at + 2] = side;
        this.entries[at + 3] = 1;
        let x = 0;
        for (let j = 0; j < 6; j++) x = x * 256 + (s + j < e ? own[s + j] : 0);
        this.head[c] = x;
        return c;
      }
      if (slots[2 * i + 1] !== h) continue;
      const at = 4 * k;
      const ks = ent[at];
      if (ent[at + 1] - ks !== n) continue;
      if (ent[at + 2] === side ? wordsEqual(own, dv, ks, s, n) : bytesEqual(this.bytes(k), ks, ks + n, own, s, e)) {
        ent[at + 3]++;
        return k;
      }
    }
  }

  private bytes(code: number): Uint8Array {
    const at = this.entries[4 * code + 2];
    return at === SIDE ? this.side : this.buffers[at];
  }

  /** A code's text. */
  text(code: number): string {
    const t = decoder.decode(this.bytes(code).subarray(this.entries[4 * code], this.entries[4 * code + 1]));
    return t.indexOf('"') < 0 ? t : t.replace(/""/g, '"');
  }

  /** Two codes' texts in UTF-8 byte order (negative, 0, positive). */
  compare(x: number, y: number): number {
    if (this.head[x] !== this.head[y]) return this.head[x] - this.head[y];
    const a = this.bytes(x);
    const c = this.bytes(y);
    let i = this.entries[4 * x];
    let j = this.entries[4 * y];
    const ie = this.entries[4 * x + 1];
    const je = this.entries[4 * y + 1];
    for (; i < ie && j < je; i++, j++) if (a[i] !== c[j]) return a[i] - c[j];
    return ie - i - (je - j);
  }

  private grow(): void {
    const entries = new Uint32Array(this.entries.length * 2);
    entries.set(this.entries);
    this.entries = entries;
    const head = new Float64Array(this.head.length * 2);
    head.set(this.head);
    this.head = head;
  }

  private rehash(): void {
    const size = 2 * (this.mask + 1);
    const slots = new Int32Array(2 * size);
    const mask = size - 1;
    for (let i = 0; i <= this.mask; i++) {
      const k = this.slots[2 * i];
      if (k === 0) continue;
      const h = this.slots[2 * i + 1];
      let j = h & mask;
      while (slots[2 * j] !== 0) j = (j + 1) & mask;
      slots[2 * j] = k;
      slots[2 * j + 1] = h;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/**
 * A text column's cells as codes, two cells having the same code exactly when their texts (quotes
 * removed, doubled quotes undone, as table.cell reads them) are equal: one pass interning each
 * cell's bytes (TextInterner).
 */
export function textCodes(t: ExportTable, col: number): TextCodes {
  const n = t.rowCount;
  const text = new RowText(t.data);
  let b = text.at(0);
  const delim = t.data.delimiter.charCodeAt(0);
  const interner = new TextInterner(b, n);
  const first = new Uint32Array(n);
  const codes = new Uint32Array(n);
  const at = new Uint32Array(2);
  for (let r = 0; r < n; r++) {
    if (r >= text.hi) interner.segment((b = text.at(r)));
    let s: number;
    let e: number;
    if (plainField(t, b, r, col, delim, at)) {
      s = at[0];
      e = at[1];
    } else {
      const range = t.cellRange(r, col);
      if (!range) s = e = 0;
      else [s, e] = range;
    }
    if (s === e) {
      codes[r] = TEXT_NULL;
      continue;
    }
    const before = interner.count;
    const code = interner.field(s, e, b[s] === QUOTE);
    if (interner.count > before) first[code] = r;
    codes[r] = code;
  }
  return { codes, count: interner.count, first: first.slice(0, interner.count) };
}
