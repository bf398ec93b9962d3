/**
 * Loads an export in a worker thread: the caller's event loop stays free, progress arrives as
 * events, and an AbortSignal ends the work at once (the worker is terminated).
 */
import { Worker } from 'node:worker_threads';
import type { FirstRows, LoadOutcome, LoadProgress } from '../core/load/load';
import type { LoadRequest, WorkerMessage } from '../protocol/loadWorker';

export interface WorkerLoadOptions extends Omit<LoadRequest, 'type' | 'file'> {
  /** Path of the bundled worker script (dist/worker.js). */
  workerPath: string;
  onProgress?: (p: LoadProgress) => void;
  /** The first rows, shared with the worker that goes on loading the rest. */
  onFirstRows?: (first: FirstRows) => void;
  signal?: AbortSignal;
}

export function loadInWorker(file: string, options: WorkerLoadOptions): Promise<LoadOutcome> {
  const { workerPath, onProgress, onFirstRows, signal, ...rest } = options;
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
      else if (m.type === 'first') onFirstRows?.(m.first);
      else if (m.type === 'done') settle({ ok: true, value: m.value });
      else settle({ ok: false, error: m.error });
    });
    worker.on('error', (e) =>
      settle({ ok: false, error: { code: 'io', message: `The loader stopped: ${e.message}` } }),
    );
    worker.on('exit', (code) =>
      settle({ ok: false, error: { code: 'io', message: `The loader exited early (code ${code})` } }),
    );
    const request: LoadRequest = { type: 'load', file, ...rest };
    worker.postMessage(request);
  });
}
