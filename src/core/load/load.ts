/**
 * Loading an export: raw file chunks → (gunzip) → TableBuilder, with progress, cancellation and
 * every failure a user can meet turned into a LoadError value. Platform-neutral: the caller brings
 * the file's chunks and the decompressor (node:zlib in Node, fflate elsewhere).
 *
 * Room src/core/load: the load pipeline: decode, scan, build, the table and its cells.
 * May import: src/core, src/core/catalog, src/core/validate.
 */
import { TableBuilder, type BuilderOptions, type HeaderInfo } from './builder';
import { HARD_MAX_BYTES, limitHow } from './builderOptions';
import { isGzip, plausibleSizeHint, type Decompressor } from './decode';
import { formatBytes, LoadFailure, toLoadError, type LoadError } from '../errors';
import type { TableData } from './table';
import type { ValidationReport } from '../validate/problems';

/**
 * Default decompressed-size limit where the caller knows nothing of the machine's memory (Node's
 * loaders default to what memory allows: src/node/memoryLimit.ts).
 */
export const DEFAULT_MAX_BYTES = 2 * 2 ** 30;
export { HARD_MAX_BYTES };

export interface LoadProgress {
  readonly compressedRead: number;
  readonly compressedTotal: number;
  readonly bytes: number;
  readonly rows: number;
}

export interface LoadInput {
  /** The file's name (used for messages and to tell a plain file named .gz). */
  readonly name: string;
  /** The full path, when there is one: a feed's folder (virtual_currency/...) tells the feed. */
  readonly path?: string;
  readonly size: number;
  readonly chunks: AsyncIterable<Uint8Array>;
  /** Decompressed size expected (gzip ISIZE, which any file can forge: a hint only); 0 when unknown. */
  readonly sizeHint?: number;
  /** The chunks are the export's text already (decompressed, or made from Parquet): no gzip sniffing. */
  readonly text?: boolean;
  /** Bytes of the files read so far, when that is not the bytes of the chunks (text made from them). */
  readonly read?: () => number;
}

export interface LoadOptions extends Omit<BuilderOptions, 'sizeHint' | 'maxBytes'> {
  decompressor: Decompressor;
  maxBytes?: number;
  signal?: AbortSignal;
  onProgress?: (p: LoadProgress) => void;
  /** Milliseconds between progress reports (default 100). */
  progressInterval?: number;
  /**
   * The table so far, to show early: called when EARLY_ROWS rows are in (a screenful, so an editor
   * can paint at once) and again at FIRST_ROWS (more to scroll through while the rest loads), each
   * only while more data is still to come.
   */
  onFirstRows?: (first: FirstRows) => void;
  /**
   * What the decompressed text is given to, in place of the builder itself: a columns-only load
   * (src/core/stream) keeps only the fields of some columns. Made once the builder exists.
   */
  feeder?: (builder: TableBuilder, options: BuilderOptions) => Feeder;
  /** Another table builder than TableBuilder itself (src/core/stream/window.ts: one that keeps no text). */
  builder?: (options: BuilderOptions) => TableBuilder;
}

/** Takes the decompressed text in chunks, into a table builder; `length`: bytes of text taken. */
export interface Feeder {
  readonly length: number;
  append(chunk: Uint8Array): void;
  finish(): void;
  /** The table, when it is not the builder's own. */
  table?(): TableData;
}

/** The first rows of a table still loading; rows below table.rowCount are final. */
export interface FirstRows {
  readonly table: TableData;
  readonly info: HeaderInfo;
}

/** Rows of the early snapshots (see LoadOptions.onFirstRows). */
export const EARLY_ROWS = 200;
export const FIRST_ROWS = 1000;
/** Until the snapshots are out, data goes to the builder in pieces this large, so each leaves as soon as its rows are in. */
const EARLY_SLICE = 64 * 1024;

export interface Loaded {
  readonly table: TableData;
  readonly info: HeaderInfo;
  readonly validation: ValidationReport | null;
  readonly gzip: boolean;
  readonly compressedBytes: number;
  readonly ms: number;
  /** What the delivery's files hold (set by whoever read them; csv or csv.gz when not). */
  readonly format?: DeliveryFormat;
  /** The files the table was read from, when a delivery has several (or one not named as given). */
  readonly parts?: string[];
}

export type DeliveryFormat = 'csv' | 'csv.gz' | 'parquet';

export type LoadOutcome = { ok: true; value: Loaded } | { ok: false; error: LoadError };

async function* prepend(first: Uint8Array, rest: AsyncIterator<Uint8Array>): AsyncIterable<Uint8Array> {
  yield first;
  for (;;) {
    const r = await rest.next();
    if (r.done) return;
    yield r.value;
  }
}

