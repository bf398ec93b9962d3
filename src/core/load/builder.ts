/**
 * Builds a table from decompressed chunks as they arrive: appends them to one contiguous buffer,
 * reads the header, scans the records that are complete, fills the row index and typed vectors,
 * and hands each record to the validator in the same pass.
 */
import { BOOL_NULL, fieldText, parseBoolean, parseFloatBytes, parseIntegerBytes, parseTimestamp } from './cells';
import {
  chooseVersion,
  detectVersion,
  hasBom,
  looksLikeExportHeader,
  sniffDelimiter,
  type HeaderReport,
} from '../catalog/detect';
import { DICT_NULL, DictEncoder } from './dict';
import { LoadFailure } from '../errors';
import { RecordScanner, type RecordSink } from './scan';
import { loadedVectorKind, type TableData, type VectorData, type VectorKind } from './table';
import { columnSpec, type ColumnType, type TemplateVersion } from '../catalog/templates';
import type { DeepBatch, DeepReport, DeepSetup } from '../validate/deep';
import { Validator } from '../validate/validator';

export type Allocate = (bytes: number) => ArrayBufferLike;

export interface BuilderOptions {
  /** Where memory comes from: SharedArrayBuffers in a worker, so the host can read without copying. */
  allocate?: Allocate;
  /** Expected decompressed size (the gzip trailer's ISIZE, or the file size of plain text). */
  sizeHint?: number;
  /** Stop with 'too-large' past this many decompressed bytes (zip bombs, files beyond memory). */
  maxBytes: number;
  /** 'auto' (detect from the header) or v1..v7. */
  template?: string;
  /** Validate while loading (default true). */
  validate?: boolean;
  maxPerRule?: number;
  /** Opens a channel to another thread that runs the deep rules (see validate/deep.ts). */
  deep?: (setup: DeepSetup) => DeepChannel;
}

export interface DeepChannel {
  send(batch: DeepBatch): void;
  /** An array of a batch the other thread is done with, to fill again; undefined when none is back yet. */
  reuse?(): Float64Array | undefined;
  /** Resolves with the other thread's findings once it has run every batch sent. */
  finish(): Promise<DeepReport>;
}

export interface HeaderInfo {
  readonly header: readonly string[];
  readonly delimiter: ',' | ';';
  readonly bom: boolean;
  readonly report: HeaderReport;
  readonly version: TemplateVersion;
  readonly templateSource: 'detected' | 'option';
}

const HEADER_LIMIT = 64 * 1024;

const K_TIME = 1;
const K_FLOAT = 2;
const K_INT = 3;
const K_BOOL = 4;
const K_DICT = 5;
const K_SPAN = 6;
const KIND_CODE: Record<VectorKind, number> = {
  time: K_TIME,
  float: K_FLOAT,
  int: K_INT,
  bool: K_BOOL,
  dict: K_DICT,
  span: K_SPAN,
};

export class TableBuilder implements RecordSink {
  private buf: Uint8Array;
  length = 0;
  rowCount = 0;
  private rowStarts: Uint32Array;
  private capacity = 4096;
  private readonly allocate: Allocate;
  private scanner: RecordScanner | null = null;
  headerInfo: HeaderInfo | null = null;
  private types: ColumnType[] = [];
  private kinds: Int8Array = new Int8Array(0);
  private vectors: (VectorData | null)[] = [];
  private dicts: (DictEncoder | null)[] = [];
  /** Column indices per vector kind: the numeric kinds (time, float, int), bool, dict and span. */
  private numberCols = new Int32Array(0);
  private boolCols = new Int32Array(0);
  private dictCols = new Int32Array(0);
  private spanCols = new Int32Array(0);
  /** What the validator reads: the current buffer and vectors (kept up to date, never reallocated). */
  private readonly live: { bytes: Uint8Array; vectors: (VectorData | null)[] };
  private validator: Validator | null = null;
  private deepChannel: DeepChannel | null = null;
  private shiftRows: number[] = [];
  private shiftExtra: number[] = [];
  private shiftTotal = 0;
  private dataStart = 0;
  /** The text's expected size: the size hint, or more once the caller knows better (reserve). */
  private expected: number;

