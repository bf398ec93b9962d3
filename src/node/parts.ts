/**
 * A delivery of parts (or one Parquet file) read as one table: the parts' text, one after the other,
 * under one header. CSV and gzip parts give their text less their header line, which must be the
 * first part's; Parquet parts are read by core/parquet straight into the table, in the first part's
 * column order, only the columns asked for when a measure names them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LoadFailure, toLoadError } from '../core/errors';
import { isGzip, isParquet } from '../core/load/decode';
import { loadExport, type DeliveryFormat, type LoadOutcome } from '../core/load/load';
import { loadParquetParts, type GroupEvent, type GroupSetup, type TextRoom } from '../core/parquet';
import { FileSource } from './fileSource';
import { nodeGunzip } from './decodeNode';
import type { FileLoadOptions } from './loadFile';

/** A Parquet part on disk, as another thread opens it again. */
export interface ParquetPartFile {
  readonly path: string;
  /** Its name in messages. */
  readonly name: string;
  readonly size: number;
}

/** Row groups decoded on another thread (src/worker/parquetClient.ts): their events, in order. */
export type ParquetGroupsElsewhere = (
  parts: readonly ParquetPartFile[],
  setup: GroupSetup,
  room: TextRoom,
) => AsyncIterable<GroupEvent>;

const LF = 0x0a;

/** The header line's text (no BOM, no CR) and where the data after it starts, or null while incomplete. */
function headerLine(b: Uint8Array): { text: string; end: number } | null {
  const lf = b.indexOf(LF);
  if (lf < 0) return null;
  const start = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  const stop = lf > start && b[lf - 1] === 0x0d ? lf - 1 : lf;
  return { text: new TextDecoder().decode(b.subarray(start, stop)), end: lf + 1 };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const c = new Uint8Array(a.length + b.length);
  c.set(a);
  c.set(b, a.length);
  return c;
}

export interface PartsState {
  /** Compressed bytes read so far, over all parts. */
  read: number;
}

async function* partsText(
  name: string,
  parts: readonly string[],
  formats: readonly DeliveryFormat[],
  state: PartsState,
): AsyncIterable<Uint8Array> {
  let header: string | null = null;
  const multi = parts.length > 1;
  const label = (p: string) => (multi ? path.basename(p) : name);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const raw = (async function* () {
      for await (const c of fs.createReadStream(part, { flags: 'r', highWaterMark: 1 << 20 })) {
        state.read += (c as Buffer).length;
        yield c as Buffer;
      }
    })();
    const text = formats[i] === 'csv.gz' ? nodeGunzip(raw) : raw;
    let pending: Uint8Array | null = new Uint8Array(0);
    let last = LF;
    for await (const chunk of text) {
      let data: Uint8Array = chunk;
      if (pending !== null) {
        pending = concat(pending, data);
        const h = headerLine(pending);
        if (!h) {
          if (pending.length > 1 << 20)
            throw new LoadFailure('not-an-export', `${label(part)} has no header line in its first megabyte`);
          continue;
        }
        if (header === null) {
          header = h.text;
          data = pending;
        } else {
          if (h.text !== header)
            throw new LoadFailure(
              'not-an-export',
              `${label(part)} has another header than ${path.basename(parts[0])}: the parts of one delivery must have the same columns`,
            );
          data = pending.subarray(h.end);
        }
        pending = null;
      }
      if (data.length) {
        last = data[data.length - 1];
        yield data;
      }
    }
    if (pending !== null && pending.length) {
      // a part that is only a header line without its line break
      const h = headerLine(concat(pending, new Uint8Array([LF])));
      if (header === null && h) {
        header = h.text;
        yield pending;
        last = pending[pending.length - 1];
      } else if (h && h.text !== header)
        throw new LoadFailure(
          'not-an-export',
          `${label(part)} has another header than ${path.basename(parts[0])}: the parts of one delivery must have the same columns`,
        );
    }
    if (last !== LF) yield new Uint8Array([LF]);
  }
}

/** A Parquet delivery's parts, opened read-only, read by core/parquet. */
async function loadParquet(
  name: string,
  parts: readonly string[],
  sizes: readonly number[],
  options: FileLoadOptions,
): Promise<LoadOutcome> {
  const label = (p: string) => (parts.length > 1 ? path.basename(p) : name);
  const sources: FileSource[] = [];
  try {
    for (let i = 0; i < parts.length; i++) sources.push(await FileSource.open(parts[i], sizes[i]));
    const elsewhere = options.parquetGroups;
    const files = parts.map((p, i) => ({ path: p, name: label(p), size: sizes[i] }));
    const o = await loadParquetParts(
      sources.map((source, i) => ({ name: label(parts[i]), source })),
      {
        ...options,
        read: () => sources.reduce((n, s) => n + s.read, 0),
        ...(elsewhere ? { groups: (setup: GroupSetup, room: TextRoom) => elsewhere(files, setup, room) } : {}),
      },
    );
    if (!o.ok) return o;
    return { ok: true, value: { ...o.value, parts: [...parts] } };
  } catch (e) {
    return { ok: false, error: toLoadError(e) };
  } finally {
    for (const s of sources) await s.close();
  }
}

/** Loads a delivery's parts (or one Parquet file) as one table. */
export async function loadPartsAsText(
  name: string,
  parts: readonly string[],
  stats: readonly fs.Stats[],
  magic: readonly Uint8Array[],
  options: FileLoadOptions,
): Promise<LoadOutcome> {
  const formats: DeliveryFormat[] = magic.map((m) => (isGzip(m) ? 'csv.gz' : isParquet(m) ? 'parquet' : 'csv'));
  const sizes = stats.map((s) => s.size);
  const total = sizes.reduce((a, b) => a + b, 0);
  const state: PartsState = { read: 0 };
  try {
    const mixed = formats.findIndex((f) => (f === 'parquet') !== (formats[0] === 'parquet'));
    if (mixed >= 0) {
      const [a, b] = formats[0] === 'parquet' ? ['CSV', 'Parquet'] : ['Parquet', 'CSV'];
      throw new LoadFailure(
        'not-an-export',
        `${path.basename(parts[mixed])} is ${a} but ${path.basename(parts[0])} is ${b}: the parts of one delivery must be of one format`,
      );
    }
    if (formats[0] === 'parquet') return await loadParquet(name, parts, sizes, options);
    // the text's size is not known beforehand: a generous guess (pages never written stay free)
    const sizeHint = formats.every((f) => f === 'csv') ? total : total * 4;
    const chunks = partsText(name, parts, formats, state);
    const o = await loadExport(
      { name: path.basename(name), size: total, sizeHint, chunks, text: true, read: () => state.read },
      { decompressor: nodeGunzip, ...options },
    );
    if (!o.ok) return o;
    const format = formats[0];
    return {
      ok: true,
      value: { ...o.value, gzip: format === 'csv.gz', format, parts: [...parts], compressedBytes: total },
    };
  } catch (e) {
    return { ok: false, error: toLoadError(e) };
  }
}
