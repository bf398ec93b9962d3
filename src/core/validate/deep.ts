/**
 * The costliest rules — JSON attributes, entitlement arrays and duplicate transactions — read long
 * fields or a file-wide table, and need nothing but the bytes. While a file loads, the loading thread
 * hands them to a second thread in batches of field ranges (DeepBatcher), and that thread runs them
 * (DeepValidator) over the same shared bytes, so both cores work. In a single thread the Validator
 * runs the same rules inline.
 */
import { loadedVectorKind } from '../load/table';
import { columnSpec, templateVersion, type TemplateId, type TemplateVersion } from '../catalog/templates';
import { columnRules, newCellContext, type CellContext, type ColumnRules } from './cellRules';
import { DuplicateKeys } from './duplicates';
import { ProblemCollector, type Problem, type ProblemTally } from './problems';

export interface DeepBatch {
  readonly bytes: Uint8Array;
  /**
   * Per row: row, line, id start, id end, renewal number, then start, end, quoted per deep column;
   * streamed (DeepSetup.streamed), then where the row's bytes start in the whole text, less where in `bytes`.
   */
  readonly data: Float64Array;
  readonly rows: number;
  /** Not streamed: the segment of the text `bytes` is, and where it starts in the whole text (0, 0 when one). */
  readonly segment?: number;
  readonly base?: number;
}

export interface DeepSetup {
  readonly header: readonly string[];
  readonly version: TemplateId;
  readonly maxPerRule: number;
  /** The batches bring copies of their rows' bytes (a streamed load's text is let go), not places in shared bytes. */
  readonly streamed?: boolean;
}

export interface DeepReport {
  readonly problems: readonly Problem[];
  readonly tallies: readonly ProblemTally[];
}

/**
 * Header indices of the columns whose rules run in the deep pass: those that need nothing but the
 * bytes (JSON attributes, entitlement arrays, and columns the loader keeps as text, whose rules
 * parse the field themselves).
 */
export function deepColumns(header: readonly string[], version: TemplateVersion): number[] {
  const out: number[] = [];
  header.forEach((name, k) => {
    const c = columnRules(name, version);
    if (
      c &&
      c.rules.length &&
      (c.spec.type === 'json' || c.spec.type === 'array' || loadedVectorKind(columnSpec(name, version.feed)) === null)
    )
      out.push(k);
  });
  return out;
}

const BATCH_ROWS = 16384;
/** A streamed batch's rows' bytes, a first guess (it grows for longer rows). */
const COPY_BYTES = 16 << 20;
/** Streamed: positions the rules remember (seen.ts) are batch number × this + place in the batch's bytes. */
const BATCH_SPAN = 2 ** 34;

/** Collects the deep rules' inputs row by row; `flush` hands a full batch to the other thread. */
export class DeepBatcher {
  readonly stride: number;
  private data: Float64Array;
  private rows = 0;
  /**
   * Streamed: the batch's copy of its rows' bytes, filled to `used`; then the rows not copied yet,
   * bytes [from, to) of the text's buffer, to go at `used` (copied in one piece when the buffer moves
   * on or the batch leaves). Copies in flight and free, oldest first.
   */
  private copy: Uint8Array | null = null;
  /** Not streamed: the segment of the text the rows added are in (set before add), and where it starts. */
  segment = 0;
  private base = 0;
  private used = 0;
  private from = -1;
  private to = 0;
  private readonly inFlight: Uint8Array[] = [];
  private readonly free: Uint8Array[] = [];

  /**
   * @param streamed each batch brings a copy of its rows' bytes (as the text is let go).
   * @param reuseBytes a copy the other thread is done with (one `flush` handed over), to fill again.
   */
  constructor(
    readonly columns: readonly number[],
    private readonly flush: (batch: DeepBatch) => void,
    private readonly reuse?: () => Float64Array | undefined,
    streamed = false,
    private readonly reuseBytes?: () => Uint8Array | undefined,
  ) {
    this.stride = 5 + columns.length * 3 + (streamed ? 1 : 0);
    this.data = new Float64Array(BATCH_ROWS * this.stride);
    if (streamed) this.copy = newCopy(COPY_BYTES);
  }

  /** One row; streamed, its bytes are [from, to) of `bytes`, which starts at `base` in the whole text. */
  add(
    bytes: Uint8Array,
    starts: Float64Array,
    ends: Float64Array,
    quoted: Uint8Array,
    fields: number,
    row: number,
    line: number,
    txCol: number,
    renewal: number,
    from = 0,
    to = 0,
    base = 0,
  ): void {
    const d = this.data;
    let o = this.rows * this.stride;
    // streamed: places move from `bytes` to the copy (rows come one after the other in the buffer)
    if (this.copy && this.from < 0) this.from = this.to = from;
    this.base = base;
    const shift = this.copy ? this.used - this.from : 0;
    d[o++] = row;
    d[o++] = line;
    d[o++] = txCol >= 0 && txCol < fields ? starts[txCol] + shift : 0;
    d[o++] = txCol >= 0 && txCol < fields ? ends[txCol] + shift : 0;
    d[o++] = renewal;
    for (const k of this.columns) {
      const present = k < fields;
      d[o++] = present ? starts[k] + shift : 0;
      d[o++] = present ? ends[k] + shift : 0;
      d[o++] = present ? quoted[k] : 0;
    }
    if (this.copy) {
      d[o] = base - shift;
      this.to = to;
      if (this.used + to - this.from > this.copy.length) this.grow(to - this.from);
    }
    if (++this.rows === BATCH_ROWS) this.send(bytes);
  }

