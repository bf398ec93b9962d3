/**
 * A loaded export: the decompressed bytes, the start offset of every data row, and typed column
 * vectors for what sorting, filtering and measures need. Cells are decoded only when asked for.
 * TableData is plain data (typed arrays, possibly over SharedArrayBuffers), so a worker can build
 * it and the extension host can read it without copying.
 */
import { BOOL_NULL, BOOL_TRUE, fieldText } from './cells';
import { RecordScanner, type RecordSink } from './scan';
import type { ColumnSpec, ColumnType } from '../catalog/templates';

/**
 * time: ms since epoch; float/int: number; NaN is null (or unparsable). bool: BOOL_* codes. dict:
 * 16-bit code, DICT_NULL (0xffff) null. span (JSON columns): two entries per row, the field's start
 * and end offset in the row's segment, quotes included; start = end for NULL.
 */
export type VectorKind = 'time' | 'float' | 'int' | 'bool' | 'dict' | 'span';

/** The typed vector a column of this type is held in (null: text, decoded lazily; JSON: its spans). */
export function vectorKindOf(type: ColumnType, dictionary: boolean): VectorKind | null {
  switch (type) {
    case 'timestamp':
      return 'time';
    case 'float':
      return 'float';
    case 'integer':
      return 'int';
    case 'boolean':
      return 'bool';
    case 'string':
      return dictionary ? 'dict' : null;
    case 'json':
      return 'span';
    default:
      return null;
  }
}

/** The typed vector the loader builds for a column (null: the column stays text, decoded lazily). */
export function loadedVectorKind(spec: ColumnSpec | undefined): VectorKind | null {
  if (!spec || spec.vector === false) return null;
  return vectorKindOf(spec.type, spec.dictionary ?? false);
}

export interface VectorData {
  readonly kind: VectorKind;
  readonly data: Float64Array | Uint8Array | Uint16Array | Uint32Array;
  /** Code → text, for dict vectors. */
  readonly dict?: readonly string[];
}

/**
 * A key column's cells as whole-number codes, given while loading (the catalog's `key` columns):
 * two cells have the same code exactly when their texts are equal (as ExportTable.cell reads them).
 */
export interface TextKeys {
  /** Row → code, -1 for NULL (an empty unquoted field, or a field the row lacks). */
  readonly codes: Int32Array;
  /** Number of distinct texts: codes 0 … count-1, in order of first sight. */
  readonly count: number;
  /** Code → the first row holding it (the code's text is that row's cell). */
  readonly first: Uint32Array;
}

export interface TableData {
  /**
   * The text in segments, each in its own buffer: segment 0 starts with the header, and a record
   * never straddles two segments. Read it through the accessors below (segmentOf, RowText,
   * ExportTable.rowText), never by holding on to one segment: a later table may not keep them all.
   */
  readonly segments: readonly Uint8Array[];
  /** The first row of each segment, ascending (segmentRows[0] = 0). */
  readonly segmentRows: readonly number[];
  /** Where each segment starts in the whole text (a double: the whole text may pass 4 GiB). */
  readonly segmentStarts: readonly number[];
  /** Bytes of the whole text. */
  readonly textLength: number;
  /** Where each row starts in its segment (segmentOf). */
  readonly rowStarts: Uint32Array;
  readonly rowCount: number;
  readonly header: readonly string[];
  readonly types: readonly ColumnType[];
  readonly delimiter: ',' | ';';
  readonly bom: boolean;
  /** Offset of the first data row (in segment 0, which holds the header). */
  readonly dataStart: number;
  readonly vectors: readonly (VectorData | null)[];
  /**
   * Line shifts: data row rows[k] starts extra[k] lines later than the row before it implies (quoted
   * newlines or blank lines in between). Sorted by row; empty for the usual one-line records.
   */
  readonly lineShifts: { readonly rows: readonly number[]; readonly extra: readonly number[] };
  /**
   * Per typed column (by name), the 0-based rows whose cell is not empty yet no SQL load would
   * read it (the vector holds NaN / BOOL_INVALID there). Cells in a form SQL reads but the
   * documentation does not (`8:27:06`, `T…Z`, `True`) are in the vectors with their value.
   */
  readonly unreadable?: Readonly<Record<string, readonly number[]>>;
  /** Per column, its key codes when the loader gave it some (TextKeys); absent or null otherwise. */
  readonly textKeys?: readonly (TextKeys | null)[];
}

