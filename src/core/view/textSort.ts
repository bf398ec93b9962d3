/**
 * Row order by a text column, the same order as comparing the cells' strings with `<` (UTF-16 code
 * units; a prefix first), NULL last, ties in file order, without building a string per cell.
 *
 * The distinct values are collected first (hashing the field bytes), so a value repeated on many
 * rows is ordered once; the rows then follow their value's rank (a counting sort, which keeps file
 * order among equal values). A row's field is taken from the byte ranges the loader kept for JSON
 * columns, or found from the end of the last such column before it (else from the row's start),
 * passing eight bytes at a time; a field just before a JSON column ends where that one starts, so
 * its end is not searched, and whether it is quoted is settled once per distinct value. The
 * distinct values are ordered by a most-significant-digit radix sort (textRadix.ts) that reads
 * their units from the bytes, unquoting `""`, so only values with non-ASCII bytes become strings.
 */
import { hashWords, QUOTE } from '../load/cells';
import { RecordScanner, type RecordSink } from '../load/scan';
import { RowText, type ExportTable } from '../load/table';
import { Cells } from './textCells';
import { TextSorter } from './textRadix';

/** Values looked at before deciding whether the column repeats its values enough to collect them. */
const SAMPLE = 4096;
/** Rows whose bytes are fetched together. */
const BLOCK = 64;

/** The permutation of rows sorted by column `col` as text. */
export function sortTextColumn(table: ExportTable, col: number, descending: boolean): Uint32Array {
  const n = table.rowCount;
  const data = table.data;
  // the text segment by segment (rows in file order)
  const text = new RowText(data);
  let b = text.bytes;
  let dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  /** The distinct values, numbered as they first appear (their bytes copied when there are several segments). */
  const cells = new Cells(b, n, data.segments.length > 1);
  /** Per row: its distinct value's number, -1 for NULL. */
  const valueOf = new Int32Array(n);
  /** Per distinct value: its hash. Once the column shows mostly distinct values, every later row
   *  counts as a value of its own. */
  let hashes: Int32Array = new Int32Array(1024);
  let distinct = 0;
  let slots: Int32Array = new Int32Array(4096).fill(-1);
  let dedupe = true;
  let seen = 0;
  // the column's field in each row, reading each record only up to it
  const delimiter = data.delimiter.charCodeAt(0);
  const scanner = new RecordScanner(delimiter);
  // JSON columns' byte ranges were kept while loading: the field is taken from there, or found from
  // the end of the last JSON column before it rather than from the start of the row; and a field
  // just before a JSON column ends where that column starts
  let base = -1;
  for (let j = 0; j <= col; j++) if (data.vectors[j]?.kind === 'span') base = j;
  const span = base >= 0 ? (data.vectors[base]!.data as Uint32Array) : null;
  const k = base === col ? 0 : col - base - 1;
  const after =
    base !== col && data.vectors[col + 1]?.kind === 'span' ? (data.vectors[col + 1]!.data as Uint32Array) : null;
  // a field among the first of its row costs little more than fetching the row: then the rows of a
  // block are fetched all at once, so the waits for memory overlap (farther in, reading through the
  // row keeps memory busy anyway, and it does not pay)
  const early = span === null && k < 4;
  for (let r = 0; r < n; r++) {
    if (r >= text.hi) {
      b = text.at(r);
      dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
      cells.from(b);
    }
    if (early && (r & (BLOCK - 1)) === 0) fetchRows(b, data.rowStarts, r, Math.min(n, r + BLOCK, text.hi));
    let s = 0;
    let e = 0;
    /** Whether the field is quoted; -1 while not known (a range says where a field is, not how it reads). */
    let q = -1;
    if (base === col) {
      s = span![2 * r];
      e = span![2 * r + 1];
    } else {
      // the row goes on past the JSON column only when a delimiter follows it (0, 0: the row lacks it)
      const end = span === null ? -1 : span[2 * r + 1];
      const p =
        span === null
          ? scanner.fieldStart(b, data.rowStarts[r], k)
          : end !== 0 && b[end] === delimiter
            ? scanner.fieldStart(b, end + 1, k)
            : -1;
      if (p >= 0 && p < b.length) {
        const next = after === null ? 0 : after[2 * r];
        if (next > p) {
          s = p;
          e = next - 1;
        } else {
          scanner.pos = p;
          scanner.scan(b, b.length, true, NO_SINK, 1, 1);
          s = scanner.starts[0];
          e = scanner.ends[0];
          q = scanner.quoted[0];
        }
      }
    }
    if (s === e) {
      valueOf[r] = -1;
      continue;
    }
    seen++;
    if (seen === SAMPLE && distinct * 2 > seen) dedupe = false; // mostly distinct: not worth hashing
    // the same bytes are the same text (and quoted the same way: the quotes are among them)
    const h = dedupe ? hashWords(b, dv, s, e) : 0;
    const mask = slots.length - 1;
    let i = h & mask;
    let v = -1;
    while (dedupe) {
      const d = slots[i];
      if (d < 0) break;
      if (hashes[d] === h && cells.same(d, s, e)) {
        v = d;
        break;
      }
      i = (i + 1) & mask;
    }
    if (v < 0) {
      v = distinct++;
      if (q < 0) q = b[s] === QUOTE ? quotedAt(scanner, b, dv, s, e) : 0;
      cells.set(v, s, e, q);
      if (dedupe) {
        if (v === hashes.length) {
          const h2 = new Int32Array(v * 2);
          h2.set(hashes);
          hashes = h2;
        }
        hashes[v] = h;
        slots[i] = v;
        if (distinct * 2 > slots.length) slots = rehashed(slots, hashes, distinct);
      }
    }
    valueOf[r] = v;
  }
  // order the distinct values, then rank them (different bytes can spell the same text)
  const sorted = new Uint32Array(distinct);
  for (let v = 0; v < distinct; v++) sorted[v] = v;
  const equal = new TextSorter(cells, sorted).sortAll(distinct);
  const rankOf = new Uint32Array(distinct);
  let rank = 0;
  for (let i = 0; i < distinct; i++) {
    if (i > 0 && equal[i] === 0) rank++;
    rankOf[sorted[i]] = rank;
  }
  // rows by rank, file order among equals, NULL last
  const ranks = rank + 1;
  const at = new Uint32Array(ranks + 1);
  let nulls = 0;
  for (let r = 0; r < n; r++) {
    const v = valueOf[r];
    if (v < 0) nulls++;
    else at[(descending ? rank - rankOf[v] : rankOf[v]) + 1]++;
  }
  for (let k = 1; k <= ranks; k++) at[k] += at[k - 1];
  const order = new Uint32Array(n);
  let nullAt = n - nulls;
  for (let r = 0; r < n; r++) {
    const v = valueOf[r];
    if (v < 0) order[nullAt++] = r;
    else order[at[descending ? rank - rankOf[v] : rankOf[v]]++] = r;
  }
  return order;
}

