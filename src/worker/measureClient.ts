/**
 * A session with the measure worker: open files once (loaded and merged there), then ask for
 * measures and attribute keys/values, then close. An AbortSignal ends the worker at once; whatever
 * was pending then resolves as cancelled.
 */
import { Worker } from 'node:worker_threads';
import type { LoadError } from '../core/errors';
import type { MeasureName, MeasureRequest, MeasureResult } from '../core/measures';
import type { PointRef } from '../core/measures/rowSets';
import type { TableData } from '../core/load/table';
import type { TemplateId } from '../core/catalog/templates';
import type { DeliveryInput, DeliveryProgress } from '../node/deliveries';
import {
  connect,
  portEndpoint,
  type AskOf,
  type Client,
  type Failure,
  type RequestName,
  type Result,
} from '../protocol/channel';
import { measureLink, type MeasureLink, type OpenedInfo } from '../protocol/measureWorker';

export type { OpenedInfo } from '../protocol/measureWorker';

/** The rows behind one value, per file. */
export interface RowsReply {
  readonly label: string;
  readonly count: number;
  readonly counted: number;
  readonly files: { file: string; rows: Uint32Array }[];
  /** The worker's own time finding them. */
  readonly ms?: number;
}

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
const LOAD_CANCELLED: LoadError = { code: 'cancelled', message: 'Loading was cancelled' };

export class MeasureSession {
  private readonly link: Client<MeasureLink>;
  private ended = false;
  /** Why the worker stopped on its own, if it did. */
  private failure: string | null = null;

  private constructor(
    private readonly worker: Worker,
    options: SessionOptions,
  ) {
    this.link = connect(measureLink, portEndpoint(worker), (m) => options.onProgress?.(m.progress));
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

  /** Why a request failed, as a load error (opening files). */
  private loadError(e: Failure): LoadError {
    if (e.code === 'closed' && this.failure)
      return { code: 'io', message: `The measure worker stopped: ${this.failure}` };
    if (e.code === 'closed' || e.code === 'cancelled') return LOAD_CANCELLED;
    return { code: 'io', message: e.message };
  }

  /** Starts a worker and loads the files in it. */
  static async open(files: readonly DeliveryInput[], options: SessionOptions): Promise<OpenOutcome> {
    if (options.signal?.aborted) return { ok: false, file: null, error: LOAD_CANCELLED };
    const session = new MeasureSession(new Worker(options.workerPath), options);
    const r = await session.ask('open', {
      files: files.map((f) => (typeof f === 'string' ? f : { path: f.path, parts: [...f.parts] })),
      maxBytes: options.maxBytes,
      columns: options.columns ? [...options.columns] : undefined,
    });
    const opened = r.ok ? r.value : null;
    if (opened?.ok) return { ok: true, session, info: opened.info };
    session.close();
    if (opened) return { ok: false, file: opened.file, error: opened.error };
    return { ok: false, file: null, error: r.ok ? LOAD_CANCELLED : session.loadError(r.error) };
  }

  /** Starts a worker over a table this thread already holds (shared memory: nothing is copied). */
  static async adopt(
    table: TableData,
    file: string,
    version: TemplateId,
    options: Omit<SessionOptions, 'maxBytes' | 'onProgress'>,
  ): Promise<OpenOutcome> {
    const session = new MeasureSession(new Worker(options.workerPath), options);
    const r = await session.ask('adopt', { table, file, version });
    if (r.ok) return { ok: true, session, info: r.value };
    session.close();
    return {
      ok: false,
      file,
      error: {
        code: r.error.code === 'closed' || r.error.code === 'cancelled' ? 'cancelled' : 'io',
        message: r.error.code === 'closed' ? 'The measure worker stopped' : r.error.message,
      },
    };
  }

  /** One request at a time: the worker answers them in turn, and the session's callers wait for each. */
  private ask<K extends RequestName<MeasureLink>>(name: K, ask: AskOf<MeasureLink, K>) {
    if (this.link.waiting > 0) throw new Error('one request at a time');
    return this.link.request(name, ask);
  }

  private static answer<T>(session: MeasureSession, r: Result<T>): Answer<T> {
    if (r.ok) return { ok: true, value: r.value };
    const { code, message } = r.error;
    if (code === 'closed' || code === 'cancelled')
      return session.failure
        ? { ok: false, message: `The measure worker stopped: ${session.failure}`, kind: 'data' }
        : { ok: false, message: CANCELLED, kind: 'cancelled' };
    return { ok: false, message, kind: code === 'request' || code === 'invalid' ? 'request' : 'data' };
  }

  async measure(name: MeasureName, request: MeasureRequest): Promise<Answer<MeasureResult>> {
    return MeasureSession.answer(this, await this.ask('measure', { name, request }));
  }

  async rows(name: MeasureName, request: MeasureRequest, point: PointRef): Promise<Answer<RowsReply>> {
    return MeasureSession.answer(this, await this.ask('rows', { name, request, point }));
  }

  async keys(): Promise<Answer<{ key: string; rows: number }[]>> {
    return MeasureSession.answer(this, await this.ask('keys', {}));
  }

  async values(key: string): Promise<Answer<{ value: string; rows: number }[]>> {
    return MeasureSession.answer(this, await this.ask('values', { key }));
  }

  private end(): void {
    this.ended = true;
    this.link.close(this.failure ?? CANCELLED);
  }

  /** Ends the worker (and frees what it loaded). */
  close(): void {
    if (this.ended) return;
    this.end();
    void this.worker.terminate();
  }
}
