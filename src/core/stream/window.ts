/**
 * A load that keeps none of the text, for validating as it streams by (`rc-export validate`): the
 * text passes through one reused buffer, a chunk and the record it cuts, and the typed vectors hold
 * the rows of one chunk. Each record is typed and checked as it is scanned, as in a whole load
 * (builder.ts, validate/fused.ts); what the file-wide rules need they keep themselves (the ids of
 * the duplicate rule, the first places of each problem). The table at the end has the count of rows
 * and none of them.
 */
import { TableBuilder, type BuilderOptions } from '../load/builder';
import { oneSegment, type TableData } from '../load/table';

/**
 * Batches of the deep rules (each with a copy of its rows' bytes, up to 16 MB) that may wait for the
 * other thread before the load stops reading: the memory stays bounded when that thread falls behind.
 */
export const DEEP_WAITING = 4;

export class WindowBuilder extends TableBuilder {
  /**
   * The capacity and row limit a whole load's vectors would have, so that a text of rows too short to
   * be transactions fails ('too-large') at the same row, in the same words, as in a whole load.
   */
  private wholeCapacity: number;
  private wholeLimit: number;
  private readonly hint: number;

  constructor(options: BuilderOptions) {
    // no size hint: the buffer grows to a chunk and the record it cuts, and stays that size
    super({ ...options, sizeHint: 0, validate: true, window: true });
    this.hint = options.sizeHint ?? 0;
    this.wholeCapacity = this.wholeLimit = this.capacity;
  }

  protected override readHeader(final: boolean): boolean {
    if (!super.readHeader(final)) return false;
    // no key codes are kept (no measure runs on this load), though the index budget counts them as a
    // whole load's does, so that rows too short fail at the same row
    this.keys = null;
    return true;
  }

  protected override process(final: boolean): void {
    super.process(final);
    const sc = this.scanner;
    if (!sc || sc.pos === 0) return;
    // the records scanned are let go; the one the chunk cut moves to the front (scanned again from
    // its start, once: a record longer than the buffer stays in place and the scan goes on)
    const pos = sc.pos;
    this.validator?.release();
    this.buf.copyWithin(0, pos, this.length);
    this.length -= pos;
    this.base += pos;
    sc.pos = 0;
    this.rowBase = this.rowCount;
    this.live.base = this.base;
    this.live.rowBase = this.rowBase;
    this.rowLimit = Math.min(this.capacity, this.wholeLimit - this.rowBase);
  }

  /** Room for one more row: the vectors hold one chunk's rows, so they double when a chunk has more. */
  protected override makeRoom(row: number): void {
    if (row === this.wholeLimit) {
      const budget = this.budgetFor(row);
      if (row === this.wholeCapacity) this.wholeCapacity = this.grownFrom(this.wholeCapacity, budget, this.hint);
      this.wholeLimit = Math.min(this.wholeCapacity, budget);
    }
    if (row - this.rowBase === this.capacity) this.resize(this.capacity * 2);
    this.rowLimit = Math.min(this.capacity, this.wholeLimit - this.rowBase);
  }

  /**
   * Null, or a promise the load awaits before it reads on: the deep rules' thread has more than
   * DEEP_WAITING batches still to run (the text is let go, so each batch holds a copy of its rows).
   */
  override backlog(): Promise<void> | null {
    return this.deepChannel?.caughtUp?.(DEEP_WAITING) ?? null;
  }

  /** The count of rows, and none of them. */
  override table(): TableData {
    const t = super.table();
    return {
      ...t,
      ...oneSegment(new Uint8Array(0)),
      rowStarts: new Uint32Array(0),
      vectors: t.vectors.map(() => null),
    };
  }
}
