/**
 * A Parquet delivery (its parts, in order) read straight into the table the grid, the validator and
 * the measures use: row group by row group, each needed column chunk is decoded into its cell text
 * (cells.ts: the text a CSV delivery of the same rows holds) and its values, which go straight into
 * the table's typed vectors (vectors.ts), and the rows are written into the table's buffer with
 * their field boundaries, so nothing is scanned or typed again. Flat columns of the
 * encodings and codecs writers use (chunk.ts) are read by this room's decoder; any other column
 * chunk (nested, DELTA or BYTE_STREAM_SPLIT encodings, codecs other than Snappy, DECIMAL, INT96 …)
 * by hyparquet, into the same text.
 *
 * The decoding (groups.ts) needs no table, so on a machine with a second core it runs on a thread of
 * its own (src/worker/parquetWorker.ts), which also writes the rows' text into the table's shared
 * memory, while this thread hands the values to the vectors and adds the rows to the table in order
 * (dictionary codes, key codes and the validator see the rows as one thread would).
 *
 * Room src/core/parquet: Parquet deliveries: the footer, a decoder of flat columns, hyparquet for the rest, rows written into the table, values into its vectors.
 * May import: src/core, src/core/catalog, src/core/load.
 */
import { chooseVersion, detectVersion } from '../catalog/detect';
import { LoadFailure, toLoadError } from '../errors';
import { TableBuilder } from '../load/builder';
import {
  DEFAULT_MAX_BYTES,
  EARLY_ROWS,
  FIRST_ROWS,
  HARD_MAX_BYTES,
  type LoadOptions,
  type LoadOutcome,
} from '../load/load';
import { columnSpec } from '../catalog/templates';
import { loadedVectorKind } from '../load/table';
import { GroupDecoder, type BatchPool, type GroupEvent, type GroupSetup } from './groups';
import { openParquet, type ParquetFile, type ParquetSource } from './hyparquet';
import { newBatch, RowAdder } from './rows';
import { handOver } from './vectors';

export type { ParquetSource } from './hyparquet';
export {
  batchBuffers,
  GroupDecoder,
  valueBuffers,
  type BatchPool,
  type ChunkValues,
  type GroupEvent,
  type GroupSetup,
  type GroupValues,
  type Place,
} from './groups';
export { newBatch, type RowBatch } from './rows';

export interface ParquetPart {
  /** The part's name in messages. */
  readonly name: string;
  readonly source: ParquetSource;
}

export type ParquetLoadOptions = Omit<LoadOptions, 'decompressor'> & {
  /** Only these columns are decoded (a measure's), in the file's order; the version stays the whole file's. */
  readonly columns?: readonly string[];
  /** Bytes of the files read so far, for progress (default: the column chunks fetched here). */
  readonly read?: () => number;
  /** 'hyparquet' reads every column chunk with hyparquet (to compare the two readers). */
  readonly reader?: 'own' | 'hyparquet';
  /**
   * The row groups decoded elsewhere (another thread reading the same parts): their events in order,
   * as GroupDecoder.events gives them. By default they are decoded here, between the rows they give.
   */
  readonly groups?: (setup: GroupSetup, room: TextRoom) => AsyncIterable<GroupEvent>;
};

/** The table's text, for rows written in place (GroupSetup.inPlace). */
export interface TextRoom {
  /**
   * Room for `bytes` more bytes after the text so far (every batch before has been added): the text's
   * buffer, which may be a new one, and its length.
   */
  reserve(bytes: number): { text: Uint8Array; length: number };
}

/**
 * In one thread: one batch, filled again once its rows are in the table, whose text is written where
 * it goes (`room`: the table's text with room for a row group's, every row before it added).
 */
export function onePool(columns: number, room: TextRoom): BatchPool {
  const batch = newBatch(columns);
  return {
    take: () => batch,
    memory: (bytes) => new ArrayBuffer(bytes),
    place: (bytes) => {
      const { text, length } = room.reserve(bytes);
      return { text, at: length };
    },
  };
}

/** Column chunks read so far by each reader (tests check which one read what). */
export const chunksRead = { own: 0, hyparquet: 0 };

function otherColumns(part: string, first: string, extra: readonly string[]): LoadFailure {
  return new LoadFailure(
    'not-an-export',
    `${part} has columns ${first} does not have (${extra.slice(0, 3).join(', ')}): the parts of one delivery must have the same columns`,
  );
}

