/**
 * Loads an export in a worker thread: the caller's event loop stays free, progress arrives as
 * events, and an AbortSignal ends the work at once (the worker is terminated).
 */
import { Worker } from 'node:worker_threads';
import type { FirstRows, LoadOutcome, LoadProgress } from '../core/load/load';
import { connect, portEndpoint } from '../protocol/channel';
import { loadLink, type LoadRequest } from '../protocol/loadWorker';

export interface WorkerLoadOptions extends Omit<LoadRequest, 'file'> {
  /** Path of the bundled worker script (dist/worker.js). */
  workerPath: string;
  onProgress?: (p: LoadProgress) => void;
  /** The first rows, shared with the worker that goes on loading the rest. */
  onFirstRows?: (first: FirstRows) => void;
  signal?: AbortSignal;
}

const CANCELLED: LoadOutcome = { ok: false, error: { code: 'cancelled', message: 'Loading was cancelled' } };

export async function loadInWorker(file: string, options: WorkerLoadOptions): Promise<LoadOutcome> {
  const { workerPath, onProgress, onFirstRows, signal, ...rest } = options;
  if (signal?.aborted) return CANCELLED;
  const worker = new Worker(workerPath);
  const link = connect(loadLink, portEndpoint(worker), (m) => {
    if (m.type === 'progress') onProgress?.(m.progress);
    else onFirstRows?.(m.first);
  });
  // the worker gone before its reply: the request resolves as 'closed' with why
  worker.on('error', (e) => link.close(`The loader stopped: ${e.message}`));
  worker.on('exit', (code) => link.close(`The loader exited early (code ${code})`));
  const r = await link.request('load', { file, ...rest }, { signal });
  link.close();
  void worker.terminate();
  if (r.ok) return r.value;
  switch (r.error.code) {
    case 'cancelled':
      return CANCELLED;
    case 'invalid':
      return { ok: false, error: { code: 'bad-option', message: r.error.message } };
    default:
      return { ok: false, error: { code: 'io', message: r.error.message } };
  }
}
