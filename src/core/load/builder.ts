/**
 * Builds a table from decompressed chunks as they arrive: appends them to a buffer, a segment of
 * the text at a time (a record is never cut between two: TableData.segments), reads the header, scans the records that are complete, fills the row index and typed vectors,
 * and hands each record to the validator in the same pass. Typing a cell checks it too: the
 * validator walks a row's cells again only when one of them gives its rules work (validate/fused.ts).
 */
import { BOOL_INVALID, BOOL_NULL, columnsByKind, K_BOOL, quickValue } from './cells';
import { DICT_NULL, type DictEncoder, KeyCoder } from './dict';
import { LoadFailure } from '../errors';
import { columnSetup, readHeader, type HeaderInfo } from './header';
import { UnreadableCells } from './lenient';
import type { RecordScanner, RecordSink } from './scan';
import { indexBytesPerRow, newVector, usedTable, type TableData, type VectorData } from './table';
import type { ColumnType } from '../catalog/templates';
import {
  allocOrTooLarge,
  grownCapacity,
  INDEX_SLACK,
  loadValidator,
  FilledSegments,
  LineShiftsKept,
  moved,
  SEGMENT_BYTES,
  rowBudget,
  textTooLarge,
} from './builderOptions';
import type { Allocate, BuilderOptions, DeepChannel, LiveText } from './builderOptions';
import { acceptsNumber, CHECK_REQUIRED, CHECK_RULES, noChecks, type LoadChecks } from '../validate/fused';
import { plainAscii } from '../validate/textBytes';
import type { Validator } from '../validate/validator';

export type { HeaderInfo } from './header';
export type { Allocate, BuilderOptions, DeepChannel } from './builderOptions';

export class TableBuilder implements RecordSink {
  protected buf: Uint8Array;
  length = 0;
  /** Bytes of text read so far when that is more than `length` (a columns-only load keeps a part). */
  seen = 0;
  rowCount = 0;
  private rowStarts: Uint32Array;
  protected capacity = 4096;
  /** The row at which record() must make room (capacity, or fewer rows when the index budget says so). */
  protected rowLimit = 4096;
  /** Index bytes per row: its start and one entry of each typed vector. */
  private bytesPerRow = 4;
  private readonly allocate: Allocate;
  protected scanner: RecordScanner | null = null;
  headerInfo: HeaderInfo | null = null;
  private types: ColumnType[] = [];
  private kinds: Int8Array = new Int8Array(0);
  private vectors: (VectorData | null)[] = [];
  private dicts: (DictEncoder | null)[] = [];
  protected keys: KeyCoder | null = null;
  /** Column indices per vector kind: the numeric kinds (time, float, int), bool, dict and span. */
  private numberCols = new Int32Array(0);
  private boolCols = new Int32Array(0);
  private dictCols = new Int32Array(0);
  private spanCols = new Int32Array(0);
  /** 1 for a column whose vector entries the caller wrote (give). */
  private given = new Uint8Array(0);
  /** What the validator reads: the current buffer and vectors (kept up to date, never reallocated). */
  protected readonly live: LiveText;
  /** Where buf starts in the whole text, and the row of the vectors' first entries (src/core/stream/window.ts moves them). */
  protected base = 0;
  /** The segments of text filled before buf. */
  private readonly filled: FilledSegments;
  protected rowBase = 0;
  protected validator: Validator | null = null;
  /** Validation fused into typing (validate/fused.ts): what to check per column as its cell is typed. */
  private checks: LoadChecks = noChecks(0);
  protected deepChannel: DeepChannel | null = null;
  private readonly shifts = new LineShiftsKept();
  protected dataStart = 0;
  /** Byte ranges that may hold NUL or non-UTF-8 bytes, until the validator exists to take them. */
  private suspects: number[] = [];
  private readonly unreadable = new UnreadableCells();
  /** The text's expected size: the size hint, or more once the caller knows better (reserve). */
  private expected: number;

  constructor(protected readonly options: BuilderOptions) {
    this.allocate = options.allocate ?? ((n) => new ArrayBuffer(n));
    this.expected = options.sizeHint ?? 0;
    this.filled = new FilledSegments(options.segmentBytes ?? SEGMENT_BYTES);
    this.buf = new Uint8Array(this.alloc(this.filled.firstSize(options.sizeHint ?? 0, options.maxBytes)));
    this.rowStarts = new Uint32Array(this.alloc(this.capacity * 4));
    this.live = { bytes: this.buf, vectors: this.vectors, base: 0, rowBase: 0, segment: 0 };
  }

