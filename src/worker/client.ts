/**
 * Loads an export in a worker thread: the caller's event loop stays free, progress arrives as
 * events, and an AbortSignal ends the work at once (the worker is terminated).
 */
import { Worker } from 'node:worker_threads';
import type { LoadOutcome, LoadProgress } from '../core/load';
import type { TableData } from '../core/table';
import type { LoadRequest, WorkerMessage } from './protocol';

export interface WorkerLoadOptions extends Omit<LoadRequest, 'type' | 'file'> {
  /** Path of the bundled worker script (dist/worker.js). */
  workerPath: string;
  onProgress?: (p: LoadProgress) => void;
  signal?: AbortSignal;
}

export function loadInWorker(file: string, options: WorkerLoadOptions): Promise<LoadOutcome> {
  const { workerPath, onProgress, signal, ...rest } = options;
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve({ ok: false, error: { code: 'cancelled', message: 'Loading was cancelled' } });
      return;
    }
    const worker = new Worker(workerPath);
    let settled = false;
    const settle = (o: LoadOutcome) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      resolve(o);
    };
    const onAbort = () => settle({ ok: false, error: { code: 'cancelled', message: 'Loading was cancelled' } });
    signal?.addEventListener('abort', onAbort);
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') onProgress?.(m.progress);
      else if (m.type === 'done') settle({ ok: true, value: m.value });
      else settle({ ok: false, error: m.error });
    });
    worker.on('error', (e) => settle({ ok: false, error: { code: 'io', message: `The loader stopped: ${e.message}` } }));
    worker.on('exit', (code) => settle({ ok: false, error: { code: 'io', message: `The loader exited early (code ${code})` } }));
    const request: LoadRequest = { type: 'load', file, ...rest };
    worker.postMessage(request);
  });
}

/** A row order by one column, computed in a short-lived worker thread over the shared table. */
export function sortInWorker(table: TableData, column: number, descending: boolean, workerPath: string): Promise<Uint32Array> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerPath);
    worker.once('message', (order: Uint32Array) => {
      void worker.terminate();
      resolve(order);
    });
    worker.once('error', reject);
    worker.postMessage({ table, column, descending });
  });
}
