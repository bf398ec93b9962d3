/**
 * Merging as the deliveries come: a KeyFold is given the Transactions deliveries one at a time, in
 * merge order, and keeps per transaction (store_transaction_id, renewal_number) only the row of the
 * latest updated_at, by the rule of merge.ts (a tie or a NULL goes to the later delivery and row).
 * A delivery whose rows are mostly superseded is compacted (compactTable) to the rows that still
 * count, so what stays in memory is about the survivors, not every version of every row.
 *
 * The parts it gives are the ones dedupe() in merge.ts gives: one per delivery, in merge order,
 * the surviving rows ascending, so every measure reads the same rows in the same order. A compacted
 * delivery keeps where its rows come from (Delivery.origin), so row numbers shown to a user are the
 * file's.
 */
import { bytesEqual, hashWords } from '../../load/cells';
import type { TableData, VectorData } from '../../load/table';
import { ExportTable, oneSegment, RowText } from '../../load/table';
import { slotsOf } from '../../load/keyIndex';
import { intColumn, timeColumn } from './columns';
import { idRange } from './merge';
import type { Delivery, Part } from './types';

const DEAD = 0xffffffff;

/**
 * A table of only `rows` (ascending) of `data`: their bytes copied after the header, the typed
 * vectors gathered (span offsets moved with their row), line shifts and unreadable rows renumbered.
 */
export function compactTable(data: TableData, rows: Uint32Array): TableData {
  const n = rows.length;
  const text = new RowText(data);
  let size = data.dataStart;
  for (let j = 0; j < n; j++) size += text.end(rows[j]) - data.rowStarts[rows[j]];
  const bytes = new Uint8Array(size);
  bytes.set(data.segments[0].subarray(0, data.dataStart));
  const rowStarts = new Uint32Array(n);
  let at = data.dataStart;
  for (let j = 0; j < n; j++) {
    const r = rows[j];
    const s = data.rowStarts[r];
    const e = text.end(r);
    bytes.set(text.bytes.subarray(s, e), at);
    rowStarts[j] = at;
    at += e - s;
  }
  const vectors = data.vectors.map((v): VectorData | null => {
    if (!v) return null;
    const out = v.kind === 'span' ? new Uint32Array(2 * n) : gather(v.data, rows);
    if (v.kind === 'span')
      for (let j = 0; j < n; j++) {
        const r = rows[j];
        const shift = rowStarts[j] - data.rowStarts[r];
        out[2 * j] = v.data[2 * r] + shift;
        out[2 * j + 1] = v.data[2 * r + 1] + shift;
      }
    return v.dict ? { kind: v.kind, data: out, dict: v.dict } : { kind: v.kind, data: out };
  });
  // a shift before row r+1 is lines row r spans: it moves with row r (the one before row 0 stays)
  const shiftOf = new Map<number, number>();
  data.lineShifts.rows.forEach((r, k) => shiftOf.set(r, data.lineShifts.extra[k]));
  const lineShifts = { rows: [] as number[], extra: [] as number[] };
  for (let j = 0; j < n && shiftOf.size; j++) {
    const x = j === 0 ? shiftOf.get(0) : shiftOf.get(rows[j - 1] + 1);
    if (x) {
      lineShifts.rows.push(j);
      lineShifts.extra.push(x);
    }
  }
  const unreadable = data.unreadable;
  return {
    ...oneSegment(bytes),
    rowStarts,
    rowCount: n,
    header: data.header,
    types: data.types,
    delimiter: data.delimiter,
    bom: data.bom,
    dataStart: data.dataStart,
    vectors,
    lineShifts,
    ...(unreadable
      ? { unreadable: Object.fromEntries(Object.entries(unreadable).map(([k, list]) => [k, renumber(list, rows)])) }
      : {}),
  };
}