/** A typed vector of `capacity` rows of a kind, memory from `alloc`, the entries of `old` copied in. */
export function newVector(
  kind: VectorKind,
  capacity: number,
  alloc: (bytes: number) => ArrayBufferLike,
  old?: VectorData,
  dict?: readonly string[],
): VectorData {
  let data: Float64Array | Uint8Array | Uint16Array | Uint32Array;
  if (kind === 'bool') data = new Uint8Array(alloc(capacity));
  else if (kind === 'dict') data = new Uint16Array(alloc(capacity * 2));
  else if (kind === 'span') data = new Uint32Array(alloc(capacity * 8));
  else data = new Float64Array(alloc(capacity * 8));
  if (old) (data as Float64Array).set(old.data);
  const values = dict ?? old?.dict;
  return values ? { kind, data, dict: values } : { kind, data };
}

/** Bytes one row takes in the index: its start offset and an entry in each typed vector. */
export function indexBytesPerRow(vectors: readonly (VectorData | null)[]): number {
  let n = 4;
  for (const v of vectors) if (v) n += v.kind === 'bool' ? 1 : v.kind === 'dict' ? 2 : 8;
  return n;
}

/** The text of a table: its segments, the first row of each, and where each starts in the whole text. */
export type TableText = Pick<TableData, 'segments' | 'segmentRows' | 'segmentStarts' | 'textLength'>;

/** A text in one segment. */
export function oneSegment(bytes: Uint8Array): TableText {
  return { segments: [bytes], segmentRows: [0], segmentStarts: [0], textLength: bytes.length };
}

/** The segment row `row` is in. */
export function segmentOf(data: Pick<TableData, 'segmentRows'>, row: number): number {
  const first = data.segmentRows;
  let lo = 0;
  let hi = first.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (first[mid] <= row) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Reads rows' text segment by segment: `at(row)` is the segment holding the row (rowStarts and
 * span vectors are offsets in it), fetched again only when a row lies in another one, so a loop
 * over rows in order (or mostly in order) pays two comparisons a row.
 */
export class RowText {
  /** The current segment's bytes, first row, first row past it, number and place in the whole text. */
  bytes: Uint8Array;
  lo = 0;
  hi: number;
  segment = 0;
  base = 0;

  constructor(readonly data: TableData) {
    this.bytes = data.segments[0];
    this.hi = data.segments.length === 1 ? Infinity : data.segmentRows[1];
  }

  /** The bytes of row `row`'s segment. */
  at(row: number): Uint8Array {
    if (row < this.lo || row >= this.hi) this.move(row);
    return this.bytes;
  }

  /** Where row `row` ends in its segment: the next row's start, or the segment's end. */
  end(row: number): number {
    if (row < this.lo || row >= this.hi) this.move(row);
    return row + 1 < this.hi && row + 1 < this.data.rowCount ? this.data.rowStarts[row + 1] : this.bytes.length;
  }

  /** Where a place in row `row`'s segment is in the whole text. */
  place(row: number, offset: number): number {
    if (row < this.lo || row >= this.hi) this.move(row);
    return this.base + offset;
  }

  private move(row: number): void {
    const d = this.data;
    const g = segmentOf(d, row);
    this.segment = g;
    this.bytes = d.segments[g];
    this.lo = d.segmentRows[g];
    this.hi = g + 1 < d.segments.length ? d.segmentRows[g + 1] : Infinity;
    this.base = d.segmentStarts[g];
  }
}

/** A table over the first `rows` entries of a loader's row index and vectors (which have room for more). */
export function usedTable(
  text: TableText,
  rowStarts: Uint32Array,
  rows: number,
  vectors: readonly (VectorData | null)[],
  rest: Omit<TableData, keyof TableText | 'rowStarts' | 'rowCount' | 'vectors'>,
): TableData {
  return {
    segments: text.segments,
    segmentRows: text.segmentRows,
    segmentStarts: text.segmentStarts,
    textLength: text.textLength,
    rowStarts: rowStarts.subarray(0, rows),
    rowCount: rows,
    header: rest.header,
    types: rest.types,
    delimiter: rest.delimiter,
    bom: rest.bom,
    dataStart: rest.dataStart,
    vectors: vectors.map((v) => {
      if (!v) return null;
      const data = v.data.subarray(0, v.kind === 'span' ? 2 * rows : rows);
      return v.dict ? { kind: v.kind, data, dict: v.dict } : { kind: v.kind, data };
    }),
    lineShifts: rest.lineShifts,
    unreadable: rest.unreadable,
    ...(rest.textKeys ? { textKeys: rest.textKeys } : {}),
  };
}

