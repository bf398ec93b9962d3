/**
 * The extension host's side of the view thread (viewWorker.ts): one long-lived worker per loaded
 * table, asked for row orders and value counts; it keeps its caches between questions.
 */
import { Worker } from 'node:worker_threads';
import type { TableData } from '../core/load/table';
import type { ValueCount, ViewResult, ViewSpec } from '../core/view/view';

type Question = { type: 'view'; spec: ViewSpec } | { type: 'values'; column: number };
export type ViewRequest = Question & { id: number };
export type ValuesResult = { values: ValueCount[]; distinct: number } | null;
export type ViewReply =
  { id: number; type: 'view'; result: ViewResult } | { id: number; type: 'values'; result: ValuesResult };

export class ViewThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: ViewReply) => void; reject: (e: Error) => void }>();

  constructor(
    private readonly table: TableData,
    private readonly workerPath: string,
  ) {}

  private start(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(this.workerPath, { workerData: this.table });
    w.on('message', (r: ViewReply) => {
      const p = this.pending.get(r.id);
      this.pending.delete(r.id);
      p?.resolve(r);
    });
    const fail = (e: Error) => {
      this.worker = null;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`The view thread exited (code ${code})`)));
    w.unref();
    this.worker = w;
    return w;
  }

  private ask(m: Question): Promise<ViewReply> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...m, id });
    });
  }

  async view(spec: ViewSpec): Promise<ViewResult> {
    const r = await this.ask({ type: 'view', spec });
    return (r as Extract<ViewReply, { type: 'view' }>).result;
  }

  async values(column: number): Promise<ValuesResult> {
    const r = await this.ask({ type: 'values', column });
    return (r as Extract<ViewReply, { type: 'values' }>).result;
  }

  dispose(): void {
    const w = this.worker;
    this.worker = null;
    void w?.terminate();
  }
}