  constructor(private readonly options: BuilderOptions) {
    this.allocate = options.allocate ?? ((n) => new ArrayBuffer(n));
    this.expected = options.sizeHint ?? 0;
    const first = Math.min(Math.max((options.sizeHint ?? 0) + 1024, 64 * 1024), options.maxBytes + 1024);
    this.buf = new Uint8Array(this.alloc(first));
    this.rowStarts = new Uint32Array(this.alloc(this.capacity * 4));
    this.live = { bytes: this.buf, vectors: this.vectors };
  }

  private alloc(bytes: number): ArrayBufferLike {
    try {
      return this.allocate(bytes);
    } catch {
      throw new LoadFailure('too-large', `Not enough memory for ${(bytes / 2 ** 20).toFixed(0)} MB of export data`);
    }
  }

  private tooLarge(): LoadFailure {
    return new LoadFailure(
      'too-large',
      `The export decompresses to more than ${formatBytes(this.options.maxBytes)}, the limit set for loading (a zip bomb, or a file too large to hold in memory); raise the limit to open it`,
    );
  }

  get bytes(): Uint8Array {
    return this.buf;
  }

  /** Appends decompressed bytes and processes every record now complete. */
  append(chunk: Uint8Array): void {
    const need = this.length + chunk.length;
    if (need > this.options.maxBytes) throw this.tooLarge();
    if (need > this.buf.length) {
      const size = Math.min(Math.max(need, Math.ceil(this.buf.length * 1.5)), this.options.maxBytes);
      const next = new Uint8Array(this.alloc(size));
      next.set(this.buf.subarray(0, this.length));
      this.buf = next;
      this.live.bytes = next;
    }
    this.buf.set(chunk, this.length);
    this.length = need;
    this.process(false);
  }

  /**
   * Room for `extra` more bytes written in place at `length` (records made by the caller, see
   * addRecord); `expected` is the whole text's likely size, so the buffer grows once, not often.
   */
  reserve(extra: number, expected = 0): Uint8Array {
    const need = this.length + extra;
    if (need > this.options.maxBytes) throw this.tooLarge();
    if (expected > this.expected) this.expected = expected;
    if (need > this.buf.length) {
      const size = Math.min(Math.max(need, expected, Math.ceil(this.buf.length * 1.5)), this.options.maxBytes);
      const next = new Uint8Array(this.alloc(size));
      next.set(this.buf.subarray(0, this.length));
      this.buf = next;
      this.live.bytes = next;
    }
    return this.buf;
  }

  /**
   * A record the caller wrote at [length, end) of the buffer (after the header, ending in LF) with its
   * fields in sc.starts/ends/quoted, as the scanner would have found them; `lines` counts the line
   * breaks inside its quoted fields.
   */
  addRecord(sc: RecordScanner, end: number, fields: number, lines: number): void {
    const scanner = this.scanner!;
    const start = this.length;
    const line = scanner.line;
    scanner.line += 1 + lines;
    this.length = end;
    scanner.pos = end;
    this.record(sc, start, line, fields, 0);
  }

  /** No more data: the last record may lack a newline. */
  finish(): void {
    if (this.length === 0) throw new LoadFailure('empty', 'The file is empty: there is no header and no data');
    this.process(true);
    if (!this.headerInfo) throw new LoadFailure('not-an-export', 'The file has no header line');
    this.validator?.flushDeferred();
  }

  private process(final: boolean): void {
    if (!this.headerInfo && !this.readHeader(final)) return;
    this.scanner!.scan(this.buf, this.length, final, this);
  }

