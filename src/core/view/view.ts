/**
 * What the grid shows of a table: the rows that pass the filters and the search, in the order of
 * the sort. One engine per loaded table keeps what is costly to recompute: vectors built for
 * columns the loader left as text, sort orders, and the last filter's rows.
 *
 * Room src/core/view: the grid's view engine: filters, search, sorts (radix, text) over a loaded table.
 * May import: src/core/catalog, src/core/load.
 */
import { BOOL_FALSE, BOOL_NULL, BOOL_TRUE } from '../load/cells';
import { DICT_NULL } from '../load/dict';
import { buildVector, FieldCursor } from './fields';
import { applyFilter, applySearch, FilterError, type ColumnFilter, type FilterSource } from './viewFilter';
import { sortRows } from './sort';
import { ExportTable, type TableData, type VectorData } from '../load/table';

export interface SortSpec {
  readonly column: number;
  readonly descending: boolean;
}

/**
 * A set of rows picked elsewhere (the rows behind a chart's value), named by an id the host keeps
 * the rows under, with the words the info bar shows and its size.
 */
export interface RowSetRef {
  readonly id: string;
  readonly label: string;
  readonly count: number;
}

export interface ViewSpec {
  /** Only these rows (the other filters narrow them further). */
  readonly rowSet?: RowSetRef | null;
  readonly filters: readonly ColumnFilter[];
  /** Text any cell of a row must contain ('' for none). */
  readonly search: string;
  readonly sort: SortSpec | null;
}

export type ViewResult =
  { ok: true; total: number; order: Uint32Array | null; ms: number } | { ok: false; message: string };

export interface ValueCount {
  value: string | null;
  count: number;
}

export type Allocate = (bytes: number) => ArrayBufferLike;

const MAX_ORDERS = 4;

export class ViewEngine implements FilterSource {
  readonly cursor: FieldCursor;
  private readonly vectors: (VectorData | null | undefined)[];
  private readonly orders = new Map<string, Uint32Array>();
  private lastFilter: { key: string; rows: Uint32Array | null; mask: Uint8Array | null } | null = null;

  constructor(
    readonly data: TableData,
    private readonly allocate: Allocate = (n) => new ArrayBuffer(n),
  ) {
    this.cursor = new FieldCursor(data);
    // span vectors (JSON columns) hold byte ranges, not values: those columns are read as text
    this.vectors = data.vectors.map((v) => (v && v.kind !== 'span' ? v : undefined));
  }

  /** The column's typed vector: the loader's, else one built now (kept); null for free text. */
  vector(column: number): VectorData | null {
    let v = this.vectors[column];
    if (v === undefined) {
      v = buildVector(this.data, column);
      this.vectors[column] = v;
    }
    return v;
  }

  /** Row numbers in the sort's order (typed; NULL last). */
  order(sort: SortSpec): Uint32Array {
    const key = `${sort.column}:${sort.descending}`;
    let o = this.orders.get(key);
    if (!o) {
      this.vector(sort.column);
      // the sort reads a JSON column's text from its byte ranges, and later columns from there
      const vectors = this.vectors.map(
        (v, k) => v ?? (this.data.vectors[k]?.kind === 'span' ? this.data.vectors[k] : null),
      );
      const sorted = sortRows(new ExportTable({ ...this.data, vectors }), sort.column, sort.descending);
      o = this.shared(sorted.length);
      o.set(sorted);
      if (this.orders.size >= MAX_ORDERS) this.orders.delete(this.orders.keys().next().value!);
      this.orders.set(key, o);
    }
    return o;
  }

  private shared(length: number): Uint32Array {
    return new Uint32Array(this.allocate(Math.max(1, length) * 4), 0, length);
  }