export async function loadParquetParts(
  parts: readonly ParquetPart[],
  options: ParquetLoadOptions,
): Promise<LoadOutcome> {
  const t0 = Date.now();
  const maxBytes = Math.min(options.maxBytes ?? DEFAULT_MAX_BYTES, HARD_MAX_BYTES);
  let fetched = 0;
  const read = options.read ?? (() => fetched);
  try {
    const files: ParquetFile[] = [];
    for (const p of parts) files.push(await openParquet(p.source, p.name));
    const first = files[0];
    const report = detectVersion(first.columns);
    let chosen;
    try {
      chosen = chooseVersion(options.template, report);
    } catch (e) {
      throw new LoadFailure('bad-option', (e as Error).message);
    }
    const booleans: readonly [string, string] =
      chosen.version.encodings.booleans === 'tf' ? ['t', 'f'] : ['true', 'false'];
    const want = options.columns ? new Set(options.columns) : null;
    const columns = want ? first.columns.filter((c) => want.has(c)) : [...first.columns];
    // a selection of columns would be detected as another version: read it as the whole file's
    const template = want ? chosen.version.id : options.template;
    if (!want) {
      const known = new Set(columns);
      files.forEach((f, i) => {
        const extra = f.columns.filter((c) => !known.has(c));
        if (extra.length) throw otherColumns(parts[i].name, parts[0].name, extra);
      });
    }
    const size = parts.reduce((n, p) => n + p.source.byteLength, 0);
    const totalRows = files.reduce((n, f) => n + f.rows, 0);
    const builder = new TableBuilder({ ...options, template, maxBytes, sizeHint: 0 });
    builder.append(new TextEncoder().encode(`${columns.join(',')}\n`));
    const feed = builder.headerInfo!.report.feed;
    const setup: GroupSetup = {
      columns,
      booleans,
      reader: options.reader,
      dictText: columns.map((c) => (loadedVectorKind(columnSpec(c, feed)) === 'dict' ? 1 : 0)),
      // another thread may write the rows' text where it goes when it can see the table's memory
      inPlace: options.groups !== undefined && builder.bytes.buffer instanceof SharedArrayBuffer,
    };
    let rowsDone = 0;
    /** Room for `bytes` more bytes of text, the whole text's likely size reserved at once. */
    const reserve = (bytes: number) => {
      // how many times the rows so far the whole table is likely to hold, so the buffer grows once
      const scale = rowsDone < totalRows ? totalRows / rowsDone : 1;
      builder.reserve(bytes, Math.ceil((builder.length + bytes) * scale * 1.02));
      return { text: builder.bytes, length: builder.length };
    };
    const events = options.groups
      ? options.groups(setup, { reserve })
      : new GroupDecoder(
          files,
          parts.map((p) => p.name),
          setup,
          false,
          options.signal,
        ).events(onePool(columns.length, { reserve }));
    const adder = new RowAdder(builder, columns.length);
    const snapshots = options.onFirstRows ? [EARLY_ROWS, FIRST_ROWS] : [];
    const snapshot = () => {
      while (snapshots.length && builder.rowCount >= snapshots[0]) {
        snapshots.shift();
        options.onFirstRows!({ table: builder.table(), info: builder.headerInfo! });
      }
      return snapshots.length ? snapshots[0] : Infinity;
    };
    let next = snapshot();
    const interval = options.progressInterval ?? 100;
    let lastProgress = 0;
    const progress = () =>
      options.onProgress?.({
        compressedRead: Math.max(read(), fetched),
        compressedTotal: size,
        bytes: builder.length,
        rows: builder.rowCount,
      });
    for await (const ev of events) {
      if (options.signal?.aborted) throw new LoadFailure('cancelled', 'Loading was cancelled');
      if (ev.type === 'values') {
        handOver(builder, ev.values, ev.rows, totalRows - rowsDone);
        rowsDone += ev.rows;
        fetched += ev.fetched;
        chunksRead.own += ev.own;
        chunksRead.hyparquet += ev.hyparquet;
        // rows written in place ask for their room themselves (in this thread too)
        if (options.groups && !setup.inPlace) reserve(ev.bytes);
        continue;
      }
      next = adder.add(ev, next, snapshot);
      const now = Date.now();
      if (now - lastProgress >= interval) {
        lastProgress = now;
        progress();
      }
    }
    builder.finish();
    progress();
    const validation = await builder.validation();
    return {
      ok: true,
      value: {
        table: builder.table(),
        info: builder.headerInfo!,
        validation,
        gzip: false,
        compressedBytes: size,
        ms: Date.now() - t0,
        format: 'parquet',
      },
    };
  } catch (e) {
    return { ok: false, error: toLoadError(e) };
  }
}