function looksBinary(b: Uint8Array): boolean {
  const n = Math.min(b.length, 4096);
  for (let i = 0; i < n; i++) {
    const c = b[i];
    if (c === 0 || c < 0x09 || (c > 0x0d && c < 0x20)) return true;
  }
  return false;
}

export async function loadExport(input: LoadInput, options: LoadOptions): Promise<LoadOutcome> {
  const t0 = Date.now();
  const maxBytes = Math.min(options.maxBytes ?? DEFAULT_MAX_BYTES, HARD_MAX_BYTES);
  let compressedRead = 0;
  const iterator = input.chunks[Symbol.asyncIterator]();
  try {
    const first = await iterator.next();
    if (first.done || first.value.length === 0) {
      return { ok: false, error: { code: 'empty', message: 'The file is empty (0 bytes)' } };
    }
    const gzip = !input.text && isGzip(first.value);
    if (!gzip && !input.text && /\.gz$/i.test(input.name)) {
      if (looksBinary(first.value)) {
        throw new LoadFailure(
          'binary',
          'The file is named .gz but holds neither gzip data nor text: it is not a RevenueCat export',
        );
      }
      throw new LoadFailure(
        'not-gzip',
        'The file is named .csv.gz but is not gzip-compressed: it holds plain text. Rename it to .csv to open it as uncompressed CSV',
      );
    }
    if (gzip ? input.size > maxBytes * 1.1 + 1024 : input.size > maxBytes) {
      throw new LoadFailure(
        'too-large',
        `The file is ${formatBytes(input.size)}, beyond the ${formatBytes(maxBytes)} loading limit${limitHow(maxBytes)}`,
      );
    }
    const counted = (async function* () {
      for await (const c of prepend(first.value, iterator)) {
        compressedRead += c.length;
        yield c;
      }
    })();
    const sizeHint = gzip ? plausibleSizeHint(input.sizeHint ?? 0, input.size) : input.size;
    const builderOptions = { ...options, name: input.path ?? input.name, maxBytes, sizeHint };
    const builder = options.builder ? options.builder(builderOptions) : new TableBuilder(builderOptions);
    const feeder: Feeder = options.feeder ? options.feeder(builder, builderOptions) : builder;
    // (a builder with a window keeps only its end of the text: `taken` counts all of it)
    const taken = () => (feeder === builder ? builder.taken : feeder.length);
    const interval = options.progressInterval ?? 100;
    let last = 0;
    const snapshots = options.onFirstRows ? [EARLY_ROWS, FIRST_ROWS] : [];
    const chunks = gzip ? options.decompressor(counted) : counted;
    for await (const chunk of chunks) {
      if (options.signal?.aborted) throw new LoadFailure('cancelled', 'Loading was cancelled');
      // (a decompressed chunk is a megabyte, ~1,500 rows: in one piece the first rows would wait for all of them)
      for (let at = 0; at < chunk.length;) {
        const end = snapshots.length ? Math.min(chunk.length, at + EARLY_SLICE) : chunk.length;
        feeder.append(at === 0 && end === chunk.length ? chunk : chunk.subarray(at, end));
        at = end;
        if (snapshots.length && builder.rowCount >= snapshots[0]) {
          while (snapshots.length && builder.rowCount >= snapshots[0]) snapshots.shift();
          options.onFirstRows!({ table: builder.table(), info: builder.headerInfo! });
        }
      }
      // a streamed load (WindowBuilder) reads on only once the deep rules' thread has caught up
      const behind = builder.backlog();
      if (behind) await behind;
      if (options.onProgress) {
        const now = Date.now();
        if (now - last >= interval) {
          last = now;
          options.onProgress({
            compressedRead: input.read ? input.read() : compressedRead,
            compressedTotal: input.size,
            bytes: taken(),
            rows: builder.rowCount,
          });
        }
      }
    }
    if (gzip && taken() === 0)
      throw new LoadFailure('empty', 'The gzip file decompresses to nothing: there is no header and no data');
    feeder.finish();
    options.onProgress?.({
      compressedRead: input.read ? input.read() : compressedRead,
      compressedTotal: input.size,
      bytes: taken(),
      rows: builder.rowCount,
    });
    const info = builder.headerInfo!;
    const table = feeder.table ? feeder.table() : builder.table();
    const validation = await builder.validation();
    return {
      ok: true,
      value: { table, info, validation, gzip, compressedBytes: input.size, ms: Date.now() - t0 },
    };
  } catch (e) {
    await iterator.return?.();
    return { ok: false, error: toLoadError(e) };
  }
}
