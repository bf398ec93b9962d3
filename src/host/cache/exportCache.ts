/**
 * One load per file and template version, shared by reference count. The export editor, the
 * diagnostics, the text view, the status bar and the measure commands all get the loaded export of a
 * file through this cache:
 *
 *   const handle = cache.acquire(uri, 'auto');      // loads in a worker the first time
 *   const outcome = await handle.outcome;           // LoadOutcome: failures are values
 *   ...use outcome.value.table while holding the handle...
 *   handle.release();                               // the last release lets the export go
 *
 * Entries are keyed by URI + template choice ('auto' or v1..v7), because the template decides how the
 * columns are typed and validated. When the last handle of an entry is released, a load still running
 * is cancelled and the entry dropped; a finished load is kept for GRACE_MS more, so closing an editor
 * and opening the file again (or the next command on it) does not read the whole file again. A failed or cancelled load is not kept: the next acquire tries
 * again. `invalidate` (the file changed on disk) makes later acquires load afresh while current
 * holders keep what they have. `use` is acquire + release around one piece of work.
 * While a load runs, `handle.watch` shows its first rows and progress (the export editor paints them).
 *
 * Room src/host/cache: loaded exports per file and template, shared by reference count, with progress.
 * May import: src/core/catalog, src/core/load, src/worker, vscode.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LoadOutcome } from '../../core/load/load';
import type { VersionId } from '../../core/catalog/templates';
import { LoadThreads, loadInWorker, type Head, type HeadLog } from '../../worker/loadClient';
import { loadMaxBytes } from './loadLimit';
import { LoadWatch } from './loadWatch';

/** 'auto': detect the version from the header; otherwise the version to read the file as. */
export type TemplateChoice = 'auto' | VersionId;

export interface ExportHandle {
  readonly uri: vscode.Uri;
  readonly template: TemplateChoice;
  /** The same promise for every holder of the entry; never rejects. */
  readonly outcome: Promise<LoadOutcome>;
  /** The load while it runs (its first rows, how far it got); null once it has settled. */
  readonly watch: LoadWatch | null;
  /** Gives the handle back; a second call does nothing. */
  release(): void;
}

export interface AcquireOptions {
  /** Where a load started by this acquire shows its progress: the status bar, then a cancellable
   *  notification once it has run NOTIFY_AFTER_MS (default), or the status bar only, for background
   *  work such as diagnostics. A background holder ('window') also gets the outcome BACKGROUND_AFTER_MS
   *  after the others (see there). */
  progress?: 'notification' | 'window';
  /**
   * When this holder needs the load to be reading (default: at once). A load begins when the first
   * of its holders needs it, so holders that can wait pass a promise: the export editor until its
   * page shows the first rows it read on the spot (on a small machine a loading thread started at
   * once slows down VS Code showing that page), the diagnostics and the status bar along with it,
   * or `heldBack()` at most. Once a load has begun this changes nothing.
   */
  start?: Promise<void>;
}

export interface ExportCacheOptions {
  /** Problems the validator keeps per rule (counts stay exact); read when a load starts. */
  maxPerRule?: () => number;
  /** A small export the loading thread kept ready reads as it starts, to run warm (see LoadThreads). */
  warmFile?: string;
}

/** How long a load runs before its progress also shows as a cancellable notification. */
export const NOTIFY_AFTER_MS = 1000;

/**
 * How often a load's progress is shown (the editor's page, the status bar, the notification): each
 * showing costs the workbench frames to draw, which on a small machine without a GPU take CPU from
 * the load itself.
 */
export const PROGRESS_EVERY_MS = 400;

/** How long a load waits at most for a holder that can wait (see AcquireOptions.start). */
export const HOLD_MAX_MS = 3000;

/** A start for a holder that can wait: resolves after HOLD_MAX_MS, unless another holder needs the load before. */
export function heldBack(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, HOLD_MAX_MS).unref?.());
}

/**
 * How much later a background holder (progress 'window': the diagnostics, the measures kept warm) gets
 * a load's outcome than the others: what they do with it at once (the diagnostics' places in the text,
 * thousands of markers for the workbench) runs on this thread and the workbench's, and would hold up
 * the message that shows an editor the whole file (the extension host sends its messages on a timer,
 * after the work queued before it).
 */
export const BACKGROUND_AFTER_MS = 50;

/** How long a loaded export nobody holds is kept for the next acquire. */
export const GRACE_MS = 30_000;

