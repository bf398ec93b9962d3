/**
 * Loads an export in a worker thread: the caller's event loop stays free, progress arrives as
 * events, and an AbortSignal ends the work at once (the worker is terminated). LoadThreads keeps one
 * loading thread started and warm ahead of need: once warm it reads files' first rows on the spot for
 * the editor, and the next load runs in it.
 */
import { Worker } from 'node:worker_threads';
import type { FirstRows, LoadOutcome, LoadProgress } from '../core/load/load';

export type { Head } from '../protocol/loadWorker';
import { connect, portEndpoint } from '../protocol/channel';
import { loadLink, type Head, type LoadRequest } from '../protocol/loadWorker';
import { readHeadSteps, type StepLog } from '../node/headSteps';

/** Where a head was read (the spare thread, or here in steps) and, here, how its steps went. */
export interface HeadLog extends StepLog {
  where: 'thread' | 'here' | '';
}

export interface WorkerLoadOptions extends Omit<LoadRequest, 'file'> {
  /** Path of the bundled worker script (dist/worker.js). */
  workerPath: string;
  /** A thread started before (LoadThreads.take), to load in instead of a new one. */
  worker?: Worker;
  onProgress?: (p: LoadProgress) => void;
  /** The first rows, shared with the worker that goes on loading the rest. */
  onFirstRows?: (first: FirstRows) => void;
  signal?: AbortSignal;
}

const CANCELLED: LoadOutcome = { ok: false, error: { code: 'cancelled', message: 'Loading was cancelled' } };

export async function loadInWorker(file: string, options: WorkerLoadOptions): Promise<LoadOutcome> {
  const { workerPath, onProgress, onFirstRows, signal, worker: ready, ...rest } = options;
  if (signal?.aborted) {
    void ready?.terminate();
    return CANCELLED;
  }
  const worker = ready ?? new Worker(workerPath);
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

/** How long after its predecessor was taken for a load a new spare thread starts: not in the middle of an open. */
export const SPARE_DELAY_MS = 1000;
/** The first rows a page shows, as text: what warming reads on this thread cut (the editor's first window). */
const HEAD_TEXTS = 100;
/** How often the spare reads the warming file before it counts as ready (the second read runs code the first compiled). */
const WARM_READS = 2;

interface Spare {
  readonly worker: Worker;
  readonly link: ReturnType<typeof connectLoad>;
  /** It has read the warming file: its code is warm. */
  warm: boolean;
  /** A head was asked for: no more warming reads ahead of the next one. */
  asked: boolean;
  readonly lost: () => void;
  /** Settles once it is warm (true), or could not be warmed (false). */
  warmed: Promise<boolean>;
}

/**
 * One loading thread kept ready: started a moment after it is first wanted and warmed on a small
 * file, it answers `head` requests once warm (a file's first rows, read in ~10 ms there instead of
 * tens of milliseconds of cold code on the asking thread, which reads them in short steps until
 * then), and the next load takes it (a new one is started SPARE_DELAY_MS later).
 */
export class LoadThreads {
  private spare: Spare | null = null;
  /** The head read on this thread, warmed on the warming file (see ready). */
  private warmedHere: Promise<unknown> | null = null;
  /** A real head was asked for: warming reads still running stop (they would only take its turns). */
  private headAsked = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;

  constructor(
    private readonly workerPath: string,
    /** A small export the thread reads before it counts as ready (the extension's sample). */
    private readonly warmFile?: string,
  ) {}

  /** Starts the spare thread after `delay` ms, unless it is there or on its way. */
  prepare(delay = SPARE_DELAY_MS): void {
    if (this.spare || this.timer || this.disposed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.start();
    }, delay);
    this.timer.unref?.();
  }

  private start(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.disposed || this.spare) return;
    const worker = new Worker(this.workerPath);
    // an idle spare does not keep a process alive
    worker.unref();
    const link = connectLoad(worker);
    const spare: Spare = {
      worker,
      link,
      warm: false,
      asked: false,
      lost: () => this.lose(spare),
      warmed: Promise.resolve(false),
    };
    spare.warmed = this.warm(link, () => spare.asked).then((ok) => (spare.warm = ok));
    worker.on('error', spare.lost);
    worker.on('exit', spare.lost);
    this.spare = spare;
  }

  /** Reads the warming file, one read at a time, until done or a real head is asked for. */
  private async warm(link: Spare['link'], asked: () => boolean): Promise<boolean> {
    for (let i = 0; this.warmFile && i < WARM_READS && !asked(); i++) {
      const r = await link.request('head', { file: this.warmFile, template: 'auto' });
      if (!r.ok) return false;
    }
    return true;
  }

  /**
   * Starts the spare thread now unless it is there, and warms the code of a head read on this thread
   * (one read of the warming file, in steps: cold, the same read of an open's head takes several
   * times as long; it stops when a real head is asked for first); resolves once the thread is warm
   * (false: it could not be).
   */
  ready(): Promise<boolean> {
    this.start();
    if (!this.warmedHere && this.warmFile)
      this.warmedHere = readHeadSteps(
        this.warmFile,
        'auto',
        HEAD_TEXTS,
        () => this.disposed || this.headAsked,
        undefined,
        HEAD_TEXTS,
      );
    return this.spare?.warmed ?? Promise.resolve(false);
  }

  private lose(spare: Spare): void {
    spare.link.close('The loading thread stopped');
    if (this.spare === spare) this.spare = null;
  }

  /**
   * The first rows of `file`, the first `texts` of them also as text: read in the spare thread once it
   * is warm (~10 ms there); while it is still starting or warming (an open right after activation: a
   * few hundred milliseconds more on a busy machine), read on this thread in steps of a few
   * milliseconds (src/node/headSteps.ts), which never block it. Null when unreadable. `log`, when
   * given, says where the rows were read and how the steps went (the UI bench).
   */
  async head(file: string, template: string, texts = 0, log?: HeadLog): Promise<Head | null> {
    if (this.disposed) return null;
    this.headAsked = true;
    const spare = this.spare;
    const here = () => {
      if (log) log.where = 'here';
      // no more rows than the texts asked for (the load's own first rows follow): fewer steps
      return readHeadSteps(file, template, texts, () => this.disposed, log, texts || undefined);
    };
    if (!spare?.warm) {
      // a spare still warming stops after the read it is at: the open needs the cores now
      if (spare) spare.asked = true;
      this.prepare(0);
      return here();
    }
    spare.asked = true;
    if (log) log.where = 'thread';
    const r = await spare.link.request('head', { file, template, texts });
    return r.ok ? r.value : here();
  }

  /** The spare thread for a load to run in (or undefined: the load starts its own); the next is prepared. */
  take(): Worker | undefined {
    const spare = this.spare;
    if (!spare) return undefined;
    this.spare = null;
    spare.link.close('Taken for a load');
    // (only ours: the Worker's own listeners start and stop its port)
    spare.worker.off('error', spare.lost);
    spare.worker.off('exit', spare.lost);
    spare.worker.ref();
    this.prepare();
    return spare.worker;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const spare = this.spare;
    this.spare = null;
    spare?.link.close('Disposed');
    void spare?.worker.terminate();
  }
}

function connectLoad(worker: Worker) {
  return connect(loadLink, portEndpoint(worker));
}