  private alloc(bytes: number): ArrayBufferLike {
    return allocOrTooLarge(this.allocate, bytes);
  }

  /** Bytes of text taken so far (with a window, more than `length`, the bytes it holds). */
  get taken(): number {
    return this.base + this.length;
  }

  get bytes(): Uint8Array {
    return this.buf;
  }
  /** Appends decompressed bytes and processes every record now complete. */
  append(chunk: Uint8Array): void {
    // (reserving may start a new segment, which changes `length`)
    this.reserve(chunk.length);
    const need = this.length + chunk.length;
    this.buf.set(chunk, this.length);
    if (this.options.validate !== false && !(this.options.cleanText ?? plainAscii)(chunk)) {
      const [from, to] = [this.base + this.length, this.base + need];
      if (this.validator) this.validator.suspect(from, to);
      else this.suspects.push(from, to);
    }
    this.length = need;
    this.process(false);
  }

  /**
   * Room for `extra` more bytes at `length` (for append, or records the caller writes in place, see
   * addRecord); `expected` is the whole text's likely size, so the buffer grows once, not often.
   */
  reserve(extra: number, expected = 0): Uint8Array {
    let need = this.length + extra;
    if (this.base + need > this.options.maxBytes) throw textTooLarge(this.options.maxBytes);
    if (expected > this.expected) this.expected = expected;
    if (need > this.filled.segmentBytes && !this.options.window && this.scanner && this.scanner.pos > 0) {
      this.nextSegment(extra);
      need = this.length + extra;
    }
    if (need > this.buf.length) {
      const size = this.filled.grownSize(need, expected, this.base, this.buf.length, this.options.maxBytes);
      this.buf = this.live.bytes = moved(this.buf.subarray(0, this.length), this.alloc(size));
    }
    return this.buf;
  }

  /**
   * The scanned records stay in the segment they fill; the record the text cut (from the scanner's
   * place on) starts the next segment, with room for `extra` more bytes. Rules that keep a place in
   * the text are told first (the deep rules' batch so far goes with the segment it points into).
   */
  private nextSegment(extra: number): void {
    const sc = this.scanner!;
    const pos = sc.pos;
    this.validator?.flushDeferred();
    this.filled.add(this.buf.subarray(0, pos), this.rowCount, this.base + pos);
    const size = this.filled.nextSize(this.length - pos + extra, this.base + pos, this.expected, this.options.maxBytes);
    this.buf = this.live.bytes = moved(this.buf.subarray(pos, this.length), this.alloc(size));
    [this.length, this.base, sc.pos] = [this.length - pos, this.base + pos, 0];
    this.live.base = this.base;
    this.live.segment = this.filled.count;
  }

  /**
   * A record the caller wrote at [length, end) (after the header, ending in LF), its fields in
   * sc.starts/ends/quoted as the scanner would have found them; `lines`: line breaks in its quoted fields.
   */
  addRecord(sc: RecordScanner, end: number, fields: number, lines: number, line = this.scanner!.line): void {
    const scanner = this.scanner!;
    const start = this.length;
    scanner.line = line + 1 + lines;
    this.length = end;
    scanner.pos = end;
    this.record(sc, start, line, fields, 0);
  }

  /** No more data: the last record may lack a newline. */
  finish(): void {
    if (this.taken === 0) throw new LoadFailure('empty', 'The file is empty: there is no header and no data');
    this.process(true);
    if (!this.headerInfo) throw new LoadFailure('not-an-export', 'The file has no header line');
    this.validator?.flushDeferred();
  }

  protected process(final: boolean): void {
    if (!this.headerInfo && !this.readHeader(final)) return;
    this.scanner!.scan(this.buf, this.length, final, this);
  }

  protected readHeader(final: boolean): boolean {
    const read = readHeader(this.buf, this.length, final, this.options.template, this.options.name);
    if (!read) return false;
    const { info, scanner } = read;
    const header = info.header;
    this.headerInfo = info;
    this.dataStart = scanner.pos;
    this.scanner = scanner;
    const only = this.options.validate === false && this.options.columns ? new Set(this.options.columns) : null;
    const setup = columnSetup(header, info.report.feed, only, this.capacity, (n) => this.alloc(n));
    [this.types, this.kinds, this.dicts, this.vectors] = [setup.types, setup.kinds, setup.dicts, setup.vectors];
    this.live.vectors = this.vectors;
    this.given = new Uint8Array(header.length);
    this.listColumns();
    this.checks = noChecks(header.length);
    this.keys = KeyCoder.of(header, info.report.feed, only, this.options);
    this.bytesPerRow = indexBytesPerRow(this.vectors) + (this.keys?.bytesPerRow ?? 0);
    this.rowLimit = this.capacity;
    if (this.options.validate !== false) {
      [this.validator, this.deepChannel] = loadValidator(this.options, header, info.version, () => this.live);
      for (let k = 0; k < this.suspects.length; k += 2) this.validator.suspect(this.suspects[k], this.suspects[k + 1]);
      this.checks = this.validator.loadChecks();
    }
    return true;
  }