/**
 * A table of only `rows` (ascending) and only the columns `keep` (ascending indices) of `data`:
 * each row written again as its kept fields (quotes and all) under a header of their names, the
 * typed vectors of those columns gathered, unreadable rows renumbered. What a measure that reads
 * only these columns needs, in far fewer bytes than the whole rows.
 */
export function narrowTable(data: TableData, rows: Uint32Array, keep: readonly number[]): TableData {
  const t = new ExportTable(data);
  const n = rows.length;
  const delim = data.delimiter.charCodeAt(0);
  const head = new TextEncoder().encode(keep.map((c) => data.header[c]).join(data.delimiter) + '\n');
  let bytes = new Uint8Array(Math.max(1024, head.length + n * 16 * keep.length));
  bytes.set(head);
  let at = head.length;
  const rowStarts = new Uint32Array(n);
  const spans = keep.map((c) => (data.vectors[c]?.kind === 'span' ? new Uint32Array(2 * n) : null));
  const lineShifts = { rows: [] as number[], extra: [] as number[] };
  for (let j = 0; j < n; j++) {
    const r = rows[j];
    const src = t.rowBytes(r);
    rowStarts[j] = at;
    let lines = 0;
    for (let i = 0; i < keep.length; i++) {
      const range = t.cellRange(r, keep[i]);
      const s = range ? range[0] : 0;
      const e = range ? range[1] : 0;
      if (at + (e - s) + 2 > bytes.length) {
        const more = new Uint8Array(Math.max(bytes.length * 2, at + (e - s) + 2));
        more.set(bytes.subarray(0, at));
        bytes = more;
      }
      if (i > 0) bytes[at++] = delim;
      const span = spans[i];
      if (span) {
        span[2 * j] = at;
        span[2 * j + 1] = at + (e - s);
      }
      for (let k = s; k < e; k++) if (src[k] === 10) lines++;
      bytes.set(src.subarray(s, e), at);
      at += e - s;
    }
    bytes[at++] = 10;
    // quoted line breaks: the next row starts that many lines later
    if (lines && j + 1 < n) {
      lineShifts.rows.push(j + 1);
      lineShifts.extra.push(lines);
    }
  }
  const vectors = keep.map((c, i): VectorData | null => {
    const v = data.vectors[c];
    if (!v) return null;
    const out = spans[i] ?? gather(v.data, rows);
    return v.dict ? { kind: v.kind, data: out, dict: v.dict } : { kind: v.kind, data: out };
  });
  const names = new Set(keep.map((c) => data.header[c]));
  return {
    ...oneSegment(bytes.slice(0, at)),
    rowStarts,
    rowCount: n,
    header: keep.map((c) => data.header[c]),
    types: keep.map((c) => data.types[c]),
    delimiter: data.delimiter,
    bom: false,
    dataStart: head.length,
    vectors,
    lineShifts,
    ...(data.unreadable
      ? {
          unreadable: Object.fromEntries(
            Object.entries(data.unreadable)
              .filter(([name]) => names.has(name))
              .map(([name, list]) => [name, renumber(list, rows)]),
          ),
        }
      : {}),
  };
}

/** The entries of `data` at `rows`. */
function gather(data: VectorData['data'], rows: Uint32Array): VectorData['data'] {
  const out = new (data.constructor as new (n: number) => typeof data)(rows.length);
  for (let j = 0; j < rows.length; j++) out[j] = data[rows[j]];
  return out;
}

/** The rows of `list` (ascending) that are among `rows` (ascending), as their indices in `rows`. */
function renumber(list: readonly number[], rows: Uint32Array): number[] {
  const out: number[] = [];
  let j = 0;
  for (const r of list) {
    while (j < rows.length && rows[j] < r) j++;
    if (j < rows.length && rows[j] === r) out.push(j);
  }
  return out;
}

function grown<T extends Uint16Array | Uint32Array | Float64Array>(a: T, n: number): T {
  const x = new (a.constructor as new (n: number) => T)(n);
  x.set(a);
  return x;
}

