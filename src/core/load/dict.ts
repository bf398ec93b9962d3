/**
 * Text columns as codes while loading, straight from bytes: a field is hashed and compared byte for
 * byte, so no string is created per cell. DictEncoder: low-cardinality columns, 16-bit codes and a
 * string per distinct value. KeyCoder: the catalog's key columns (customers, subscriptions), 32-bit
 * codes and no string at all.
 */
import type { Allocate, BuilderOptions } from './builderOptions';
import { bytesEqual, fieldText, hashBytes, QUOTE } from './cells';
import { TextInterner } from './keyIndex';
import { loadedVectorKind, type TextKeys } from './table';
import { columnSpec, type Feed } from '../catalog/templates';

/** Codes are 16-bit; DICT_NULL marks an empty field. */
export const DICT_NULL = 0xffff;
/** Columns with more distinct spellings than this stay undecoded text. */
export const MAX_DICT = 0xfffe;
/** A value longer than this is no code of a low-cardinality column: its column stays undecoded text. */
export const MAX_DICT_VALUE = 1024;

export class DictEncoder {
  readonly values: string[] = [];
  private slots = new Int32Array(1024).fill(-1);
  private raw: Uint8Array[] = [];
  private readonly byText = new Map<string, number>();
  private rawCodes: number[] = [];

  /** Code of the field b[s, e) (quotes included when quoted); -2 once the column has too many values, or one too long. */
  encode(b: Uint8Array, s: number, e: number, quoted: boolean): number {
    if (e - s > MAX_DICT_VALUE) return -2;
    const mask = this.slots.length - 1;
    let h = hashBytes(b, s, e) & mask;
    for (;;) {
      const k = this.slots[h];
      if (k < 0) break;
      const r = this.raw[k];
      if (bytesEqual(r, 0, r.length, b, s, e)) return this.rawCodes[k];
      h = (h + 1) & mask;
    }
    if (this.raw.length >= MAX_DICT) return -2;
    const text = fieldText(b, s, e, quoted);
    let code = this.byText.get(text);
    if (code === undefined) {
      code = this.values.length;
      this.values.push(text);
      this.byText.set(text, code);
    }
    const k = this.raw.length;
    this.raw.push(b.slice(s, e));
    this.rawCodes.push(code);
    this.slots[h] = k;
    if (this.raw.length * 2 > this.slots.length) this.rehash();
    return code;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    this.raw.forEach((r, k) => {
      let h = hashBytes(r, 0, r.length) & mask;
      while (slots[h] >= 0) h = (h + 1) & mask;
      slots[h] = k;
    });
    this.slots = slots;
  }
}

/**
 * The catalog's key columns (`key`: text the measures group or join by) as codes, row by row as the
 * loader types them: one TextInterner per column, so the codes are those textCodes (keyIndex.ts)
 * gives the loaded table, in order of first sight. Memory for the codes comes from the loader's
 * allocator (shared with the host in a worker); the coder follows the loader's buffer as it grows.
 */
export class KeyCoder {
  private interners: TextInterner[] = [];
  private codes: Int32Array[] = [];
  /** Per column, code → the first row holding it. */
  private first: Uint32Array[] = [];
  private b: Uint8Array | null = null;
  /** The segment of the text `b` is (a new one starts a buffer of its own in each interner). */
  private segment = 0;
  /** Per column, whether it was given up (a field longer than MAX_DICT_VALUE: no key, or hostile text). */
  private dropped: boolean[] = [];

  /**
   * The key columns of a header that the load types (all, or those `only` names); null when none
   * or when options.keys is false.
   */
  static of(header: readonly string[], feed: Feed, only: Set<string> | null, options: BuilderOptions): KeyCoder | null {
    const cols = header.flatMap((h, k) => {
      const spec = columnSpec(h, feed);
      // a column with a vector has its codes there
      return spec?.key && !loadedVectorKind(spec) && (!only || only.has(h)) ? [k] : [];
    });
    return cols.length && options.keys !== false ? new KeyCoder(cols, options) : null;
  }

  private readonly alloc: Allocate;

  private constructor(
    private readonly cols: readonly number[],
    private readonly options: BuilderOptions,
  ) {
    this.alloc = options.allocate ?? ((n) => new ArrayBuffer(n));
  }

  /**
   * Sized from the first row: the rows the text's expected size holds at its length, and half as
   * many distinct texts, so that a large file's columns are rarely copied or rehashed. Memory never
   * written stays unused, so a guess too high costs little.
   */
  private start(rowLength: number): void {
    const rows = Math.min(2 ** 24, Math.ceil((1.25 * (this.options.sizeHint ?? 0)) / Math.max(64, rowLength)));
    this.interners = this.cols.map(() => new TextInterner(new Uint8Array(0), Math.max(1024, rows >> 1)));
    this.codes = this.cols.map(() => new Int32Array(this.alloc(4 * Math.max(4096, rows))));
    this.first = this.cols.map(() => new Uint32Array(this.alloc(4 * Math.max(1024, rows >> 1))));
  }

  /** Index bytes a row takes. */
  get bytesPerRow(): number {
    return 4 * this.cols.length;
  }

  private copy<T extends Int32Array | Uint32Array>(a: T, n: number, make: (m: ArrayBufferLike) => T): T {
    const x = make(this.alloc(4 * n));
    x.set(a);
    return x;
  }

  /**
   * Row `row`'s key cells: fields [starts[k], ends[k]) of b, quotes included, of the `m` the row has.
   * `b` is the loader's buffer; when it grew, it holds the old bytes at the same offsets.
   */
  record(b: Uint8Array, starts: Float64Array, ends: Float64Array, m: number, row: number, segment = 0): void {
    if (row === 0) this.start(ends[m - 1] - starts[0] + 1);
    if (segment !== this.segment) {
      this.segment = segment;
      for (const i of this.interners) i.segment((this.b = b));
    } else if (b !== this.b) for (const i of this.interners) i.moved((this.b = b));
    if (row === this.codes[0].length)
      this.codes = this.codes.map((c) => this.copy(c, 2 * row, (x) => new Int32Array(x)));
    const cols = this.cols;
    for (let j = 0; j < cols.length; j++) {
      const k = cols[j];
      let code = -1; // NULL: an empty unquoted field, or a field the row does not have
      if (this.dropped[j]) continue;
      if (k < m && ends[k] - starts[k] > MAX_DICT_VALUE) this.dropped[j] = true;
      else if (k < m && starts[k] < ends[k]) {
        const s = starts[k];
        const interner = this.interners[j];
        const before = interner.count;
        code = interner.field(s, ends[k], b[s] === QUOTE);
        if (interner.count > before) {
          if (code === this.first[j].length)
            this.first[j] = this.copy(this.first[j], 2 * code, (x) => new Uint32Array(x));
          this.first[j][code] = row;
        }
      }
      this.codes[j][row] = code;
    }
  }

  /** Per column of a header of `columns`, the codes of the first `rows` rows (null: not a key column). */
  keys(columns: number, rows: number): (TextKeys | null)[] {
    const out = new Array<TextKeys | null>(columns).fill(null);
    const none = new Int32Array(0);
    this.cols.forEach((k, j) => {
      // no row yet: nothing was sized; a column given up has none (the measures intern it themselves)
      if (this.dropped[j]) out[k] = null;
      else if (!rows) out[k] = { codes: none, count: 0, first: new Uint32Array(0) };
      else {
        const count = this.interners[j].count;
        out[k] = { codes: this.codes[j].subarray(0, rows), count, first: this.first[j].subarray(0, count) };
      }
    });
    return out;
  }
}
