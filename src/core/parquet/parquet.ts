/**
 * Parquet → the export's CSV text. A Parquet delivery is turned, one row group at a time, into the
 * text a CSV delivery of the same rows would hold, so the table, the validator, the grid and the
 * measures read it exactly as they read CSV: strings as they are (quoted only where RFC 4180 needs
 * it, an empty string as `""`, NULL as an empty field), timestamps as `YYYY-MM-DD HH:MM:SS` (with
 * the sub-second digits the column's unit holds, when they are not zero), booleans as the template
 * version writes them (`t`/`f` before v4, `true`/`false` after), numbers in their shortest form.
 * Typed columns and all-string columns of the same data give the same text.
 *
 * The reader is hyparquet (pure JavaScript, Snappy built in). Strings stay bytes: nothing is
 * decoded to JavaScript strings on the way.
 *
 * Room src/core/parquet: reading Parquet deliveries: the file's metadata, its row groups, and their text for the loader.
 * May import: src/core.
 */
import type * as Hyparquet from 'hyparquet' with { 'resolution-mode': 'import' };
import { LoadFailure } from '../errors';

// hyparquet is an ES module; the bundler turns this require into the bundled module
// eslint-disable-next-line @typescript-eslint/no-require-imports
const hy = require('hyparquet') as typeof Hyparquet;

export type ParquetSource = Hyparquet.AsyncBuffer;
type FileMetaData = Hyparquet.FileMetaData;
type SchemaElement = Hyparquet.SchemaElement;

/** `PAR1`: the first (and last) four bytes of every Parquet file. */
export function isParquet(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x41 && b[2] === 0x52 && b[3] === 0x31;
}

export interface ParquetFile {
  readonly source: ParquetSource;
  readonly metadata: FileMetaData;
  /** Top-level column names, in the file's order. */
  readonly columns: readonly string[];
  readonly rows: number;
  /** A guess at the size of the CSV text (the uncompressed column data). */
  readonly textHint: number;
}

function corrupt(name: string, e: unknown): LoadFailure {
  const detail = e instanceof Error ? e.message : String(e);
  return new LoadFailure(
    'parquet-corrupt',
    `${name} starts like a Parquet file but cannot be read as one (${detail}): the file is damaged or cut off`,
  );
}

export async function openParquet(source: ParquetSource, name: string): Promise<ParquetFile> {
  let metadata: FileMetaData;
  try {
    metadata = await hy.parquetMetadataAsync(source);
  } catch (e) {
    throw corrupt(name, e);
  }
  const root = metadata.schema[0];
  const columns: string[] = [];
  // a flat schema: the root's children are the columns (a nested one is read by its top-level names)
  let i = 1;
  const skip = (): void => {
    const el = metadata.schema[i++];
    for (let c = 0; c < (el.num_children ?? 0); c++) skip();
  };
  for (let c = 0; c < (root.num_children ?? 0); c++) {
    columns.push(metadata.schema[i].name);
    skip();
  }
  let textHint = 0;
  for (const g of metadata.row_groups) textHint += Number(g.total_byte_size);
  return { source, metadata, columns, rows: Number(metadata.num_rows), textHint };
}

// --- writing CSV text ----------------------------------------------------------------------------

class Out {
  buf = new Uint8Array(1 << 16);
  n = 0;
  ensure(extra: number): void {
    if (this.n + extra <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.n + extra, this.buf.length * 2));
    next.set(this.buf.subarray(0, this.n));
    this.buf = next;
  }
  byte(c: number): void {
    if (this.n === this.buf.length) this.ensure(1);
    this.buf[this.n++] = c;
  }
  ascii(s: string): void {
    this.ensure(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.n++] = s.charCodeAt(i);
  }
  /** A string field: as is, or quoted (inner quotes doubled) when it holds a comma, quote or line break. */
  field(b: Uint8Array): void {
    let quote = b.length === 0; // "" is the empty string; an empty unquoted field is NULL
    let quotes = 0;
    for (let i = 0; i < b.length; i++) {
      const c = b[i];
      if (c === 0x2c || c === 0x0a || c === 0x0d) quote = true;
      else if (c === 0x22) {
        quote = true;
        quotes++;
      }
    }
    this.ensure(b.length + quotes + 2);
    if (!quote) {
      this.buf.set(b, this.n);
      this.n += b.length;
      return;
    }
    this.buf[this.n++] = 0x22;
    if (quotes === 0) {
      this.buf.set(b, this.n);
      this.n += b.length;
    } else
      for (let i = 0; i < b.length; i++) {
        if (b[i] === 0x22) this.buf[this.n++] = 0x22;
        this.buf[this.n++] = b[i];
      }
    this.buf[this.n++] = 0x22;
  }
}

const DAY_MS = 86_400_000;
const dayText = new Map<number, string>();
const two = (x: number) => (x < 10 ? '0' : '') + String(x);

/** `YYYY-MM-DD HH:MM:SS[.fff…]` from whole milliseconds and the digits below them. */
function timestampText(ms: number, sub: number, subDigits: number, fracDigits: number): string {
  const day = Math.floor(ms / DAY_MS);
  let d = dayText.get(day);
  if (d === undefined) {
    d = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (dayText.size < 100_000) dayText.set(day, d);
  }
  let rest = ms - day * DAY_MS;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = Math.floor(rest / 1000);
  const milli = rest - s * 1000;
  let text = `${d} ${two(h)}:${two(m)}:${two(s)}`;
  if (milli !== 0 || sub !== 0) {
    const frac = String(milli).padStart(3, '0') + (subDigits ? String(sub).padStart(subDigits, '0') : '');
    text += '.' + frac.slice(0, fracDigits);
  }
  return text;
}

