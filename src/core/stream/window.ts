/**
 * A load that keeps none of the text, for validating as it streams by (`rc-export validate`): the
 * text passes through one reused buffer, a chunk and the record it cuts, and the typed vectors hold
 * the rows of one chunk. Each record is typed and checked as it is scanned, as in a whole load
 * (builder.ts, validate/fused.ts); what the file-wide rules need they keep themselves (the ids of
 * the duplicate rule, the first places of each problem). The table at the end has the count of rows
 * and none of them.
 */
import { TableBuilder, type BuilderOptions } from '../load/builder';
import type { TableData } from '../load/table';

export class WindowBuilder extends TableBuilder {
  constructor(options: BuilderOptions) {
    // no size hint: the buffer grows to a chunk and the record it cuts, and stays that size
    super({ ...options, sizeHint: 0, validate: true, window: true, keys: false });
  }

  protected override process(final: boolean): void {
    super.process(final);
    const sc = this.scanner;
    if (!sc || sc.pos === 0) return;
    // the records scanned are let go; the one the chunk cut moves to the front (scanned again from
    // its start, once: a record longer than the buffer stays in place and the scan goes on)
    const pos = sc.pos;
    this.buf.copyWithin(0, pos, this.length);
    this.length -= pos;
    this.base += pos;
    sc.pos = 0;
    this.rowBase = this.rowCount;
    this.live.base = this.base;
    this.live.rowBase = this.rowBase;
    this.rowLimit = Math.max(0, Math.min(this.capacity, this.rowBudget(this.taken) - this.rowBase));
  }

  /** Room for one more row: the vectors hold one chunk's rows, so they double when a chunk has more. */
  protected override makeRoom(row: number): void {
    if (row - this.rowBase === this.capacity && this.rowBudget(this.taken) > row) {
      this.resize(this.capacity * 2);
      this.rowLimit = Math.min(this.capacity, this.rowBudget(this.taken) - this.rowBase);
    } else super.makeRoom(row);
  }

  /** The count of rows, and none of them. */
  override table(): TableData {
    const t = super.table();
    return { ...t, bytes: new Uint8Array(0), rowStarts: new Uint32Array(0), vectors: t.vectors.map(() => null) };
  }
}