/**
 * Whether the field at bytes [s, e), starting with a quote, is read as quoted: its first quote that
 * is not doubled must be its last byte (else text follows the closing quote, and the field reads as
 * written). Four bytes at a time, as the scanner looks for a closing quote: the quotes before were
 * all doubled, so the parity of the quotes seen tells which are unpaired. A field running to the end
 * of the bytes may lack its closing quote: the scanner decides.
 */
function quotedAt(scanner: RecordScanner, b: Uint8Array, dv: DataView, s: number, e: number): number {
  if (e >= b.length) {
    scanner.pos = s;
    scanner.scan(b, b.length, true, NO_SINK, 1, 1);
    return scanner.quoted[0];
  }
  const last = e - 1;
  if (last <= s || b[last] !== QUOTE) return 0;
  let j = s + 1;
  /** 1 when the word before ended in a quote not yet paired. */
  let carry = 0;
  for (; j + 4 <= last; j += 4) {
    const t = dv.getInt32(j, true) ^ QUOTES4;
    const q = ~(((t & LOWS7) + LOWS7) | t | LOWS7); // bit 7 of each byte that is a quote
    if ((q | carry) === 0) continue;
    // parity of the quotes up to each byte: an odd one is unpaired, and closes if no quote follows
    let p = (q >>> 7) ^ carry;
    p ^= p << 8;
    p ^= p << 16;
    const unpaired = q & (p << 7);
    if ((unpaired & ~(q >>> 8) & 0x00808080) !== 0 || (carry & ~(q >>> 7)) !== 0) return 0;
    carry = unpaired >>> 31;
  }
  if (carry !== 0) {
    // that quote's pair must come next, and not be the last byte
    if (j < last && b[j] === QUOTE) j++;
    else return 0;
  }
  while (j < last) {
    if (b[j] !== QUOTE) j++;
    else if (j + 1 < last && b[j + 1] === QUOTE) j += 2;
    else return 0;
  }
  return 1;
}

const QUOTES4 = QUOTE * 0x01010101;
const LOWS7 = 0x7f7f7f7f;

let _fetched = 0;

/** Reads the first byte of rows [r0, r1), fetching them all at once. */
function fetchRows(b: Uint8Array, rowStarts: Uint32Array, r0: number, r1: number): void {
  let x = 0;
  for (let r = r0; r < r1; r++) x ^= b[rowStarts[r]];
  _fetched ^= x; // (kept, so the reads are not left out)
}

const NO_SINK: RecordSink = { record: () => undefined };

function rehashed(slots: Int32Array, hashes: Int32Array, count: number): Int32Array {
  const next = new Int32Array(slots.length * 2).fill(-1);
  const mask = next.length - 1;
  for (let d = 0; d < count; d++) {
    let i = hashes[d] & mask;
    while (next[i] >= 0) i = (i + 1) & mask;
    next[i] = d;
  }
  return next;
}