  /** Room for one more row, or 'too-large' when the index would outgrow its budget. */
  protected makeRoom(row: number): void {
    const budget = this.budgetFor(row);
    if (row === this.capacity) this.resize(this.grownFrom(this.capacity, budget));
    this.rowLimit = Math.min(this.capacity, budget);
  }

  /** The rows the index may hold now, or 'too-large' when `row` is past them. */
  protected budgetFor(row: number): number {
    const scanned = Math.max(this.base + this.scanner!.pos, this.seen) - this.dataStart;
    return rowBudget(row, Math.max(this.taken, this.seen), scanned, this.bytesPerRow);
  }

  /** The capacity vectors of `capacity` rows grow to, when full (grownCapacity). */
  protected grownFrom(capacity: number, budget: number, hint = this.expected): number {
    const at = Math.max(this.base + this.scanner!.pos, this.seen);
    const expected = Math.min(hint, this.options.maxBytes);
    const g = { at, dataStart: this.dataStart, rows: this.rowCount, capacity, expected, budget };
    return grownCapacity(g, (text) => Math.floor((INDEX_SLACK + text) / this.bytesPerRow));
  }

  protected resize(capacity: number): void {
    const starts = new Uint32Array(this.alloc(capacity * 4));
    starts.set(this.rowStarts.subarray(0, this.rowCount));
    this.rowStarts = starts;
    this.vectors = this.vectors.map((v) => (v ? newVector(v.kind, capacity, (n) => this.alloc(n), v) : null));
    this.live.vectors = this.vectors;
    this.capacity = capacity;
  }

  /**
   * Typed values of a columnar source (Parquet) handed over, not parsed from their text: room for
   * `rows` more rows, and column k's vector and dictionary, to write rows rowCount + i in before adding them.
   */
  reserveRows(rows: number, k: number): { vector: VectorData | null; dict: DictEncoder | null } {
    if (this.rowCount + rows > this.capacity) this.resize(this.rowCount + rows);
    return { vector: this.vectors[k] ?? null, dict: this.dicts[k] ?? null };
  }

  /**
   * The columns (1 each) whose vector entries the rows added next have already (see reserveRows):
   * their text is not typed again, and without validation nothing is left to do for them per row.
   */
  give(columns: Uint8Array): void {
    this.given.set(columns);
    this.listColumns();
  }

  private listColumns(): void {
    const skip = this.validator ? new Uint8Array(this.kinds.length) : this.given;
    [this.numberCols, this.boolCols, this.dictCols, this.spanCols] = columnsByKind(this.kinds, skip);
  }

  blankLines(start: number, _end: number, line: number, count: number): void {
    this.validator?.blankLines(start, line, count);
  }