export class ExportTable implements RecordSink {
  private readonly scanner: RecordScanner;
  private readonly index = new Map<string, number>();
  private cachedRow = -1;
  private cachedCount = 0;
  /** The segment of the row scanned last (cachedRow). */
  private readonly text: RowText;
  /** Cumulative line shift up to and including each entry of lineShifts. */
  private readonly shiftSum: number[];

  constructor(readonly data: TableData) {
    this.scanner = new RecordScanner(data.delimiter.charCodeAt(0));
    this.scanner.keep = data.header.length + 1;
    this.text = new RowText(data);
    data.header.forEach((h, i) => {
      if (!this.index.has(h)) this.index.set(h, i);
    });
    let acc = 0;
    this.shiftSum = data.lineShifts.extra.map((x) => (acc += x));
  }

  get rowCount(): number {
    return this.data.rowCount;
  }
  get header(): readonly string[] {
    return this.data.header;
  }
  columnIndex(name: string): number {
    return this.index.get(name) ?? -1;
  }
  vector(name: string): VectorData | null {
    const i = this.columnIndex(name);
    return i < 0 ? null : this.data.vectors[i];
  }

  record(_s: RecordScanner, _start: number, _line: number, fieldCount: number): void {
    this.cachedCount = fieldCount;
  }

  private scanRow(row: number): void {
    if (row === this.cachedRow) return;
    if (row < 0 || row >= this.data.rowCount) throw new RangeError(`row ${row} out of range`);
    const b = this.text.at(row);
    this.scanner.pos = this.data.rowStarts[row];
    this.scanner.scan(b, b.length, true, this, 1);
    this.cachedRow = row;
  }

  /** Number of fields in a row as written (can differ from the header's on ragged rows). */
  fieldCount(row: number): number {
    this.scanRow(row);
    return this.cachedCount;
  }

  /** A cell's text; null for an empty unquoted field (NULL) or a field the row does not have. */
  cell(row: number, col: number): string | null {
    this.scanRow(row);
    if (col >= this.cachedCount || col >= this.scanner.keep) return null;
    const s = this.scanner.starts[col];
    const e = this.scanner.ends[col];
    const q = this.scanner.quoted[col] === 1;
    if (s === e) return null;
    return fieldText(this.text.at(row), s, e, q);
  }

  /** The bytes of row `row`'s segment, which cellRange's and rowStarts' offsets are in. */
  rowBytes(row: number): Uint8Array {
    return this.text.at(row);
  }

  /** Where a place in row `row`'s segment is in the whole text. */
  textPlace(row: number, offset: number): number {
    return this.text.place(row, offset);
  }

  /** Byte range of a cell in its row's segment (rowBytes). */
  cellRange(row: number, col: number): [number, number] | null {
    this.scanRow(row);
    return col < this.cachedCount && col < this.scanner.keep
      ? [this.scanner.starts[col], this.scanner.ends[col]]
      : null;
  }

  row(row: number): (string | null)[] {
    const out: (string | null)[] = [];
    for (let c = 0; c < this.data.header.length; c++) out.push(this.cell(row, c));
    return out;
  }

  /** 1-based physical line where a data row starts (the header is line 1). */
  line(row: number): number {
    const rows = this.data.lineShifts.rows;
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (rows[mid] <= row) lo = mid + 1;
      else hi = mid;
    }
    return row + 2 + (lo > 0 ? this.shiftSum[lo - 1] : 0);
  }

  /** A boolean vector's value: true, false or null. */
  bool(name: string, row: number): boolean | null {
    const v = this.vector(name);
    if (!v || v.kind !== 'bool') return null;
    const c = v.data[row];
    return c >= BOOL_NULL ? null : c === BOOL_TRUE;
  }
}
