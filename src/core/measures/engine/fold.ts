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
import { bytesEqual, hashBytes } from '../../load/cells';
import type { TableData, VectorData } from '../../load/table';
import { ExportTable } from '../../load/table';
import { intColumn, timeColumn } from './columns';
import { idRange } from './merge';
import type { Delivery, Part } from './types';

const DEAD = 0xffffffff;

/** The end of row r's bytes: the next row's start, or the end of the text. */
function rowEnd(data: TableData, r: number): number {
  return r + 1 < data.rowCount ? data.rowStarts[r + 1] : data.bytes.length;
}

/**
 * A table of only `rows` (ascending) of `data`: their bytes copied after the header, the typed
 * vectors gathered (span offsets moved with their row), line shifts and unreadable rows renumbered.
 */
export function compactTable(data: TableData, rows: Uint32Array): TableData {
  const n = rows.length;
  let size = data.dataStart;
  for (let j = 0; j < n; j++) size += rowEnd(data, rows[j]) - data.rowStarts[rows[j]];
  const bytes = new Uint8Array(size);
  bytes.set(data.bytes.subarray(0, data.dataStart));
  const rowStarts = new Uint32Array(n);
  let at = data.dataStart;
  for (let j = 0; j < n; j++) {
    const r = rows[j];
    const s = data.rowStarts[r];
    const e = rowEnd(data, r);
    bytes.set(data.bytes.subarray(s, e), at);
    rowStarts[j] = at;
    at += e - s;
  }
  const vectors = data.vectors.map((v): VectorData | null => {
    if (!v) return null;
    let out: VectorData['data'];
    if (v.kind === 'span') {
      const src = v.data as Uint32Array;
      const dst = new Uint32Array(2 * n);
      for (let j = 0; j < n; j++) {
        const r = rows[j];
        const shift = rowStarts[j] - data.rowStarts[r];
        dst[2 * j] = src[2 * r] + shift;
        dst[2 * j + 1] = src[2 * r + 1] + shift;
      }
      out = dst;
    } else {
      const src = v.data;
      const dst = new (src.constructor as new (n: number) => typeof src)(n);
      for (let j = 0; j < n; j++) dst[j] = src[rows[j]];
      out = dst;
    }
    return v.dict ? { kind: v.kind, data: out, dict: v.dict } : { kind: v.kind, data: out };
  });
  // old row → new row, for the row numbers the table keeps
  const renumber = new Map<number, number>();
  const { rows: shiftRows, extra } = data.lineShifts;
  const unreadable = data.unreadable ?? {};
  const wanted = new Set<number>(shiftRows);
  for (const list of Object.values(unreadable)) for (const r of list) wanted.add(r);
  if (wanted.size) for (let j = 0; j < n; j++) if (wanted.has(rows[j])) renumber.set(rows[j], j);
  // a shift before row r+1 is lines row r spans: it moves with row r (the one before row 0 stays)
  const shiftOf = new Map<number, number>();
  shiftRows.forEach((r, k) => shiftOf.set(r, extra[k]));
  const lineShifts = { rows: [] as number[], extra: [] as number[] };
  for (let j = 0; j < n && shiftOf.size; j++) {
    const x = j === 0 ? shiftOf.get(0) : shiftOf.get(rows[j - 1] + 1);
    if (x) {
      lineShifts.rows.push(j);
      lineShifts.extra.push(x);
    }
  }
  const kept: Record<string, number[]> = {};
  for (const [name, list] of Object.entries(unreadable)) {
    kept[name] = [];
    for (const r of list) {
      const j = renumber.get(r);
      if (j !== undefined) kept[name].push(j);
    }
  }
  return {
    bytes,
    rowStarts,
    rowCount: n,
    header: data.header,
    types: data.types,
    delimiter: data.delimiter,
    bom: data.bom,
    dataStart: data.dataStart,
    vectors,
    lineShifts,
    ...(data.unreadable ? { unreadable: kept } : {}),
  };
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
    const b = t.data.bytes;
    const col = t.columnIndex('store_transaction_id');
    const renewal = intColumn(t, 'renewal_number');
    const upd = timeColumn(t, 'updated_at');
    const delim = t.data.delimiter.charCodeAt(0);
    const at = this.at;
    this.total += t.rowCount;
    for (let r = 0; r < t.rowCount; r++) {
      idRange(t, b, r, col, delim, at);
      const ren = renewal ? renewal[r] : NaN;
      const u = upd ? upd[r] : NaN;
      const k = this.find(b, at[0], at[1], ren);
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
    for (let q = 0; q < this.held.length; q++) if (this.live[q] * 2 < this.held[q].table.rowCount) this.compact(q);
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

  /** The key of id b[s, e) with this renewal number, or -1 (hash set for insert). */
  private pending = 0;
  private find(b: Uint8Array, s: number, e: number, ren: number): number {
    if (this.count * 2 >= this.slots.length) this.rehash();
    const h = hashBytes(b, s, e, (ren * 2654435761) >>> 0);
    this.pending = h;
    const mask = this.slots.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const k = this.slots[i];
      if (k < 0) return -1;
      if (this.hash[k] !== h || !Object.is(this.renewal[k], ren)) continue;
      const d = this.held[this.part[k]].table;
      idRange(
        d,
        d.data.bytes,
        this.row[k],
        d.columnIndex('store_transaction_id'),
        d.data.delimiter.charCodeAt(0),
        this.other,
      );
      if (bytesEqual(d.data.bytes, this.other[0], this.other[1], b, s, e)) return k;
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
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let k = 0; k < this.count; k++) {
      let i = this.hash[k] & mask;
      while (slots[i] >= 0) i = (i + 1) & mask;
      slots[i] = k;
    }
    this.slots = slots;
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
    const was = d.origin;
    const origin = new Uint32Array(rows.length);
    for (let i = 0; i < rows.length; i++) origin[i] = was ? was.rows[rows[i]] : rows[i];
    this.held[q] = {
      file: d.file,
      version: d.version,
      table: new ExportTable(compactTable(d.table.data, rows)),
      origin: { rows: origin, fileRows: was ? was.fileRows : keys.length },
    };
    this.keyOf[q] = next;
  }
}