  record(sc: RecordScanner, start: number, line: number, n: number, flags: number): void {
    const b = this.buf;
    if (n === 1 && sc.starts[0] === sc.ends[0] && sc.quoted[0] === 0) {
      this.validator?.blankLine(line, start);
      return;
    }
    const row = this.rowCount;
    // the row's entry in the vectors (a window's vectors start at rowBase)
    const vr = row - this.rowBase;
    if (vr === this.rowLimit) this.makeRoom(row);
    this.shifts.row(row, line);
    this.rowStarts[vr] = start;
    // one loop per kind of vector, so each reads and writes one kind of typed array
    const m = n < this.kinds.length ? n : this.kinds.length;
    const starts = sc.starts;
    const ends = sc.ends;
    const quoted = sc.quoted;
    const vectors = this.vectors;
    const kinds = this.kinds;
    // typing a cell is checking it: `dirty` once a cell's rules may find something (validate/fused.ts)
    const checks = this.checks;
    const check = checks.check;
    const given = this.given;
    let dirty = false;
    const numberCols = this.numberCols;
    for (let j = 0; j < numberCols.length; j++) {
      const k = numberCols[j];
      let v = NaN; // NULL: an empty unquoted field, `""`, or a field the row does not have
      if (k < m) {
        let s = starts[k];
        let e = ends[k];
        if (quoted[k] === 1) {
          s++;
          e--;
        }
        if (s >= e) dirty ||= (check[k] & (quoted[k] === 1 ? CHECK_RULES : CHECK_REQUIRED)) !== 0;
        else {
          const kind = kinds[k];
          v = given[k] === 1 ? (vectors[k]!.data as Float64Array)[vr] : quickValue(kind, b, s, e);
          // a value in the documented form passes the type's rule; the range rules read the value
          if (v === v) dirty ||= (check[k] & CHECK_RULES) !== 0 && !acceptsNumber(checks.shortcut[k], v);
          else {
            dirty ||= check[k] !== 0;
            v = this.unreadable.number(kind, b, s, e, k, row);
          }
        }
      }
      (vectors[k]!.data as Float64Array)[vr] = v;
    }
    const boolCols = this.boolCols;
    for (let j = 0; j < boolCols.length; j++) {
      const k = boolCols[j];
      let v = BOOL_NULL;
      if (k < m) {
        let s = starts[k];
        let e = ends[k];
        if (quoted[k] === 1) {
          s++;
          e--;
        }
        if (s >= e) dirty ||= (check[k] & (quoted[k] === 1 ? CHECK_RULES : CHECK_REQUIRED)) !== 0;
        else {
          v = given[k] === 1 ? vectors[k]!.data[vr] : quickValue(K_BOOL, b, s, e);
          if (v === BOOL_INVALID) {
            dirty ||= check[k] !== 0;
            v = this.unreadable.boolean(b, s, e, k, row);
          } else if ((check[k] & CHECK_RULES) !== 0 && ((e - s === 1) !== checks.shortBooleans || b[s] < 0x61))
            dirty = true; // in the other version's encoding, or not in lower case
        }
      }
      (vectors[k]!.data as Uint8Array)[vr] = v;
    }
    const dictCols = this.dictCols;
    let overflow = false;
    for (let j = 0; j < dictCols.length; j++) {
      const k = dictCols[j];
      let code = DICT_NULL; // for dict columns `""` stays the empty string
      if (k < m && starts[k] < ends[k]) {
        code = given[k] === 1 ? vectors[k]!.data[vr] : this.dicts[k]!.encode(b, starts[k], ends[k], quoted[k] === 1);
        if (code === -2) {
          // too many distinct values for a dictionary: keep the column as lazily decoded text
          kinds[k] = 0;
          vectors[k] = null;
          this.dicts[k] = null;
          overflow = true;
          checks.vectorDropped(k);
          dirty = true;
          continue;
        }
        if ((check[k] & CHECK_RULES) !== 0 && !checks.dictPasses(k, this.dicts[k]!.values, code)) dirty = true;
      } else if (k < m) dirty ||= (check[k] & CHECK_REQUIRED) !== 0;
      (vectors[k]!.data as Uint16Array)[vr] = code;
    }
    if (overflow) this.listColumns();
    const spanCols = this.spanCols;
    for (let j = 0; j < spanCols.length; j++) {
      // the field's raw byte range, quotes included; an empty range is NULL
      const k = spanCols[j];
      const data = vectors[k]!.data as Uint32Array;
      data[2 * vr] = k < m ? starts[k] : 0;
      data[2 * vr + 1] = k < m ? ends[k] : 0;
      if (k < m) dirty ||= (check[k] & (starts[k] === ends[k] ? CHECK_REQUIRED : CHECK_RULES)) !== 0;
    }
    this.keys?.record(b, starts, ends, m, row, this.filled.count);
    this.rowCount = row + 1;
    this.validator?.record(sc, row, line, n, flags, start, dirty);
  }

  /** The table as plain data over the used part of each buffer. */
  table(): TableData {
    const info = this.headerInfo!;
    const { rows, extra } = this.shifts;
    const text = this.filled.text(this.buf.subarray(0, this.length), this.base);
    return usedTable(text, this.rowStarts, this.rowCount, this.vectors, {
      header: info.header,
      types: this.types,
      delimiter: info.delimiter,
      bom: info.bom,
      dataStart: this.dataStart,
      lineShifts: { rows, extra },
      unreadable: this.unreadable.byName(info.header),
      textKeys: this.keys?.keys(info.header.length, this.rowCount),
    });
  }

  /** Null, or a promise the load awaits before it reads on (a streamed load's deep rules behind: window.ts). */
  backlog(): Promise<void> | null {
    return null;
  }

  /** The validation report, once the deep rules' thread (if any) has finished too. */
  async validation() {
    if (!this.validator) return null;
    const deep = this.deepChannel ? await this.deepChannel.finish() : undefined;
    return this.validator.report(this.rowCount, this.dataStart, deep);
  }
}