  private readHeader(final: boolean): boolean {
    const b = this.buf;
    const probe = Math.min(this.length, 4096);
    let control = 0;
    for (let i = 0; i < probe; i++) {
      const c = b[i];
      if (c === 0) {
        control = probe;
        break;
      }
      if (c < 0x09 || (c > 0x0d && c < 0x20)) control++;
    }
    if (probe > 0 && control > 0) {
      throw new LoadFailure(
        'binary',
        'The file holds binary data, not CSV text: it is neither a gzip-compressed export nor a plain CSV export',
      );
    }
    const start = hasBom(b) ? 3 : 0;
    let lf = b.indexOf(0x0a, start);
    if (lf < 0 || lf >= this.length) {
      if (this.length - start > HEADER_LIMIT) {
        throw new LoadFailure(
          'not-an-export',
          `The first ${HEADER_LIMIT / 1024} KB hold no line break, so there is no CSV header: this is not a RevenueCat export`,
        );
      }
      if (!final) return false;
      lf = this.length;
    }
    const delimiter = sniffDelimiter(b, start, lf);
    const scanner = new RecordScanner(delimiter.charCodeAt(0), start, 1);
    let header: string[] = [];
    scanner.scan(
      b,
      this.length,
      final,
      {
        record: (sc, _s, _l, n) => {
          header = [];
          for (let k = 0; k < n; k++) header.push(fieldText(b, sc.starts[k], sc.ends[k], sc.quoted[k] === 1).trim());
        },
      },
      1,
    );
    const report = detectVersion(header);
    if (!looksLikeExportHeader(header, report.knownColumns)) {
      const shown = new TextDecoder().decode(b.subarray(start, Math.min(lf, start + 120)));
      throw new LoadFailure(
        'not-an-export',
        `The first line is not a RevenueCat export header (it should name columns such as store_transaction_id and start_time); it reads: ${JSON.stringify(shown)}`,
      );
    }
    let chosen;
    try {
      chosen = chooseVersion(this.options.template, report);
    } catch (e) {
      throw new LoadFailure('bad-option', (e as Error).message);
    }
    this.headerInfo = {
      header,
      delimiter,
      bom: start === 3,
      report,
      version: chosen.version,
      templateSource: chosen.source,
    };
    this.dataStart = scanner.pos;
    this.scanner = scanner;
    this.types = header.map((h) => columnSpec(h)?.type ?? 'string');
    this.kinds = new Int8Array(header.length);
    header.forEach((h, k) => {
      const spec = columnSpec(h);
      const kind = loadedVectorKind(spec);
      this.kinds[k] = kind ? KIND_CODE[kind] : 0;
      const dict = kind === 'dict' ? new DictEncoder() : null;
      this.dicts.push(dict);
      this.vectors.push(kind ? this.newVector(kind, this.capacity, undefined, dict?.values) : null);
    });
    this.live.vectors = this.vectors;
    this.listColumns();
    if (this.options.validate !== false) {
      const maxPerRule = this.options.maxPerRule ?? 1000;
      this.deepChannel = this.options.deep?.({ header, version: chosen.version.id, maxPerRule }) ?? null;
      const channel = this.deepChannel;
      const live = this.live;
      this.validator = new Validator(header, chosen.version, () => live, {
        maxPerRule,
        defer: channel ? (batch) => channel.send(batch) : undefined,
        reuse: channel?.reuse ? () => channel.reuse!() : undefined,
      });
    }
    return true;
  }

  private newVector(kind: VectorKind, capacity: number, old?: VectorData, dict?: readonly string[]): VectorData {
    let data: Float64Array | Uint8Array | Uint16Array | Uint32Array;
    if (kind === 'bool') data = new Uint8Array(this.alloc(capacity));
    else if (kind === 'dict') data = new Uint16Array(this.alloc(capacity * 2));
    else if (kind === 'span') data = new Uint32Array(this.alloc(capacity * 8));
    else data = new Float64Array(this.alloc(capacity * 8));
    if (old) (data as Float64Array).set(old.data);
    const values = dict ?? old?.dict;
    return values ? { kind, data, dict: values } : { kind, data };
  }

  private grow(): void {
    // Size for the rest of the file from the average row so far. Generous on purpose: pages of a
    // buffer that are never written are never resident, while a second grow copies every vector.
    const scanned = this.scanner!.pos - this.dataStart;
    const avg = scanned / Math.max(1, this.rowCount);
    const hint = this.expected;
    const remaining = hint > this.scanner!.pos ? Math.ceil(((hint - this.scanner!.pos) / avg) * 1.25) : 0;
    const capacity = Math.max(this.rowCount + remaining + 1024, Math.ceil(this.capacity * 1.5));
    const starts = new Uint32Array(this.alloc(capacity * 4));
    starts.set(this.rowStarts.subarray(0, this.rowCount));
    this.rowStarts = starts;
    this.vectors = this.vectors.map((v) => (v ? this.newVector(v.kind, capacity, v) : null));
    this.live.vectors = this.vectors;
    this.capacity = capacity;
  }

