/**
 * Measure workers over exports the editor has open: one per loaded table, which it adopts (its
 * buffers are shared, nothing is copied) and merges once, so neither the merge nor a measure nor a
 * drill-down's rows run on the extension host's thread. Every source over the same table (a chart
 * panel, a measure command, another chart panel) shares the worker and asks it in turn; it is kept
 * for KEEP_MS after the last of them lets go, so the next chart of the same export starts warm. A
 * lease let go with `abandon` (the export editor that started the worker early closed) ends a worker
 * still merging at once, when no other lease holds it: the work nobody waits for is not finished.
 */
import type { TableData } from '../../core/load/table';
import { MeasureSession, type Answer, type OpenOutcome } from '../../worker/measureClient';

/** How long a worker nobody uses is kept for the next source over the same table. */
export const KEEP_MS = 60_000;

interface Adopted {
  readonly outcome: Promise<OpenOutcome>;
  /** Ends the worker while it adopts and merges. */
  readonly abort: AbortController;
  settled: boolean;
  users: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  queue: Promise<unknown>;
}

export interface AdoptedLease {
  /** The worker once it holds the merged rows (or why it could not start). */
  readonly outcome: Promise<OpenOutcome>;
  /** The same object for every lease of the same worker (what is worked out from it can be kept by it). */
  readonly identity: object;
  /** Runs `f` on the worker once the requests before it (from any lease) are answered. */
  inTurn<T>(f: (s: MeasureSession) => Promise<Answer<T>>): Promise<Answer<T>>;
  /**
   * Lets the worker go: it ends KEEP_MS after the last lease does, or at once when `abandon` is
   * set, it has not finished merging and no other lease holds it.
   */
  release(abandon?: boolean): void;
}

const pool = new WeakMap<TableData, Adopted>();

/** The template version the table was read as. */
type Version = Parameters<typeof MeasureSession.adopt>[2];

/** A lease on the measure worker over `table`, started when there is none. */
export function adoptTable(table: TableData, file: string, version: Version, workerPath: string): AdoptedLease {
  let a = pool.get(table);
  if (!a) {
    const abort = new AbortController();
    const outcome = MeasureSession.adopt(table, file, version, { workerPath, signal: abort.signal });
    const entry: Adopted = (a = { outcome, abort, settled: false, users: 0, timer: undefined, queue: outcome });
    pool.set(table, entry);
    // a worker that could not start (or was abandoned) is not kept: the next source tries again
    void outcome.then((o) => {
      entry.settled = true;
      if (!o.ok && pool.get(table) === entry) pool.delete(table);
    });
  }
  const entry = a;
  entry.users++;
  clearTimeout(entry.timer);
  let released = false;
  return {
    outcome: entry.outcome,
    identity: entry,
    inTurn<T>(f: (s: MeasureSession) => Promise<Answer<T>>): Promise<Answer<T>> {
      const run = async (): Promise<Answer<T>> => {
        const o = await entry.outcome;
        return o.ok ? f(o.session) : { ok: false, message: o.error.message, kind: 'data' };
      };
      const next = entry.queue.then(run, run);
      entry.queue = next.catch(() => {});
      return next;
    },
    release(abandon = false) {
      if (released) return;
      released = true;
      if (--entry.users > 0) return;
      if (abandon && !entry.settled) {
        if (pool.get(table) === entry) pool.delete(table);
        entry.abort.abort();
        return;
      }
      entry.timer = setTimeout(() => {
        if (entry.users > 0) return;
        if (pool.get(table) === entry) pool.delete(table);
        void entry.outcome.then((o) => o.ok && o.session.close());
      }, KEEP_MS);
      entry.timer.unref?.();
    },
  };
}
