/**
 * Loading an export from disk in Node: a file (CSV, gzip-compressed CSV or Parquet, told apart by
 * its bytes), or a delivery of several parts read as one table (parts.ts).
 *
 * Room src/node: files and folders on disk in Node: reading, decompressing with node:zlib, deliveries.
 * May import: src/core, src/core/catalog, src/core/load, src/core/measures, src/core/parquet, src/core/stream.
 */
import { isUtf8 } from 'node:buffer';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSizeHint } from '../core/load/decode';
import { loadExport, type LoadOptions, type LoadOutcome } from '../core/load/load';
import { ColumnsFeeder } from '../core/stream/columns';
import { WindowBuilder } from '../core/stream/window';
import { nodeGunzip } from './decodeNode';
import { findDeliveries, kindOf } from './deliveries';
import { loadLimit } from './memoryLimit';
import { loadPartsAsText, type ParquetGroupsElsewhere } from './parts';

export type FileLoadOptions = Omit<LoadOptions, 'decompressor'> & {
  decompressor?: LoadOptions['decompressor'];
  /** Only these columns are needed: Parquet parts decode no others, CSV types no others (without validation). */
  columns?: readonly string[];
  /** Parquet row groups decoded on another thread, while this one indexes their rows. */
  parquetGroups?: ParquetGroupsElsewhere;
};

async function readTrailer(file: string, size: number): Promise<Uint8Array> {
  if (size < 18) return new Uint8Array(0);
  const fh = await fs.promises.open(file, 'r');
  try {
    const b = new Uint8Array(4);
    await fh.read(b, 0, 4, size - 4);
    return b;
  } finally {
    await fh.close();
  }
}

/** Clean text for the validator: valid UTF-8 without NUL bytes (both checks native and fast). */
export function cleanText(chunk: Uint8Array): boolean {
  const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return b.indexOf(0) < 0 && isUtf8(b);
}

async function readMagic(file: string): Promise<Uint8Array> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const b = new Uint8Array(4);
    const { bytesRead } = await fh.read(b, 0, 4, 0);
    return b.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

function statError(file: string, e: unknown): LoadOutcome {
  const code = (e as NodeJS.ErrnoException).code;
  return {
    ok: false,
    error: {
      code: 'io',
      message:
        code === 'ENOENT' ? `${file} does not exist` : `${file} cannot be read (${code ?? (e as Error).message})`,
    },
  };
}

/**
 * Loads what a path names: an export file, or a folder holding exactly one delivery (a delivery
 * folder of parts, or a folder with a single export in it).
 */
export async function loadExportFile(file: string, options: FileLoadOptions = {}): Promise<LoadOutcome> {
  let st: fs.Stats;
  try {
    st = await fs.promises.stat(file);
  } catch (e) {
    return statError(file, e);
  }
  if (st.isDirectory()) {
    const found = await findDeliveries([file]);
    if (!found.ok) return { ok: false, error: found.error };
    const [first, ...more] = found.deliveries;
    if (!first) return { ok: false, error: { code: 'io', message: `${file} is a folder with no export files in it` } };
    if (more.length)
      return {
        ok: false,
        error: {
          code: 'io',
          message: `${file} is a folder of ${found.deliveries.length} deliveries, not one: open one of them, or measure the folder`,
        },
      };
    return loadParts(first.path, first.parts, options);
  }
  return loadParts(file, null, options);
}

/**
 * Validates one delivery (a file, or its parts) as its text streams by, keeping none of it
 * (BuilderOptions.window): the outcome's table has the count of rows and no rows. Parquet parts are
 * loaded whole (their values come as columns, not text).
 */
export function validateStreamed(
  file: string,
  parts: readonly string[] | null,
  options: Pick<FileLoadOptions, 'template' | 'maxPerRule' | 'maxBytes' | 'deep'>,
): Promise<LoadOutcome> {
  return loadParts(file, parts, { ...options, validate: true, builder: (o) => new WindowBuilder(o) });
}

/**
 * Loads one delivery: `parts` are its files (null: `file` itself is the only one). A single CSV or
 * gzip file streams straight into the loader; Parquet and several parts go through their text.
 */
export async function loadParts(
  file: string,
  parts: readonly string[] | null,
  options: FileLoadOptions = {},
): Promise<LoadOutcome> {
  const list = parts ?? [file];
  options = { ...options, maxBytes: loadLimit(options.maxBytes) };
  const stats: fs.Stats[] = [];
  const magic: Uint8Array[] = [];
  for (const p of list) {
    let st: fs.Stats;
    try {
      st = await fs.promises.stat(p);
    } catch (e) {
      return statError(p, e);
    }
    if (st.isDirectory()) {
      if (parts === null) return loadExportFile(p, options);
      return { ok: false, error: { code: 'io', message: `${p} is a folder, not an export file` } };
    }
    if (!st.isFile())
      return { ok: false, error: { code: 'io', message: `${p} is ${kindOf(st)}, not a file: it is not read` } };
    stats.push(st);
    try {
      magic.push(await readMagic(p));
    } catch (e) {
      return statError(p, e);
    }
  }
  const { columns, ...rest } = options;
  // a load for measures (no validation) keeps the text of the columns they read, and no other
  if (columns && rest.validate === false && !rest.feeder && !rest.onFirstRows) {
    const only = new Set(columns);
    rest.feeder = (builder, o) => new ColumnsFeeder(builder, only, o);
  }
  const parquet = magic.some((m) => m.length === 4 && m[0] === 0x50 && m[1] === 0x41 && m[2] === 0x52 && m[3] === 0x31);
  if (list.length > 1 || parquet) {
    // (a window holds text: Parquet's columns are written into the table's vectors whole)
    if (parquet) delete rest.builder;
    return loadPartsAsText(file, list, stats, magic, { ...rest, columns });
  }
  const size = stats[0].size;
  const trailer = await readTrailer(list[0], size);
  const o = await loadExport(
    {
      name: path.basename(list[0]),
      path: list[0],
      size,
      sizeHint: gzipSizeHint(trailer),
      // read-only: the user's file is never opened for writing
      chunks: fs.createReadStream(list[0], { flags: 'r', highWaterMark: 1 << 20 }),
    },
    { decompressor: nodeGunzip, cleanText, ...rest, columns },
  );
  if (!o.ok) return o;
  return {
    ok: true,
    value: { ...o.value, format: o.value.gzip ? 'csv.gz' : 'csv', parts: parts ? [...list] : undefined },
  };
}