/** Transactions deliveries folded one by one into the latest version of each key. */
export class KeyFold {
  private readonly held: Delivery[] = [];
  /** Per held delivery, the key of each of its rows (DEAD: superseded). */
  private readonly keyOf: Uint32Array[] = [];
  /** Per held delivery, how many of its rows still count. */
  private readonly live: number[] = [];
  private slots = new Int32Array(1 << 16).fill(-1);
  // per key: its hash, renewal number, updated_at, and the row that holds its latest version
  private hash = new Uint32Array(1 << 15);
  private renewal = new Float64Array(1 << 15);
  private updated = new Float64Array(1 << 15);
  private part = new Uint16Array(1 << 15);
  private row = new Uint32Array(1 << 15);
  private count = 0;
  private total = 0;
  private readonly at = new Uint32Array(2);
  private readonly other = new Uint32Array(2);

  /** `columns`: only these are read afterwards; each delivery is then kept as those columns alone. */
  constructor(private readonly columns?: readonly string[]) {}

  /** Rows seen so far, and distinct transactions among them. */
  get rows(): number {
    return this.total;
  }
  get keys(): number {
    return this.count;
  }

  /** Folds in the next delivery (it has a store_transaction_id column); compacts what is mostly superseded. */
  add(d: Delivery): void {
    const p = this.held.length;
    if (p > 0xffff) throw new RangeError('too many deliveries to merge (65536 at most)');
    const t = d.table;
    this.held.push(d);
    const keys = new Uint32Array(t.rowCount);
    this.keyOf.push(keys);
    this.live.push(0);
    const text = new RowText(t.data);
    const col = t.columnIndex('store_transaction_id');
    const renewal = intColumn(t, 'renewal_number');
    const upd = timeColumn(t, 'updated_at');
    const delim = t.data.delimiter.charCodeAt(0);
    const at = this.at;
    this.total += t.rowCount;
    // room for every row to be a new key: no table grows or rehashes while the rows go in
    this.reserve(this.count + t.rowCount);
    // a DataView over the segment the rows are in (made again only when a row is in another one)
    let seg: Uint8Array | null = null;
    let dv: DataView | null = null;
    for (let r = 0; r < t.rowCount; r++) {
      const b = text.at(r);
      if (b !== seg) {
        seg = b;
        dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
      }
      idRange(t, b, r, col, delim, at);
      const ren = renewal ? renewal[r] : NaN;
      const u = upd ? upd[r] : NaN;
      const k = this.find(b, dv!, at[0], at[1], ren);
      if (k < 0) {
        keys[r] = this.insert(p, r, ren, u);
        this.live[p]++;
        continue;
      }
      // the stored version stays only when strictly newer (a NULL is older than any time)
      const old = this.updated[k];
      if (old > u || (old === old && u !== u)) {
        keys[r] = DEAD;
        continue;
      }
      const q = this.part[k];
      this.keyOf[q][this.row[k]] = DEAD;
      this.live[q]--;
      this.part[k] = p;
      this.row[k] = r;
      this.updated[k] = u;
      keys[r] = k;
      this.live[p]++;
    }
    // a new delivery is narrowed to the columns read at once; any is compacted once mostly superseded
    for (let q = 0; q < this.held.length; q++)
      if (this.live[q] * 2 < this.held[q].table.rowCount || (q === p && this.kept(t) !== null)) this.compact(q);
  }

  /** The columns of `t` kept (ascending), or null when it keeps them all. */
  private kept(t: ExportTable): number[] | null {
    if (!this.columns) return null;
    const want = new Set(this.columns);
    const keep: number[] = [];
    t.header.forEach((h, c) => {
      if (want.has(h) && t.columnIndex(h) === c) keep.push(c);
    });
    return keep.length < t.header.length ? keep : null;
  }

