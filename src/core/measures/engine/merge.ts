/**
 * Deliveries → the rows the measures count, per feed.
 *
 * Transactions: a transaction is (store_transaction_id, renewal_number); of its versions the one
 * with the latest updated_at wins, a tie (or no updated_at, as before v4) goes to the later delivery
 * (the timestamp in its file name), and within one delivery to the later row. NULL updated_at counts
 * as older than any timestamp. One file is reduced the same way as several: a file that repeats a
 * transaction is measured with its latest version only.
 *
 * In-App Currency: every delivery is a full snapshot, so only the latest one counts (the others are
 * set aside), reduced to one row per idempotency_key (latest updated_at, then the later row).
 *
 * The result is, per delivery, the rows that survive: references into the loaded tables, nothing is copied.
 */
import { bytesEqual, hashWords, QUOTE } from '../../load/cells';
import { KeyIndex, plainField, plainFieldFrom } from '../../load/keyIndex';
import { exportTimeFromName } from '../../catalog/naming';
import { templateVersion } from '../../catalog/templates';
import { intColumn, timeColumn } from './columns';
import { RowText, segmentOf, type ExportTable } from '../../load/table';
import type { Delivery, FeedInput, MeasureInput, Part } from './types';

/** Deliveries in merge order: by the timestamp in the file name (none: first), then as given. */
/** A transaction's identity and version, and the dates the export's own date comes from. */
export const KEY_COLUMNS = ['store_transaction_id', 'renewal_number', 'updated_at'] as const;

export function deliveryOrder(deliveries: readonly Delivery[]): Delivery[] {
  const time = (d: Delivery) => exportTimeFromName(d.file) ?? -Infinity;
  return deliveries
    .map((d, i) => ({ d, i }))
    .sort((a, b) => time(a.d) - time(b.d) || a.i - b.i)
    .map((x) => x.d);
}

function grow<T extends Uint16Array | Uint32Array | Float64Array>(a: T, make: (n: number) => T): T {
  const x = make(a.length * 2);
  x.set(a);
  return x;
}

/**
 * Row r's id cell b[s, e), surrounding quotes removed, written to at[0], at[1]. A row whose fields
 * up to the id hold no quote is read by skipping delimiters from its start (a few dozen bytes);
 * any other row by the table's own scanner, so both read the same bytes.
 */
export function idRange(t: ExportTable, b: Uint8Array, r: number, col: number, delim: number, at: Uint32Array): void {
  if (plainField(t, b, r, col, delim, at)) return;
  const range = t.cellRange(r, col);
  let s = range ? range[0] : 0;
  let e = range ? range[1] : 0;
  if (e - s >= 2 && b[s] === QUOTE) {
    s++;
    e--;
  }
  at[0] = s;
  at[1] = e;
}

/**
 * idRange's first way, four bytes at a time: row r's field `col` found by counting delimiters
 * word by word from the row's start, through `dv` (over b). false as soon as a word before the
 * field's end holds a quote or a line end, or the text ends within a few bytes: the caller then
 * reads the row the other ways, so what it finds is always what plainField finds.
 */
