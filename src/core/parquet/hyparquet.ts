/**
 * hyparquet (pure JavaScript, Snappy built in): a Parquet file's footer, and the values of any
 * column chunk this room's own decoder does not read (nested columns, other encodings or codecs),
 * written as the same cell text. Strings stay bytes: nothing is decoded to JavaScript strings.
 */
import type * as Hyparquet from 'hyparquet' with { 'resolution-mode': 'import' };
import { LoadFailure } from '../errors';
import { type Cells, dateText, writeTimestamp } from './cells';

// hyparquet is an ES module; the bundler turns this require into the bundled module
// eslint-disable-next-line @typescript-eslint/no-require-imports
const hy = require('hyparquet') as typeof Hyparquet;

/**
 * A file's bytes by range; `readInto`, when there, reads `into.length` bytes from `start` into a
 * buffer the caller reuses (fewer at the file's end), so column chunks take no fresh memory each.
 */
export type ParquetSource = Hyparquet.AsyncBuffer & {
  readInto?(start: number, into: Uint8Array): Promise<Uint8Array>;
};
export type FileMetaData = Hyparquet.FileMetaData;
export type SchemaElement = Hyparquet.SchemaElement;
export type ColumnMetaData = Hyparquet.ColumnMetaData;

export interface ParquetFile {
  readonly source: ParquetSource;
  readonly metadata: FileMetaData;
  /** Top-level column names, in the file's order. */
  readonly columns: readonly string[];
  readonly rows: number;
  /** A guess at the size of the CSV text (the uncompressed column data). */
  readonly textHint: number;
}

export function corrupt(name: string, e: unknown): LoadFailure {
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

type Writer = (out: Cells, v: unknown) => void;

/** How one column's values, as hyparquet gives them raw (bytes, bigints, numbers, booleans), become text. */
function writerFor(el: SchemaElement, booleans: readonly [string, string]): Writer {
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
    return (out, v) => {
      const x = typeof v === 'bigint' ? v : BigInt(v as number);
      let ms = x / per;
      let sub = x - ms * per;
      if (sub < 0n) {
        ms -= 1n;
        sub += per;
      }
      writeTimestamp(out, Number(ms), Number(sub), subDigits);
    };
  }
  if (ct === 'DATE' || lt?.type === 'DATE')
    return (out, v) => out.ascii(dateText(Math.floor((v as Date).getTime() / 86_400_000)));
  if (el.type === 'BOOLEAN') return (out, v) => out.ascii(v ? booleans[0] : booleans[1]);
  if (el.type === 'BYTE_ARRAY' || el.type === 'FIXED_LEN_BYTE_ARRAY') {
    return (out, v) => {
      const b = v instanceof Uint8Array ? v : new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));
      out.field(b, 0, b.length);
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

/** One column of one row group ([rowStart, rowStart + rows) of the file) read by hyparquet into `c`. */
export async function readCellsWithHyparquet(
  file: ParquetFile,
  column: string,
  el: SchemaElement,
  rowStart: number,
  rows: number,
  booleans: readonly [string, string],
  c: Cells,
): Promise<void> {
  const values = new Array<unknown>(rows);
  await hy.parquetRead({
    file: file.source,
    metadata: file.metadata,
    columns: [column],
    rowStart,
    rowEnd: rowStart + rows,
    parsers: RAW_PARSERS,
    onChunk: (chunk) => {
      const data = chunk.columnData as ArrayLike<unknown>;
      for (let i = 0; i < data.length; i++) {
        const r = chunk.rowStart + i - rowStart;
        if (r >= 0 && r < rows) values[r] = data[i];
      }
    },
  });
  const write = writerFor(el, booleans);
  c.reset(rows);
  for (let r = 0; r < rows; r++) {
    const v = values[r];
    if (v === null || v === undefined) {
      c.at[2 * r + 1] = -1;
      continue;
    }
    const s = c.n;
    write(c, v);
    c.at[2 * r] = s;
    c.at[2 * r + 1] = c.n - s;
  }
}
