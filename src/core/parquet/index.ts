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
import { Cells, type Kind } from './cells';
import { decodeChunk } from './chunk';
import { corrupt, openParquet, readCellsWithHyparquet, type ParquetFile, type ParquetSource } from './hyparquet';
import { Unsupported } from './pages';
import { planFor } from './plan';
import { RowWriter } from './rows';
import { handOver } from './vectors';

export type { ParquetSource } from './hyparquet';

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
};

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
    const writer = new RowWriter(builder, columns.length);
    const cells = columns.map(() => new Cells());
    const snapshots = options.onFirstRows ? [EARLY_ROWS, FIRST_ROWS] : [];
    const interval = options.progressInterval ?? 100;
    let lastProgress = 0;
    const progress = () =>
      options.onProgress?.({
        compressedRead: read(),
        compressedTotal: size,
        bytes: builder.length,
        rows: builder.rowCount,
      });
    let rowsDone = 0;
    // one buffer for the column chunks read, when the source can read into it
    let chunkBuf = new Uint8Array(0);
    for (let f = 0; f < files.length; f++) {
      const file = files[f];
      const name = parts[f].name;
      const index = new Map(file.metadata.schema.map((el, i) => [el.name, i]));
      // each top-level column's leaf (flat columns only: a nested one is left to hyparquet)
      const leaf = new Map<string, number>();
      file.metadata.row_groups[0]?.columns.forEach((c, i) => {
        const p = c.meta_data?.path_in_schema;
        if (p && p.length === 1) leaf.set(p[0], i);
      });
      let groupStart = 0;
      for (const group of file.metadata.row_groups) {
        const rows = Number(group.num_rows);
        const start = groupStart;
        groupStart += rows;
        if (rows === 0) continue;
        const use: (Cells | null)[] = [];
        // the kind of each chunk read by this room's decoder, whose values go to the vectors as they are
        const kinds: (Kind | null)[] = [];
        for (let k = 0; k < columns.length; k++) {
          if (options.signal?.aborted) throw new LoadFailure('cancelled', 'Loading was cancelled');
          const at = index.get(columns[k]);
          if (at === undefined) {
            use.push(null); // a column this part does not have: NULL
            kinds.push(null);
            continue;
          }
          const el = file.metadata.schema[at];
          const chunk = leaf.has(columns[k]) ? group.columns[leaf.get(columns[k])!] : undefined;
          const meta = chunk?.meta_data;
          const plan = options.reader === 'hyparquet' || chunk?.file_path ? null : planFor(el, meta, booleans);
          let done = false;
          try {
            if (plan && meta) {
              const from = Number(meta.dictionary_page_offset || meta.data_page_offset);
              const size = Number(meta.total_compressed_size);
              if (file.source.readInto && chunkBuf.length < size) chunkBuf = new Uint8Array(size + (size >> 2));
              const bytes = file.source.readInto
                ? await file.source.readInto(from, chunkBuf.subarray(0, size))
                : new Uint8Array(await file.source.slice(from, from + size));
              fetched += bytes.length;
              try {
                decodeChunk(bytes, plan, rows, Number(meta.total_uncompressed_size), cells[k]);
                chunksRead.own++;
                done = true;
              } catch (e) {
                if (!(e instanceof Unsupported)) throw e;
              }
            }
            if (!done) {
              await readCellsWithHyparquet(file, columns[k], el, start, rows, booleans, cells[k]);
              chunksRead.hyparquet++;
            }
          } catch (e) {
            if (e instanceof LoadFailure) throw e;
            throw corrupt(name, e);
          }
          use.push(cells[k]);
          kinds.push(done ? plan!.kind : null);
        }
        handOver(builder, use, kinds, rows, totalRows - rowsDone);
        rowsDone += rows;
        writer.write(use, rows, rowsDone < totalRows ? totalRows / rowsDone : 1, () => {
          while (snapshots.length && builder.rowCount >= snapshots[0]) {
            snapshots.shift();
            options.onFirstRows!({ table: builder.table(), info: builder.headerInfo! });
          }
          return snapshots.length ? snapshots[0] : Infinity;
        });
        const now = Date.now();
        if (now - lastProgress >= interval) {
          lastProgress = now;
          progress();
        }
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
