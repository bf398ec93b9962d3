/**
 * A delivery's row groups, in order, decoded and assembled into rows: for each row group its typed
 * values (GroupValues, what the table's vectors take as they are) and then its rows in batches
 * (rows.ts). This is the part of a Parquet load that needs no table, so it can run on a thread of
 * its own (src/worker/parquetWorker.ts) while the loading thread indexes the rows it gets; in one
 * thread the loader reads the same events straight from here.
 */
import { LoadFailure } from '../errors';
import { Cells, Kind } from './cells';
import { decodeChunk } from './chunk';
import { corrupt, readCellsWithHyparquet, type ParquetFile } from './hyparquet';
import { Unsupported } from './pages';
import { planFor } from './plan';
import { RowAssembler, type RowBatch } from './rows';

/** What decoding the row groups needs to know beyond the files. */
export interface GroupSetup {
  /** The columns to decode, in the table's order. */
  readonly columns: readonly string[];
  /** The texts of true and false. */
  readonly booleans: readonly [string, string];
  /** 'hyparquet' reads every column chunk with hyparquet (to compare the two readers). */
  readonly reader?: 'own' | 'hyparquet';
  /** Per column: 1 when its strings go to a dictionary vector (their text is needed beside the values). */
  readonly dictText: readonly number[];
  /** The rows' text goes straight into the table's (shared memory), where BatchPool.place says. */
  readonly inPlace: boolean;
}

/**
 * A column chunk's typed values (vectors.ts): per row the number (NaN: NULL) or a string's entry in
 * the chunk's dictionary of `entries` (-1: none); for strings, the cell text and each row's place in it.
 */
export interface ChunkValues {
  readonly kind: Kind;
  readonly num: Float64Array;
  readonly entry: Int32Array;
  readonly entries: number;
  readonly text: Uint8Array;
  readonly at: Int32Array;
}

/** A row group's typed values, before its rows. */
export interface GroupValues {
  readonly type: 'values';
  readonly rows: number;
  /** The text bytes of all its rows. */
  readonly bytes: number;
  /** Per column: its values when the vectors may take them, else null (its text is typed). */
  readonly values: readonly (ChunkValues | null)[];
  /** Bytes of column chunks read for it, and chunks read by each reader. */
  readonly fetched: number;
  readonly own: number;
  readonly hyparquet: number;
}

export type GroupEvent = GroupValues | RowBatch;

/** Batches to fill: `take` gives an empty one (it may wait until one is handed back). */
export interface BatchPool {
  take(): RowBatch | Promise<RowBatch>;
  /** Memory of at least `bytes` bytes for values copied out (buffers handed back are used again). */
  memory(bytes: number): ArrayBuffer;
  /**
   * Where a row group's text of `bytes` bytes goes in the table's own text: that text and the offset
   * (it may wait until the table has room). Absent: the text goes in the batches.
   */
  place?(bytes: number): Place | Promise<Place>;
}

export interface Place {
  readonly text: Uint8Array;
  readonly at: number;
}

/** A batch's arrays, to hand over to another thread. */
export const batchBuffers = (b: RowBatch): ArrayBuffer[] =>
  [b.text, b.ends, b.quoted, b.lines].map((a) => a.buffer as ArrayBuffer);

/** A row group's values' own arrays, to hand over (the empty ones are shared and stay). */
export function valueBuffers(g: GroupValues): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const v of g.values)
    if (v) for (const a of [v.num, v.entry, v.text, v.at]) if (a.byteLength) out.add(a.buffer as ArrayBuffer);
  return [...out];
}

const none = { f64: new Float64Array(0), i32: new Int32Array(0), u8: new Uint8Array(0) };

export class GroupDecoder {
  private readonly cells: Cells[];
  private readonly assembler: RowAssembler;
  /** One buffer for the column chunks read, when the source can read into it. */
  private chunkBuf = new Uint8Array(0);
  private pool: BatchPool | null = null;

  /**
   * `copy`: the values are copied out of the decoder's own buffers (for another thread; in the same
   * thread they are read before the next row group overwrites them).
   */
  constructor(
    private readonly files: readonly ParquetFile[],
    private readonly names: readonly string[],
    private readonly setup: GroupSetup,
    private readonly copy: boolean,
    private readonly signal?: { readonly aborted: boolean },
  ) {
    this.cells = setup.columns.map(() => new Cells());
    this.assembler = new RowAssembler(setup.columns.length);
  }

  /** Every row group of every file, in order: its values, then its rows in batches from `pool`. */
  async *events(pool: BatchPool): AsyncGenerator<GroupEvent> {
    this.pool = pool;
    for (let f = 0; f < this.files.length; f++) {
      const file = this.files[f];
      let start = 0;
      for (let g = 0; g < file.metadata.row_groups.length; g++) {
        const rows = Number(file.metadata.row_groups[g].num_rows);
        if (rows > 0) {
          const { use, values } = await this.read(f, g, start, rows);
          const bytes = this.assembler.measure(use, rows);
          yield { ...values, bytes };
          const place = pool.place ? await pool.place(bytes) : null;
          let at = place ? place.at : -1;
          for (let r = 0; r < rows;) {
            const batch = await pool.take();
            batch.at = at;
            const into = place ? place.text.subarray(at, place.at + bytes) : batch.text;
            r = this.assembler.fill(use, r, rows, batch, into);
            if (place) at += batch.size;
            yield batch;
          }
        }
        start += rows;
      }
    }
  }