  /** The rows that pass (ascending, with their mask), or null when nothing filters. */
  private filtered(
    filters: readonly ColumnFilter[],
    search: string,
    set: { id: string; rows: Uint32Array } | null,
  ): { rows: Uint32Array | null; mask: Uint8Array | null } {
    if (filters.length === 0 && !search && !set) return { rows: null, mask: null };
    const key = JSON.stringify([filters, search, set?.id ?? null]);
    if (this.lastFilter?.key === key) return this.lastFilter;
    const n = this.data.rowCount;
    const mask = new Uint8Array(n);
    if (set) {
      for (const r of set.rows) if (r < n) mask[r] = 1;
    } else mask.fill(1);
    // cheap typed filters first: the text ones then look at fewer rows
    const cost = (f: ColumnFilter) => (f.op === 'contains' || !this.vector(f.column) ? 1 : 0);
    for (const f of [...filters].sort((a, b) => cost(a) - cost(b))) applyFilter(this, f, mask);
    if (search) applySearch(this, search, mask);
    let total = 0;
    for (let i = 0; i < n; i++) total += mask[i];
    const rows = this.shared(total);
    for (let i = 0, k = 0; i < n; i++) if (mask[i]) rows[k++] = i;
    this.lastFilter = { key, rows, mask };
    return this.lastFilter;
  }

  /** The rows in view (ascending), or null for every row. Throws FilterError for a filter that cannot apply. */
  rowsIn(spec: Pick<ViewSpec, 'filters' | 'search' | 'rowSet'>, rowSet: Uint32Array | null = null): Uint32Array | null {
    if (spec.rowSet && !rowSet) throw new FilterError('The rows of that chart point are gone; open them again');
    const set = spec.rowSet && rowSet ? { id: spec.rowSet.id, rows: rowSet } : null;
    return this.filtered(spec.filters, spec.search, set).rows;
  }

  /** The row order for a view (`rowSet`: the rows its spec names); null order means every row in file order. */
  view(spec: ViewSpec, rowSet: Uint32Array | null = null): ViewResult {
    const t0 = performance.now();
    try {
      if (spec.rowSet && !rowSet) throw new FilterError('The rows of that chart point are gone; open them again');
      const set = spec.rowSet && rowSet ? { id: spec.rowSet.id, rows: rowSet } : null;
      const { rows, mask } = this.filtered(spec.filters, spec.search, set);
      let order = rows;
      if (spec.sort) {
        const sorted = this.order(spec.sort);
        if (!mask) order = sorted;
        else {
          order = this.shared(rows!.length);
          for (let i = 0, k = 0; i < sorted.length; i++) if (mask[sorted[i]]) order[k++] = sorted[i];
        }
      }
      return { ok: true, total: order ? order.length : this.data.rowCount, order, ms: performance.now() - t0 };
    } catch (e) {
      if (e instanceof FilterError) return { ok: false, message: e.message };
      throw e;
    }
  }

  /** How often each value occurs, most frequent first, for columns with a dictionary or booleans; null otherwise. */
  values(column: number, limit = 500): { values: ValueCount[]; distinct: number } | null {
    const v = this.vector(column);
    if (!v || (v.kind !== 'dict' && v.kind !== 'bool')) return null;
    const size = v.kind === 'dict' ? v.dict!.length : 4;
    const counts = new Float64Array(size + 1);
    const d = v.data;
    const nullCode = v.kind === 'dict' ? DICT_NULL : BOOL_NULL;
    for (let i = 0; i < this.data.rowCount; i++) {
      const code = d[i];
      counts[code === nullCode ? size : code]++;
    }
    const label = (code: number): string | null => {
      if (code === size) return null;
      if (v.kind === 'dict') return v.dict![code];
      return code === BOOL_TRUE ? 'true' : code === BOOL_FALSE ? 'false' : 'invalid';
    };
    const all: ValueCount[] = [];
    counts.forEach((n, code) => {
      if (n > 0 && !(v.kind === 'bool' && code === 3)) all.push({ value: label(code), count: n });
    });
    all.sort((a, b) => b.count - a.count || String(a.value).localeCompare(String(b.value)));
    return { values: all.slice(0, limit), distinct: all.length };
  }
}