  private listColumns(): void {
    const cols = (keep: (kind: number) => boolean) =>
      Int32Array.from([...this.kinds.keys()].filter((k) => keep(this.kinds[k])));
    this.numberCols = cols((kind) => kind === K_TIME || kind === K_FLOAT || kind === K_INT);
    this.boolCols = cols((kind) => kind === K_BOOL);
    this.dictCols = cols((kind) => kind === K_DICT);
    this.spanCols = cols((kind) => kind === K_SPAN);
  }

  record(sc: RecordScanner, start: number, line: number, n: number, flags: number): void {
    const b = this.buf;
    if (n === 1 && sc.starts[0] === sc.ends[0] && sc.quoted[0] === 0) {
      this.validator?.blankLine(line, start);
      return;
    }
    const row = this.rowCount;
    if (row === this.capacity) this.grow();
    const predicted = row + 2 + this.shiftTotal;
    if (line !== predicted) {
      this.shiftRows.push(row);
      this.shiftExtra.push(line - predicted);
      this.shiftTotal += line - predicted;
    }
    this.rowStarts[row] = start;
    // one loop per kind of vector, so each reads and writes one kind of typed array
    const m = n < this.kinds.length ? n : this.kinds.length;
    const starts = sc.starts;
    const ends = sc.ends;
    const quoted = sc.quoted;
    const vectors = this.vectors;
    const kinds = this.kinds;
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
        if (s < e) {
          const kind = kinds[k];
          v =
            kind === K_TIME
              ? parseTimestamp(b, s, e)
              : kind === K_FLOAT
                ? parseFloatBytes(b, s, e)
                : parseIntegerBytes(b, s, e);
        }
      }
      (vectors[k]!.data as Float64Array)[row] = v;
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
        if (s < e) v = parseBoolean(b, s, e);
      }
      (vectors[k]!.data as Uint8Array)[row] = v;
    }
    const dictCols = this.dictCols;
    let overflow = false;
    for (let j = 0; j < dictCols.length; j++) {
      const k = dictCols[j];
      let code = DICT_NULL; // for dict columns `""` stays the empty string
      if (k < m && starts[k] < ends[k]) {
        code = this.dicts[k]!.encode(b, starts[k], ends[k], quoted[k] === 1);
        if (code === -2) {
          // too many distinct values for a dictionary: keep the column as lazily decoded text
          kinds[k] = 0;
          vectors[k] = null;
          this.dicts[k] = null;
          overflow = true;
          continue;
        }
      }
      (vectors[k]!.data as Uint16Array)[row] = code;
    }
    if (overflow) this.listColumns();
    const spanCols = this.spanCols;
    for (let j = 0; j < spanCols.length; j++) {
      // the field's raw byte range, quotes included; an empty range is NULL
      const k = spanCols[j];
      const data = vectors[k]!.data as Uint32Array;
      data[2 * row] = k < m ? starts[k] : 0;
      data[2 * row + 1] = k < m ? ends[k] : 0;
    }
    this.rowCount = row + 1;
    this.validator?.record(sc, row, line, n, flags, start);
  }

  /** The table as plain data over the used part of each buffer. */
  table(): TableData {
    const info = this.headerInfo!;
    const rows = this.rowCount;
    return {
      bytes: this.buf.subarray(0, this.length),
      rowStarts: this.rowStarts.subarray(0, rows),
      rowCount: rows,
      header: info.header,
      types: this.types,
      delimiter: info.delimiter,
      bom: info.bom,
      dataStart: this.dataStart,
      vectors: this.vectors.map((v) => {
        if (!v) return null;
        const data = v.data.subarray(0, v.kind === 'span' ? 2 * rows : rows);
        return v.dict ? { kind: v.kind, data, dict: v.dict } : { kind: v.kind, data };
      }),
      lineShifts: { rows: this.shiftRows, extra: this.shiftExtra },
    };
  }

  /** The validation report, once the deep rules' thread (if any) has finished too. */
  async validation() {
    if (!this.validator) return null;
    const deep = this.deepChannel ? await this.deepChannel.finish() : undefined;
    return this.validator.report(this.rowCount, this.dataStart, deep);
  }
}

export function formatBytes(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(n % 2 ** 30 ? 1 : 0)} GiB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}