  /** Row group g of file f: each column's cell text (null: a column the part lacks) and typed values. */
  private async read(
    f: number,
    g: number,
    start: number,
    rows: number,
  ): Promise<{ use: (Cells | null)[]; values: Omit<GroupValues, 'bytes'> }> {
    const file = this.files[f];
    const { columns, booleans } = this.setup;
    const index = new Map(file.metadata.schema.map((el, i) => [el.name, i]));
    // each top-level column's leaf (flat columns only: a nested one is left to hyparquet)
    const leaf = new Map<string, number>();
    file.metadata.row_groups[0]?.columns.forEach((c, i) => {
      const p = c.meta_data?.path_in_schema;
      if (p && p.length === 1) leaf.set(p[0], i);
    });
    const group = file.metadata.row_groups[g];
    const use: (Cells | null)[] = [];
    const values: (ChunkValues | null)[] = [];
    let fetched = 0;
    let own = 0;
    let hyparquet = 0;
    for (let k = 0; k < columns.length; k++) {
      if (this.signal?.aborted) throw new LoadFailure('cancelled', 'Loading was cancelled');
      const at = index.get(columns[k]);
      if (at === undefined) {
        use.push(null); // a column this part does not have: NULL
        values.push(null);
        continue;
      }
      const el = file.metadata.schema[at];
      const chunk = leaf.has(columns[k]) ? group.columns[leaf.get(columns[k])!] : undefined;
      const meta = chunk?.meta_data;
      const plan = this.setup.reader === 'hyparquet' || chunk?.file_path ? null : planFor(el, meta, booleans);
      const c = this.cells[k];
      let done = false;
      try {
        if (plan && meta) {
          const from = Number(meta.dictionary_page_offset || meta.data_page_offset);
          const size = Number(meta.total_compressed_size);
          const source = file.source;
          if (source.readInto && this.chunkBuf.length < size) this.chunkBuf = new Uint8Array(size + (size >> 2));
          const bytes = source.readInto
            ? await source.readInto(from, this.chunkBuf.subarray(0, size))
            : new Uint8Array(await source.slice(from, from + size));
          fetched += bytes.length;
          try {
            // a string column's entries serve only its dictionary vector
            const wanted = plan.kind !== Kind.String || this.setup.dictText[k] === 1;
            decodeChunk(bytes, plan, rows, Number(meta.total_uncompressed_size), c, wanted);
            own++;
            done = true;
          } catch (e) {
            if (!(e instanceof Unsupported)) throw e;
          }
        }
        if (!done) {
          await readCellsWithHyparquet(file, columns[k], el, start, rows, booleans, c);
          hyparquet++;
        }
      } catch (e) {
        if (e instanceof LoadFailure) throw e;
        throw corrupt(this.names[f], e);
      }
      use.push(c);
      values.push(done && c.typed ? this.valuesOf(c, plan!.kind, rows, this.setup.dictText[k] === 1) : null);
    }
    return { use, values: { type: 'values', rows, values, fetched, own, hyparquet } };
  }

  private valuesOf(c: Cells, kind: Kind, rows: number, text: boolean): ChunkValues {
    const strings = kind === Kind.String;
    if (!this.copy) return { kind, num: c.num, entry: c.entry, entries: c.entries, text: c.text, at: c.at };
    const pool = this.pool!;
    const copied = <T extends Float64Array | Int32Array | Uint8Array>(
      make: new (b: ArrayBuffer, at: number, n: number) => T,
      from: T,
      n: number,
    ): T => {
      const to = new make(pool.memory(n * from.BYTES_PER_ELEMENT), 0, n);
      to.set(from.subarray(0, n));
      return to;
    };
    // the numbers and entries themselves go (nothing reads them here again); the chunk's next values
    // go in memory from the pool. The text and its places stay: the rows are made from them.
    let num = none.f64;
    let entry = none.i32;
    if (strings) {
      entry = c.entry.subarray(0, rows);
      const m = pool.memory(rows * 4);
      c.entry = new Int32Array(m, 0, m.byteLength >> 2);
    } else {
      num = c.num.subarray(0, rows);
      const m = pool.memory(rows * 8);
      c.num = new Float64Array(m, 0, m.byteLength >> 3);
    }
    return {
      kind,
      num,
      entry,
      entries: c.entries,
      text: strings && text ? copied(Uint8Array, c.text, c.n) : none.u8,
      at: strings && text ? copied(Int32Array, c.at, 2 * rows) : none.i32,
    };
  }
}
