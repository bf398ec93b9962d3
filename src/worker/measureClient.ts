/**
 * A session with the measure worker: open files once (loaded and merged there), then ask for
 * measures and attribute keys/values, then close. An AbortSignal ends the worker at once; whatever
 * was pending then resolves as cancelled.
 */
import { Worker } from 'node:worker_threads';
import type { LoadError } from '../core/errors';
import type { MeasureRequest, MeasureResult } from '../core/measures';
import type { TableData } from '../core/load/table';
import type { VersionId } from '../core/catalog/templates';
import type { DeliveryInput, DeliveryProgress } from '../node/deliveries';
import type { MeasureWorkerReply, MeasureWorkerRequest, OpenedInfo } from '../protocol/measureWorker';

export interface SessionOptions {
  /** Path of the bundled worker script (dist/measureWorker.js). */
  workerPath: string;
  maxBytes?: number;
  /** Only these columns are needed (see core/measures/engine/needs.ts). */
  columns?: readonly string[];
  onProgress?: (p: DeliveryProgress) => void;
  signal?: AbortSignal;
}

/** A failed answer: a request that does not fit, data that cannot answer, or cancelled. */
export type Answer<T> = { ok: true; value: T } | { ok: false; message: string; kind: 'request' | 'data' | 'cancelled' };

export type OpenOutcome =
  { ok: true; session: MeasureSession; info: OpenedInfo } | { ok: false; file: string | null; error: LoadError };

const CANCELLED = 'Cancelled';

export class MeasureSession {
  private pending: ((m: MeasureWorkerReply | null) => void) | null = null;
  private ended = false;
  /** Why the worker stopped on its own, if it did. */
  private failure: string | null = null;

  private constructor(
    private readonly worker: Worker,
    private readonly options: SessionOptions,
  ) {
    worker.on('message', (m: MeasureWorkerReply) => {
      if (m.type === 'progress') this.options.onProgress?.(m.progress);
      else this.settle(m);
    });
    worker.on('error', (e) => {
      this.failure = e.message;
      this.end();
    });
    worker.on('exit', (code) => {
      if (!this.ended && code !== 0) this.failure ??= `The measure worker exited early (code ${code})`;
      this.end();
    });
    options.signal?.addEventListener('abort', () => this.close());
  }

  /** Starts a worker and loads the files in it. */
  static async open(files: readonly DeliveryInput[], options: SessionOptions): Promise<OpenOutcome> {
    if (options.signal?.aborted)
      return { ok: false, file: null, error: { code: 'cancelled', message: 'Loading was cancelled' } };
    const session = new MeasureSession(new Worker(options.workerPath), options);
    const m = await session.ask({
      type: 'open',
      files: files.map((f) => (typeof f === 'string' ? f : { path: f.path, parts: [...f.parts] })),
      maxBytes: options.maxBytes,
      columns: options.columns ? [...options.columns] : undefined,
    });
    if (m?.type === 'opened') return { ok: true, session, info: m.info };
    session.close();
    if (m?.type === 'failed') return { ok: false, file: m.file, error: m.error };
    if (m === null && session.failure)
      return {
        ok: false,
        file: null,
        error: { code: 'io', message: `The measure worker stopped: ${session.failure}` },
      };
    if (m === null) return { ok: false, file: null, error: { code: 'cancelled', message: 'Loading was cancelled' } };
    return {
      ok: false,
      file: null,
      error: { code: 'io', message: m.type === 'error' ? m.message : 'The measure worker stopped' },
    };
  }

  /** Starts a worker over a table this thread already holds (shared memory: nothing is copied). */
  static async adopt(
    table: TableData,
    file: string,
    version: VersionId,
    options: Omit<SessionOptions, 'maxBytes' | 'onProgress'>,
  ): Promise<OpenOutcome> {
    const session = new MeasureSession(new Worker(options.workerPath), options);
    const m = await session.ask({ type: 'adopt', table, file, version });
    if (m?.type === 'opened') return { ok: true, session, info: m.info };
    session.close();
    return {
      ok: false,
      file,
      error: {
        code: m === null ? 'cancelled' : 'io',
        message: m?.type === 'error' ? m.message : 'The measure worker stopped',
      },
    };
  }

  private ask(req: MeasureWorkerRequest): Promise<MeasureWorkerReply | null> {
    if (this.ended) return Promise.resolve(null);
    if (this.pending) throw new Error('one request at a time');
    return new Promise((resolve) => {
      this.pending = resolve;
      this.worker.postMessage(req);
    });
  }

  private settle(m: MeasureWorkerReply | null): void {
    const p = this.pending;
    this.pending = null;
    p?.(m);
  }

  private async answer<T>(
    req: MeasureWorkerRequest,
    pick: (m: MeasureWorkerReply) => T | undefined,
  ): Promise<Answer<T>> {
    const m = await this.ask(req);
    if (m === null)
      return this.failure
        ? { ok: false, message: `The measure worker stopped: ${this.failure}`, kind: 'data' }
        : { ok: false, message: CANCELLED, kind: 'cancelled' };
    if (m.type === 'error') return { ok: false, message: m.message, kind: m.kind };
    const v = pick(m);
    return v === undefined
      ? { ok: false, message: `Unexpected answer ${m.type}`, kind: 'data' }
      : { ok: true, value: v };
  }

  measure(name: string, request: MeasureRequest): Promise<Answer<MeasureResult>> {
    return this.answer({ type: 'measure', name, request }, (m) => (m.type === 'result' ? m.result : undefined));
  }

  keys(): Promise<Answer<{ key: string; rows: number }[]>> {
    return this.answer({ type: 'keys' }, (m) => (m.type === 'keys' ? m.keys : undefined));
  }

  values(key: string): Promise<Answer<{ value: string; rows: number }[]>> {
    return this.answer({ type: 'values', key }, (m) => (m.type === 'values' ? m.values : undefined));
  }

  private end(): void {
    this.ended = true;
    this.settle(null);
  }

  /** Ends the worker (and frees what it loaded). */
  close(): void {
    if (this.ended) return;
    this.end();
    void this.worker.terminate();
  }
}
