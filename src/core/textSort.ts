/**
 * Row order by a text column, the same order as comparing the cells' strings with `<` (UTF-16 code
 * units; a prefix first), NULL last, ties in file order, without building a string per cell.
 *
 * The distinct values are collected first (hashing the field bytes), so a value repeated on many
 * rows is ordered once; the rows then follow their value's rank (a counting sort, which keeps file
 * order among equal values). The distinct values are ordered by a most-significant-digit radix
 * sort, four to six code units at a time: each pass writes, for every value of a group still tied,
 * a 64-bit key (the next units above, the value's place in the group below) and sorts the keys
 * natively; a prefix shared by the whole group is skipped in one walk. A cell's units are read
 * from the bytes (unquoting `""`), so only cells with non-ASCII bytes become strings.
 */
import { hashWords, wordsEqual } from './cells';
import { RecordScanner, type RecordSink } from './scan';
import type { ExportTable } from './table';
import { Cells, TextSorter } from './textRadix';

/** Values looked at before deciding whether the column repeats its values enough to collect them. */
const SAMPLE = 4096;

/** The permutation of rows sorted by column `col` as text. */
export function sortTextColumn(table: ExportTable, col: number, descending: boolean): Uint32Array {
  const n = table.rowCount;
  const data = table.data;
  const b = data.bytes;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const cells = new Cells(b, n);
  /** Per row: start of the field's text (after an opening quote). */
  const starts = new Float64Array(n);
  /** Per row: its distinct value's number, -1 for NULL. */
  const valueOf = new Int32Array(n);
  /** Per distinct value: the first row holding it, and its hash. Once the column shows mostly
   *  distinct values, every later row counts as a value of its own. */
  let reps: Uint32Array = new Uint32Array(1024);
  let hashes: Int32Array = new Int32Array(1024);
  let distinct = 0;
  let slots: Int32Array = new Int32Array(4096).fill(-1);
  let dedupe = true;
  let seen = 0;
  // the column's field in each row, reading each record only up to it
  const delimiter = data.delimiter.charCodeAt(0);
  const scanner = new RecordScanner(delimiter);
  let fields = 0;
  const sink: RecordSink = { record: (_sc, _s, _l, f) => (fields = f) };
  // JSON columns' byte ranges were kept while loading: the field is read from there, or from the
  // end of the last JSON column before it, rather than from the start of the row
  let base = -1;
  for (let j = 0; j <= col; j++) if (data.vectors[j]?.kind === 'span') base = j;
  const span = base >= 0 ? (data.vectors[base]!.data as Uint32Array) : null;
  const k = base === col ? 0 : col - base - 1;
  for (let r = 0; r < n; r++) {
    if (span === null) {
      scanner.pos = data.rowStarts[r];
    } else if (base === col) {
      scanner.pos = span[2 * r];
    } else {
      // the row goes on past that column only when a delimiter follows it (0, 0: the row lacks it)
      const end = span[2 * r + 1];
      scanner.pos = end + 1;
      if (end === 0 || b[end] !== delimiter) fields = 0;
      else fields = -1;
    }
    if (base === col) fields = span![2 * r] === span![2 * r + 1] ? 0 : -1;
    if (span === null || fields < 0) scanner.scan(b, b.length, true, sink, 1, k + 1);
    const s = scanner.starts[k];
    const e = scanner.ends[k];
    if (fields <= k || s === e) {
      valueOf[r] = -1;
      continue;
    }
    const q = scanner.quoted[k];
    const ts = q ? s + 1 : s;
    const te = q ? e - 1 : e;
    starts[r] = ts;
    cells.pos[r] = ts;
    cells.end[r] = te;
    cells.quoted[r] = q;
    seen++;
    if (seen === SAMPLE && distinct * 2 > seen) dedupe = false; // mostly distinct: not worth hashing
    // the same bytes, quoted the same way, are the same text
    const h = dedupe ? hashWords(b, dv, s, e) : 0;
    const mask = slots.length - 1;
    let i = h & mask;
    let v = -1;
    while (dedupe) {
      const d = slots[i];
      if (d < 0) break;
      const x = reps[d];
      if (hashes[d] === h && cells.quoted[x] === q && cells.end[x] - starts[x] === te - ts && wordsEqual(b, dv, starts[x], ts, te - ts)) {
        v = d;
        break;
      }
      i = (i + 1) & mask;
    }
    if (v < 0) {
      v = distinct++;
      if (v === reps.length) {
        const r2 = new Uint32Array(v * 2);
        r2.set(reps);
        reps = r2;
        const h2 = new Int32Array(v * 2);
        h2.set(hashes);
        hashes = h2;
      }
      reps[v] = r;
      if (dedupe) {
        hashes[v] = h;
        slots[i] = v;
        if (distinct * 2 > slots.length) slots = rehashed(slots, hashes, distinct);
      }
    }
    valueOf[r] = v;
  }
  // order the distinct values, then rank them (different bytes can spell the same text)
  const sorted = reps.slice(0, distinct);
  const equal = new TextSorter(cells, starts, sorted).sortAll(distinct);
  const rankOf = new Uint32Array(distinct);
  let rank = 0;
  for (let i = 0; i < distinct; i++) {
    if (i > 0 && equal[i] === 0) rank++;
    rankOf[valueOf[sorted[i]]] = rank;
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