export function wordField(
  t: ExportTable,
  b: Uint8Array,
  dv: DataView,
  r: number,
  col: number,
  delims: number,
  at: Uint32Array,
): boolean {
  const n = b.length - 4;
  let p = t.data.rowStarts[r];
  let f = 0;
  // whole words while the field's delimiter is not in them
  for (;;) {
    if (p > n) return false;
    const w = dv.getInt32(p, true);
    // per byte of w, its high bit set when it is the delimiter (exact, no carry between bytes)
    const x = w ^ delims;
    const isDelim = ~(((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x | 0x7f7f7f7f);
    // any quote, LF or CR byte (a zero byte of the xor): not a plain row
    const q = w ^ 0x22222222;
    const lf = w ^ 0x0a0a0a0a;
    const cr = w ^ 0x0d0d0d0d;
    const zeros = (((q - 0x01010101) | 0) & ~q) | (((lf - 0x01010101) | 0) & ~lf) | (((cr - 0x01010101) | 0) & ~cr);
    if ((zeros & 0x80808080) !== 0) return false;
    const count = Math.imul((isDelim >>> 7) & 0x01010101, 0x01010101) >>> 24;
    if (f + count >= col) break;
    f += count;
    p += 4;
  }
  // the field starts within this word: byte by byte from here
  for (; f < col; p++) if (b[p] === (delims & 0xff)) f++;
  return plainFieldFrom(b, p, delims & 0xff, at);
}

/**
 * Whether one delivery repeats a key (the same id bytes and renewal number, as dedupe() compares
 * them): one pass of hashing into a table sized once, stopping at the first repeat. A file without
 * one is measured as it is, with no merge pass.
 */
function repeatsKey(t: ExportTable, key: string, renewalColumn: string | null): boolean {
  const col = t.columnIndex(key);
  const text = new RowText(t.data);
  let b = text.at(0);
  const renewal = renewalColumn ? intColumn(t, renewalColumn) : null;
  const n = t.rowCount;
  let size = 1024;
  while (size < n * 2) size *= 2;
  const mask = size - 1;
  const slots = new Int32Array(size).fill(-1);
  const hash = new Uint32Array(n);
  const start = new Uint32Array(n);
  const end = new Uint32Array(n);
  const at = new Uint32Array(2);
  const delim = t.data.delimiter.charCodeAt(0);
  let dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const delims = Math.imul(delim, 0x01010101);
  for (let r = 0; r < n; r++) {
    if (r >= text.hi) {
      b = text.at(r);
      dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    }
    if (!wordField(t, b, dv, r, col, delims, at)) idRange(t, b, r, col, delim, at);
    const s = at[0];
    const e = at[1];
    const ren = renewal ? renewal[r] : NaN;
    // this table's own hash (dedupe's need not match it): four bytes at a time
    const h = (hashWords(b, dv, s, e) ^ Math.imul((ren * 2654435761) >>> 0, 0x85ebca6b)) >>> 0;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const k = slots[i];
      if (k < 0) {
        slots[i] = r;
        break;
      }
      if (hash[k] === h && Object.is(renewal ? renewal[k] : NaN, ren)) {
        const kb = k >= text.lo ? b : t.data.segments[segmentOf(t.data, k)];
        if (bytesEqual(kb, start[k], end[k], b, s, e)) return true;
      }
    }
    hash[r] = h;
    start[r] = s;
    end[r] = e;
  }
  return false;
}

/**
 * Keeps one row per key among the deliveries' rows: the latest `updated`, ties to the later
 * delivery and row. `key` names the id column; `renewal` the second part of the key, if any.
 */
function dedupe(
  deliveries: readonly Delivery[],
  key: string,
  renewalColumn: string | null,
): { parts: Part[]; superseded: number } {
  const index = new KeyIndex();
  let part = new Uint16Array(1 << 16);
  let row = new Uint32Array(1 << 16);
  let updated = new Float64Array(1 << 16);
  let total = 0;
  // the index's buffers: each delivery's segments of text, one after the other
  let first = 0;
  deliveries.forEach((d, p) => {
    const t = d.table;
    const text = new RowText(t.data);
    const buffer = first;
    first += t.data.segments.length;
    t.data.segments.forEach((s, g) => (index.buffers[buffer + g] = s));
    const col = t.columnIndex(key);
    const renewal = renewalColumn ? intColumn(t, renewalColumn) : null;
    const upd = timeColumn(t, 'updated_at');
    const delim = t.data.delimiter.charCodeAt(0);
    const at = new Uint32Array(2);
    total += t.rowCount;
    for (let r = 0; r < t.rowCount; r++) {
      idRange(t, text.at(r), r, col, delim, at);
      const s = at[0];
      const e = at[1];
      const k = index.find(buffer + text.segment, s, e, renewal ? renewal[r] : NaN);
      const u = upd ? upd[r] : NaN;
      if (!index.added) {
        // the stored version stays only when strictly newer (a NULL is older than any time)
        const old = updated[k];
        if (old > u || (old === old && u !== u)) continue;
      } else if (k === row.length) {
        part = grow(part, (n) => new Uint16Array(n));
        row = grow(row, (n) => new Uint32Array(n));
        updated = grow(updated, (n) => new Float64Array(n));
      }
      part[k] = p;
      row[k] = r;
      updated[k] = u;
    }
  });
  const counts = new Uint32Array(deliveries.length);
  for (let k = 0; k < index.count; k++) counts[part[k]]++;
  const rows = deliveries.map((_, p) => new Uint32Array(counts[p]));
  counts.fill(0);
  for (let k = 0; k < index.count; k++) rows[part[k]][counts[part[k]]++] = row[k];
  for (const r of rows) r.sort();
  return { parts: deliveries.map((delivery, p) => ({ delivery, rows: rows[p] })), superseded: total - index.count };
}

/** Keyed Transactions deliveries already merged as they were loaded (fold.ts): their parts, in merge order. */
export interface Folded {
  readonly parts: readonly Part[];
  readonly superseded: number;
}

function mergeTransactions(
  deliveries: readonly Delivery[],
  notes: string[],
  folded?: Folded,
): { parts: Part[]; superseded: number } {
  // a selection without store_transaction_id cannot be reduced: its rows all count
  const isFolded = (d: Delivery) => folded?.parts.some((p) => p.delivery === d) ?? false;
  const keyed = deliveries.filter((d) => d.table.columnIndex('store_transaction_id') >= 0 && !isFolded(d));
  const unkeyed = deliveries.filter((d) => d.table.columnIndex('store_transaction_id') < 0 && !isFolded(d));
  for (const d of unkeyed)
    notes.push(`${d.file} has no store_transaction_id column: its rows are counted as they are, without deduplication`);
  // one file that repeats no transaction is measured as it is: no merge pass
  const single = keyed.length === 1 && !repeatsKey(keyed[0].table, 'store_transaction_id', 'renewal_number');
  const merged = folded
    ? { parts: [...folded.parts], superseded: folded.superseded }
    : single
      ? { parts: [{ delivery: keyed[0], rows: null }], superseded: 0 }
      : keyed.length
        ? dedupe(keyed, 'store_transaction_id', 'renewal_number')
        : { parts: [], superseded: 0 };
  const parts = [...merged.parts, ...unkeyed.map((delivery) => ({ delivery, rows: null }))];
  // back in delivery order
  parts.sort((a, b) => deliveries.indexOf(a.delivery) - deliveries.indexOf(b.delivery));
  return { parts, superseded: merged.superseded };
}

function mergeCurrency(deliveries: readonly Delivery[], notes: string[]): FeedInput {
  const latest = deliveries[deliveries.length - 1];
  const setAside = deliveries.slice(0, -1).map((d) => d.file);
  if (setAside.length)
    notes.push(
      `In-App Currency deliveries are full snapshots: ${latest.file} is the latest, ${setAside.length} older ${setAside.length === 1 ? 'one is' : 'ones are'} set aside`,
    );
  if (latest.table.columnIndex('idempotency_key') < 0) {
    notes.push(`${latest.file} has no idempotency_key column: its rows are counted as they are`);
    return { parts: [{ delivery: latest, rows: null }], superseded: 0, setAside };
  }
  return { ...dedupe([latest], 'idempotency_key', null), setAside };
}

/**
 * The deliveries merged. `folded`: the keyed Transactions deliveries among `given` were merged as
 * they were loaded (their parts are taken as they are; the others merge as usual).
 */
export function mergeDeliveries(given: readonly Delivery[], folded?: Folded): MeasureInput {
  const ordered = deliveryOrder(given);
  const feedOf = (d: Delivery) => templateVersion(d.version).feed;
  const transactions = ordered.filter((d) => feedOf(d) === 'transactions');
  const currency = ordered.filter((d) => feedOf(d) === 'in-app-currency');
  const notes: string[] = [];
  const tx = mergeTransactions(transactions, notes, folded);
  return {
    parts: tx.parts,
    superseded: tx.superseded,
    ...(currency.length ? { currency: mergeCurrency(currency, notes) } : {}),
    notes,
  };
}