  /** Streamed: the rows added are copied now, before their bytes are let go. */
  release(bytes: Uint8Array): void {
    if (!this.copy || this.from < 0) return;
    this.copy.set(bytes.subarray(this.from, this.to), this.used);
    this.used += this.to - this.from;
    this.from = -1;
  }

  send(bytes: Uint8Array): void {
    this.release(bytes);
    if (this.rows === 0) return;
    this.flush(
      this.copy
        ? { bytes: this.copy, data: this.data, rows: this.rows }
        : { bytes, data: this.data, rows: this.rows, segment: this.segment, base: this.base },
    );
    const spent = this.reuse?.();
    this.data = spent && spent.length === BATCH_ROWS * this.stride ? spent : new Float64Array(BATCH_ROWS * this.stride);
    this.rows = 0;
    if (this.copy) {
      if (this.copy.byteLength === 0) {
        // handed over (transferred, as a thread's channel does): that thread hands copies back
        this.copy = this.reuseBytes?.() ?? newCopy(COPY_BYTES);
      } else {
        // kept by the channel as it is: a batch's array back means its copy (the oldest in flight:
        // batches run in order) is free too
        this.inFlight.push(this.copy);
        if (spent) this.free.push(this.inFlight.shift()!);
        this.copy = this.free.pop() ?? newCopy(COPY_BYTES);
      }
      this.used = 0;
    }
  }

  /** A copy with room for `more` bytes past `used` (a batch of long rows). */
  private grow(more: number): void {
    const next = newCopy(Math.max(this.copy!.length * 2, this.used + more));
    next.set(this.copy!.subarray(0, this.used));
    this.copy = next;
  }
}

/**
 * A batch's copy of its rows' bytes: not shared memory, which V8 copies into with a slower, relaxed
 * (atomic-safe) move; a thread's channel hands it over whole (transferred) and gets it back.
 */
function newCopy(n: number): Uint8Array {
  return new Uint8Array(new ArrayBuffer(n));
}

/** Runs the deep rules over batches, on whichever thread receives them. */
export class DeepValidator {
  private readonly collector: ProblemCollector;
  private readonly duplicates: DuplicateKeys;
  private readonly columns: { index: number; rules: ColumnRules }[];
  private readonly ctx: CellContext;
  private readonly checkDuplicates: boolean;
  private readonly streamed: boolean;
  private batches = 0;

  constructor(setup: DeepSetup) {
    const version = templateVersion(setup.version);
    this.collector = new ProblemCollector(setup.maxPerRule);
    this.streamed = setup.streamed === true;
    this.duplicates = new DuplicateKeys(this.collector, this.streamed);
    this.checkDuplicates = setup.header.includes('store_transaction_id') && setup.header.includes('renewal_number');
    this.columns = deepColumns(setup.header, version).map((index) => ({
      index,
      rules: columnRules(setup.header[index], version)!,
    }));
    this.ctx = newCellContext(this.collector, version);
  }

  run(batch: DeepBatch): void {
    const d = batch.data;
    const stride = 5 + this.columns.length * 3 + (this.streamed ? 1 : 0);
    const ctx = this.ctx;
    ctx.bytes = batch.bytes;
    // streamed: a batch's bytes are a copy, reused for a later batch: what a rule remembers of one
    // batch is never found in another (seen.ts), and problems are placed in the whole text
    if (this.streamed) ctx.base = ++this.batches * BATCH_SPAN;
    else ctx.base = this.collector.base = batch.base ?? 0;
    const segment = batch.segment ?? 0;
    for (let r = 0; r < batch.rows; r++) {
      let o = r * stride;
      const row = d[o];
      const line = d[o + 1];
      if (this.streamed) this.collector.base = d[o + stride - 1];
      if (this.checkDuplicates) this.duplicates.check(batch.bytes, d[o + 2], d[o + 3], d[o + 4], row, line, segment);
      o += 5;
      for (const c of this.columns) {
        const s = d[o];
        const e = d[o + 1];
        const q = d[o + 2];
        o += 3;
        if (s === e) continue;
        ctx.s = s;
        ctx.e = e;
        ctx.quoted = q === 1;
        ctx.row = row;
        ctx.line = line;
        for (const rule of c.rules.rules) rule(ctx, c.rules);
      }
    }
  }

  report(): DeepReport {
    this.collector.base = 0;
    return this.collector.raw();
  }
}
