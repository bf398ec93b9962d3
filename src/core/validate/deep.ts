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
  /** Per row: row, line, id start, id end, renewal number, then start, end, quoted per deep column. */
  readonly data: Float64Array;
  readonly rows: number;
}

export interface DeepSetup {
  readonly header: readonly string[];
  readonly version: TemplateId;
  readonly maxPerRule: number;
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

/** Collects the deep rules' inputs row by row; `flush` hands a full batch to the other thread. */
export class DeepBatcher {
  readonly stride: number;
  private data: Float64Array;
  private rows = 0;

  constructor(
    readonly columns: readonly number[],
    private readonly flush: (batch: DeepBatch) => void,
    private readonly reuse?: () => Float64Array | undefined,
  ) {
    this.stride = 5 + columns.length * 3;
    this.data = new Float64Array(BATCH_ROWS * this.stride);
  }

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
  ): void {
    const d = this.data;
    let o = this.rows * this.stride;
    d[o++] = row;
    d[o++] = line;
    d[o++] = txCol >= 0 && txCol < fields ? starts[txCol] : 0;
    d[o++] = txCol >= 0 && txCol < fields ? ends[txCol] : 0;
    d[o++] = renewal;
    for (const k of this.columns) {
      const present = k < fields;
      d[o++] = present ? starts[k] : 0;
      d[o++] = present ? ends[k] : 0;
      d[o++] = present ? quoted[k] : 0;
    }
    if (++this.rows === BATCH_ROWS) this.send(bytes);
  }

  send(bytes: Uint8Array): void {
    if (this.rows === 0) return;
    this.flush({ bytes, data: this.data, rows: this.rows });
    const spent = this.reuse?.();
    this.data = spent && spent.length === BATCH_ROWS * this.stride ? spent : new Float64Array(BATCH_ROWS * this.stride);
    this.rows = 0;
  }
}

/** Runs the deep rules over batches, on whichever thread receives them. */
export class DeepValidator {
  private readonly collector: ProblemCollector;
  private readonly duplicates: DuplicateKeys;
  private readonly columns: { index: number; rules: ColumnRules }[];
  private readonly ctx: CellContext;
  private readonly checkDuplicates: boolean;

  constructor(setup: DeepSetup) {
    const version = templateVersion(setup.version);
    this.collector = new ProblemCollector(setup.maxPerRule);
    this.duplicates = new DuplicateKeys(this.collector);
    this.checkDuplicates = setup.header.includes('store_transaction_id') && setup.header.includes('renewal_number');
    this.columns = deepColumns(setup.header, version).map((index) => ({
      index,
      rules: columnRules(setup.header[index], version)!,
    }));
    this.ctx = newCellContext(this.collector, version);
  }

  run(batch: DeepBatch): void {
    const d = batch.data;
    const stride = 5 + this.columns.length * 3;
    const ctx = this.ctx;
    ctx.bytes = batch.bytes;
    for (let r = 0; r < batch.rows; r++) {
      let o = r * stride;
      const row = d[o];
      const line = d[o + 1];
      if (this.checkDuplicates) this.duplicates.check(batch.bytes, d[o + 2], d[o + 3], d[o + 4], row, line);
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
    return this.collector.raw();
  }
}
