/**
 * The extension host's side of the view thread (viewWorker.ts): one long-lived worker per loaded
 * table, asked for row orders and value counts; it keeps its caches between questions.
 */
import { Worker } from 'node:worker_threads';
import type { TableData } from '../core/load/table';
import type { ViewResult, ViewSpec } from '../core/view/view';
import type { ColumnSummary } from '../core/view/summary';
import { connect, portEndpoint, type Client, type Result, type Signal } from '../protocol/channel';
import { viewLink, type ValuesResult, type ViewLink } from '../protocol/viewWorker';

export type { ValuesResult } from '../protocol/viewWorker';

export class ViewThread {
  private worker: Worker | null = null;
  private link: Client<ViewLink> | null = null;
  /** Summaries asked with a progress callback, by their token. */
  private readonly progress = new Map<number, (done: number, total: number) => void>();
  private tokens = 0;

  constructor(
    private readonly table: TableData,
    private readonly workerPath: string,
  ) {}

  private start(): Client<ViewLink> {
    if (this.link) return this.link;
    const w = new Worker(this.workerPath, { workerData: this.table });
    const link = connect(viewLink, portEndpoint(w), (e) => this.progress.get(e.token)?.(e.done, e.total));
    const fail = (message: string) => {
      if (this.link === link) {
        this.worker = null;
        this.link = null;
      }
      link.close(message);
    };
    w.on('error', (e) => fail(e.message));
    w.on('exit', (code) => fail(`The view thread exited (code ${code})`));
    w.unref();
    this.worker = w;
    this.link = link;
    return link;
  }

  /** The reply, or a rejection with why there is none (the thread stopped). */
  private static value<T>(r: Result<T>): T {
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  }

  async view(spec: ViewSpec, rows?: Uint32Array): Promise<ViewResult> {
    const r = await this.start().request('view', { spec: { ...spec, filters: [...spec.filters] }, rows });
    return ViewThread.value(r);
  }

  /**
   * A column's summary over the rows of `spec`; aborting `signal` stops it in the thread too. Null when
   * cancelled. `progress` hears how many of the rows in view it has looked at.
   */
  async summary(
    column: number,
    spec: ViewSpec,
    signal?: Signal,
    rows?: Uint32Array,
    progress?: (done: number, total: number) => void,
  ): Promise<ColumnSummary | null> {
    const token = progress ? ++this.tokens : undefined;
    if (token !== undefined) this.progress.set(token, progress!);
    try {
      const r = await this.start().request(
        'summary',
        { column, spec: { ...spec, filters: [...spec.filters] }, rows, token },
        { signal },
      );
      if (!r.ok && r.error.code === 'cancelled') return null;
      return ViewThread.value(r);
    } finally {
      if (token !== undefined) this.progress.delete(token);
    }
  }

  async values(column: number): Promise<ValuesResult> {
    return ViewThread.value(await this.start().request('values', { column }));
  }

  dispose(): void {
    const w = this.worker;
    this.link?.close('The view thread was disposed');
    this.worker = null;
    this.link = null;
    void w?.terminate();
  }
}