type Writer = (out: Out, v: unknown) => void;

/** How one column's decoded values become text. Values arrive raw: bytes, bigints, numbers, booleans. */
function writerFor(el: SchemaElement, booleans: 'tf' | 'truefalse'): Writer {
  const lt = el.logical_type;
  const ct = el.converted_type;
  let unit: 'MILLIS' | 'MICROS' | 'NANOS' | null = null;
  if (lt?.type === 'TIMESTAMP') unit = lt.unit;
  else if (ct === 'TIMESTAMP_MILLIS') unit = 'MILLIS';
  else if (ct === 'TIMESTAMP_MICROS') unit = 'MICROS';
  else if (el.type === 'INT96') unit = 'NANOS';
  if (unit) {
    const per = unit === 'MILLIS' ? 1n : unit === 'MICROS' ? 1000n : 1_000_000n;
    const subDigits = unit === 'MILLIS' ? 0 : unit === 'MICROS' ? 3 : 6;
    const fracDigits = 3 + subDigits;
    return (out, v) => {
      let x = typeof v === 'bigint' ? v : BigInt(v as number);
      let ms = x / per;
      let sub = x - ms * per;
      if (sub < 0n) {
        ms -= 1n;
        sub += per;
      }
      x = ms;
      out.ascii(timestampText(Number(x), Number(sub), subDigits, fracDigits));
    };
  }
  if (ct === 'DATE' || lt?.type === 'DATE')
    return (out, v) => out.ascii(new Date((v as Date).getTime()).toISOString().slice(0, 10));
  if (el.type === 'BOOLEAN') {
    const [t, f] = booleans === 'tf' ? ['t', 'f'] : ['true', 'false'];
    return (out, v) => out.ascii(v ? t : f);
  }
  if (el.type === 'BYTE_ARRAY' || el.type === 'FIXED_LEN_BYTE_ARRAY') {
    return (out, v) => {
      if (v instanceof Uint8Array) out.field(v);
      else out.field(new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v)));
    };
  }
  return (out, v) => out.ascii(String(v));
}

const RAW_PARSERS: Partial<Hyparquet.ParquetParsers> = {
  timestampFromMilliseconds: (x) => x,
  timestampFromMicroseconds: (x) => x,
  timestampFromNanoseconds: (x) => x,
  stringFromBytes: (b) => b,
  jsonFromBytes: (b) => b,
  uuidFromBytes: (b) => b,
};

export interface ParquetTextOptions {
  /** The columns of the text, in its order; a column the file does not have is NULL on every row. */
  readonly columns: readonly string[];
  /** How booleans are written: as the template version the delivery is read as writes them. */
  readonly booleans: 'tf' | 'truefalse';
  /** Write the header line first. */
  readonly header: boolean;
  readonly name: string;
}

/** The CSV text of a Parquet file, one row group per chunk (the header first, when asked for). */
export async function* parquetText(file: ParquetFile, options: ParquetTextOptions): AsyncIterable<Uint8Array> {
  if (options.header) {
    const out = new Out();
    out.ascii(options.columns.join(',') + '\n');
    yield out.buf.subarray(0, out.n);
  }
  const have = new Set(file.columns);
  const read = options.columns.filter((c) => have.has(c));
  const elements = new Map<string, SchemaElement>();
  for (const el of file.metadata.schema) if (have.has(el.name) && !elements.has(el.name)) elements.set(el.name, el);
  const writers = options.columns.map((c) => (have.has(c) ? writerFor(elements.get(c)!, options.booleans) : null));
  const last = options.columns.length - 1;
  let groupStart = 0;
  for (const group of file.metadata.row_groups) {
    const rows = Number(group.num_rows);
    const start = groupStart;
    groupStart += rows;
    if (rows === 0) continue;
    const chunks = new Map<string, { rowStart: number; data: ArrayLike<unknown> }[]>();
    try {
      await hy.parquetRead({
        file: file.source,
        metadata: file.metadata,
        columns: read,
        rowStart: start,
        rowEnd: start + rows,
        parsers: RAW_PARSERS,
        onChunk: (c) => {
          let list = chunks.get(c.columnName);
          if (!list) chunks.set(c.columnName, (list = []));
          list.push({ rowStart: c.rowStart, data: c.columnData as ArrayLike<unknown> });
        },
      });
    } catch (e) {
      throw corrupt(options.name, e);
    }
    // one array per output column, indexed by row within the group
    const columns = options.columns.map((c) => {
      if (!have.has(c)) return null;
      const list = chunks.get(c) ?? [];
      if (list.length === 1 && list[0].rowStart === start && list[0].data.length === rows) return list[0].data;
      const flat = new Array<unknown>(rows);
      for (const piece of list) {
        for (let i = 0; i < piece.data.length; i++) {
          const r = piece.rowStart + i - start;
          if (r >= 0 && r < rows) flat[r] = piece.data[i];
        }
      }
      return flat;
    });
    const out = new Out();
    out.ensure(Math.ceil((Number(group.total_byte_size) * 1.2) / 1) + 1024);
    for (let r = 0; r < rows; r++) {
      for (let k = 0; k <= last; k++) {
        const col = columns[k];
        if (col !== null) {
          const v = col[r];
          if (v !== null && v !== undefined) writers[k]!(out, v);
        }
        out.byte(k === last ? 0x0a : 0x2c);
      }
    }
    yield out.buf.subarray(0, out.n);
  }
}