  /** One part per delivery folded, in order: its surviving rows (null: all of them). */
  result(): { parts: Part[]; superseded: number } {
    const parts = this.held.map((delivery, q): Part => {
      const keys = this.keyOf[q];
      if (this.live[q] === keys.length) return { delivery, rows: null };
      const rows = new Uint32Array(this.live[q]);
      let j = 0;
      for (let r = 0; r < keys.length; r++) if (keys[r] !== DEAD) rows[j++] = r;
      return { delivery, rows };
    });
    return { parts, superseded: this.total - this.count };
  }

  /** Room for `keys` keys: the key arrays hold them, and the slots stay at most half full. */
  private reserve(keys: number): void {
    if (keys > this.hash.length) {
      const n = 2 ** Math.ceil(Math.log2(keys));
      this.hash = grown(this.hash, n);
      this.renewal = grown(this.renewal, n);
      this.updated = grown(this.updated, n);
      this.part = grown(this.part, n);
      this.row = grown(this.row, n);
    }
    let size = this.slots.length;
    while (keys * 2 >= size) size *= 2;
    if (size > this.slots.length) this.slots = slotsOf(this.hash, this.count, size);
  }

  /** The key of id b[s, e) (dv: a DataView over b) with this renewal number, or -1 (hash set for insert). */
  private pending = 0;
  private find(b: Uint8Array, dv: DataView, s: number, e: number, ren: number): number {
    if (this.count * 2 >= this.slots.length) this.rehash();
    // the id four bytes at a time, then the renewal number mixed in (the slot is the hash's low bits)
    let h = hashWords(b, dv, s, e) ^ ((ren * 2654435761) >>> 0);
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = (h ^ (h >>> 13)) >>> 0;
    this.pending = h;
    const mask = this.slots.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const k = this.slots[i];
      if (k < 0) return -1;
      if (this.hash[k] !== h || !Object.is(this.renewal[k], ren)) continue;
      const d = this.held[this.part[k]].table;
      const other = d.rowBytes(this.row[k]);
      idRange(d, other, this.row[k], d.columnIndex('store_transaction_id'), d.data.delimiter.charCodeAt(0), this.other);
      if (bytesEqual(other, this.other[0], this.other[1], b, s, e)) return k;
    }
  }

  private insert(p: number, r: number, ren: number, u: number): number {
    if (this.count === this.hash.length) {
      const n = this.hash.length * 2;
      this.hash = grown(this.hash, n);
      this.renewal = grown(this.renewal, n);
      this.updated = grown(this.updated, n);
      this.part = grown(this.part, n);
      this.row = grown(this.row, n);
    }
    const k = this.count++;
    const h = this.pending;
    this.hash[k] = h;
    this.renewal[k] = ren;
    this.updated[k] = u;
    this.part[k] = p;
    this.row[k] = r;
    const mask = this.slots.length - 1;
    let i = h & mask;
    while (this.slots[i] >= 0) i = (i + 1) & mask;
    this.slots[i] = k;
    return k;
  }

  private rehash(): void {
    this.slots = slotsOf(this.hash, this.count, this.slots.length * 2);
  }

  /** Keeps only the rows of held delivery q that still count; its keys follow their rows. */
  private compact(q: number): void {
    const d = this.held[q];
    const keys = this.keyOf[q];
    const rows = new Uint32Array(this.live[q]);
    let j = 0;
    for (let r = 0; r < keys.length; r++) if (keys[r] !== DEAD) rows[j++] = r;
    const next = new Uint32Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const k = keys[rows[i]];
      next[i] = k;
      this.row[k] = i;
    }
    const keep = this.kept(d.table);
    const was = d.origin;
    const origin = new Uint32Array(rows.length);
    for (let i = 0; i < rows.length; i++) origin[i] = was ? was.rows[rows[i]] : rows[i];
    this.held[q] = {
      file: d.file,
      version: d.version,
      table: new ExportTable(keep ? narrowTable(d.table.data, rows, keep) : compactTable(d.table.data, rows)),
      origin: { rows: origin, fileRows: was ? was.fileRows : keys.length },
    };
    this.keyOf[q] = next;
  }
}