interface Entry {
  readonly key: string;
  readonly outcome: Promise<LoadOutcome>;
  readonly abort: AbortController;
  /** When the entry was made (ms since epoch; its load begins then or a little later), to tell whether it read the file's current contents. */
  readonly started: number;
  watch: LoadWatch | null;
  refs: number;
  /** The load finished (successfully: failed ones are not kept). */
  done: boolean;
  /** Lets the load begin reading (it waits for the first holder that needs it). */
  readonly begin: () => void;
  /** Drops the entry once the grace after its last release is over. */
  drop: ReturnType<typeof setTimeout> | null;
}

export class ExportCache implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  /** A loading thread kept ready: files' first rows are read there, and the next load runs in it. */
  private readonly threads: LoadThreads;

  constructor(
    private readonly extensionPath: string,
    private readonly options: ExportCacheOptions = {},
  ) {
    this.threads = new LoadThreads(this.workerPath, options.warmFile);
    // now, not after activation: VS Code may ask for a document right after `activate` returns, and
    // the spare needs ~0.1 s to start and ~0.1 s more to warm (several times that on a busy machine),
    // which the rest of activation then overlaps; a head asked before it is warm is read here, in
    // steps, by code that ready() warms meanwhile
    void this.threads.ready();
  }

  private get workerPath(): string {
    return path.join(this.extensionPath, 'dist', 'worker.js');
  }

  /**
   * The first rows of a file on disk, read on the spot (in ~10 ms in the loading thread kept ready,
   * or here in short steps while it warms up) while its load has not begun, the first `texts` of them
   * also as text: what an editor paints first. Null when they cannot be read.
   */
  head(uri: vscode.Uri, template: TemplateChoice, texts = 0, log?: HeadLog): Promise<Head | null> {
    return this.threads.head(uri.fsPath, template, texts, log);
  }

  acquire(uri: vscode.Uri, template: TemplateChoice = 'auto', options: AcquireOptions = {}): ExportHandle {
    const key = `${template} ${uri.toString()}`;
    let entry = this.entries.get(key);
    if (!entry) {
      const abort = new AbortController();
      const watch = new LoadWatch();
      let begin!: () => void;
      const gate = new Promise<void>((resolve) => (begin = resolve));
      abort.signal.addEventListener('abort', begin);
      const created: Entry = {
        key,
        abort,
        watch,
        begin,
        refs: 0,
        done: false,
        drop: null,
        started: Date.now(),
        outcome: this.load(uri, template, abort.signal, options.progress ?? 'notification', watch, gate),
      };
      this.entries.set(key, created);
      void created.outcome.then((o) => {
        created.watch = null;
        created.done = o.ok;
        watch.dispose();
        if (!o.ok && this.entries.get(key) === created) this.entries.delete(key);
      });
      entry = created;
    }
    if (entry.drop) clearTimeout(entry.drop);
    entry.drop = null;
    entry.refs++;
    if (options.start) void options.start.then(entry.begin, entry.begin);
    else entry.begin();
    const held = entry;
    let released = false;
    // (an outcome already there when acquired holds up nothing: no wait)
    const wait = held.done ? 0 : BACKGROUND_AFTER_MS;
    const outcome =
      options.progress === 'window'
        ? held.outcome.then((o) => new Promise<LoadOutcome>((resolve) => setTimeout(() => resolve(o), wait)))
        : held.outcome;
    return {
      uri,
      template,
      outcome,
      get watch() {
        return held.watch;
      },
      release: () => {
        if (released) return;
        released = true;
        if (--held.refs > 0) return;
        if (held.done && this.entries.get(held.key) === held) {
          held.drop = setTimeout(() => this.drop(held), GRACE_MS);
          held.drop.unref?.();
        } else this.drop(held);
      },
    };
  }

  private drop(entry: Entry): void {
    if (entry.drop) clearTimeout(entry.drop);
    entry.drop = null;
    if (this.entries.get(entry.key) === entry) this.entries.delete(entry.key);
    entry.abort.abort();
  }

  /** Acquires, runs `work` with the outcome, and releases (also when `work` throws). */
  async use<T>(uri: vscode.Uri, template: TemplateChoice, work: (outcome: LoadOutcome) => T | Promise<T>): Promise<T> {
    const handle = this.acquire(uri, template);
    try {
      return await work(await handle.outcome);
    } finally {
      handle.release();
    }
  }

  /**
   * The file changed on disk: later acquires load it again, unless a load began after the change
   * (another holder already reloaded it); current handles keep their outcome.
   */
  invalidate(uri: vscode.Uri): void {
    let modified = Infinity;
    try {
      modified = fs.statSync(uri.fsPath).mtimeMs;
    } catch {
      // gone or unreadable: nothing loaded before is current
    }
    const suffix = ` ${uri.toString()}`;
    for (const [key, e] of [...this.entries]) {
      if (!key.endsWith(suffix) || e.started > modified) continue;
      this.entries.delete(key);
      if (e.refs === 0) this.drop(e);
    }
  }

  /** How many handles are out for a file (all templates), for tests and diagnostics of leaks. */
  holders(uri: vscode.Uri): number {
    const suffix = ` ${uri.toString()}`;
    let n = 0;
    for (const e of this.entries.values()) if (e.key.endsWith(suffix)) n += e.refs;
    return n;
  }

  private load(
    uri: vscode.Uri,
    template: TemplateChoice,
    signal: AbortSignal,
    where: 'notification' | 'window',
    watch: LoadWatch,
    gate: Promise<void>,
  ): Promise<LoadOutcome> {
    const name = path.basename(uri.fsPath);
    const title = `Loading ${name}${template === 'auto' ? '' : ` as ${template}`}`;
    const abort = new AbortController();
    signal.addEventListener('abort', () => abort.abort());
    /** How far the load got (percent of the compressed bytes) and its row count, for late viewers. */
    let latest = { pct: 0, message: '' };
    let shownAt = 0;
    const viewers = new Set<(pct: number, message: string) => void>();
    const outcome = gate.then(() =>
      loadInWorker(uri.fsPath, {
        workerPath: this.workerPath,
        worker: abort.signal.aborted ? undefined : this.threads.take(),
        signal: abort.signal,
        template,
        maxPerRule: this.options.maxPerRule?.(),
        maxBytes: loadMaxBytes(),
        // at the normal priority: the load begins once an editor's first rows are on screen, and a
        // lowered one (nice 10) took 2.2 times as long (79 s against 36 s) with another process busy
        // on the machine; VS Code's renderer, which wakes for short bursts, still gets its turns
        onFirstRows: (first) => watch.setFirst(first),
        onProgress: (p) => {
          const now = Date.now();
          if (now - shownAt < PROGRESS_EVERY_MS) return;
          shownAt = now;
          watch.setProgress(p);
          latest = {
            pct: p.compressedTotal ? (100 * p.compressedRead) / p.compressedTotal : 0,
            message: `${p.rows.toLocaleString('en-US')} rows`,
          };
          for (const v of viewers) v(latest.pct, latest.message);
        },
      }),
    );
    const follow = (progress: vscode.Progress<{ message?: string; increment?: number }>) => {
      let last = 0;
      const report = (pct: number, message: string) => {
        progress.report({ increment: pct - last, message });
        last = pct;
      };
      report(latest.pct, latest.message);
      viewers.add(report);
      return outcome;
    };
    // the status bar shows every load once it has begun (not while it waits for an editor's first
    // paint: its spinner would take the workbench's time then); a load that is still running
    // NOTIFY_AFTER_MS later also gets a notification with a Cancel button, so a small file never flashes one
    void gate.then(() => this.showProgress(title, where, follow, outcome, abort));
    return outcome;
  }

  private showProgress(
    title: string,
    where: 'notification' | 'window',
    follow: (progress: vscode.Progress<{ message?: string; increment?: number }>) => Promise<LoadOutcome>,
    outcome: Promise<LoadOutcome>,
    abort: AbortController,
  ): void {
    if (abort.signal.aborted) return;
    let notified = () => {};
    const moved = new Promise<void>((resolve) => (notified = resolve));
    // the status bar's item spins (a frame of the whole workbench 20 times a second, drawn by the CPU
    // where there is no GPU): once the notification shows the progress, the status bar lets it go
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title }, (progress) =>
      Promise.race([follow(progress), moved]),
    );
    if (where === 'notification') {
      const timer = setTimeout(() => {
        void vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title, cancellable: true },
          (progress, token) => {
            token.onCancellationRequested(() => abort.abort());
            notified();
            return follow(progress);
          },
        );
      }, NOTIFY_AFTER_MS);
      const stop = () => clearTimeout(timer);
      outcome.then(stop, stop);
    }
  }

  dispose(): void {
    for (const e of [...this.entries.values()]) this.drop(e);
    this.entries.clear();
    this.threads.dispose();
  }
}
