/**
 * An open export: its load (shared through the cache), the table the editors read (the first rows
 * while the rest loads, then all of it), the views computed over it in a thread of their own, and
 * a watch on the file. When the file changes on disk the user is offered a reload; when the file's
 * template choice changes it is read again as that version (setTemplate). Either way the current
 * contents stay until the new load has finished, and the editors are then re-typed.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HeaderInfo } from '../../core/load/builder';
import type { Loaded, LoadOutcome } from '../../core/load/load';
import { ExportTable } from '../../core/load/table';
import type { RowSetRef, ViewResult, ViewSpec } from '../../core/view/view';
import type { ColumnSummary } from '../../core/view/summary';
import type { Signal } from '../../protocol/channel';
import { ViewThread, type ValuesResult } from '../../worker/viewClient';
import type { Head } from '../../worker/loadClient';
import type { ExportCache, ExportHandle, TemplateChoice } from '../cache/exportCache';
import type { TemplateChoices } from '../templates/templateChoice';
import type { OpenMarks } from './benchMarks';

const KEPT_VIEWS = 3;
/** How long the page waits for the file's first rows read on the spot (~10 ms in a warm thread, tens of ms in steps on the host). Later ones are shown when they come. */
const HEAD_WAIT_MS = 100;

/** Settles when `p` does, or after `ms` at most. */
function within(p: Promise<void>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
const KEPT_ROW_SETS = 8;
let rowSetIds = 0;

export class ExportDocument implements vscode.CustomDocument {
  private readonly changed = new vscode.EventEmitter<'loading' | 'first' | 'progress' | 'done'>();
  private watcher: vscode.FileSystemWatcher | null = null;
  private disposed = false;
  private readonly choices: vscode.Disposable;
  private asking = false;
  private views = new Map<string, Promise<ViewResult>>();
  private thread: ViewThread | null = null;
  private watchSubscription: vscode.Disposable | null = null;
  /** Bumped by every swap to another handle: a newer swap wins. */
  private swaps = 0;
  /** Bumped whenever the contents are replaced: answers for an older table are dropped. */
  generation = 0;
  /** The complete load, once it is there. */
  loaded: Loaded | null = null;
  /** What the editors read: the first rows while loading, then the whole table. */
  table: ExportTable | null = null;
  info: HeaderInfo | null = null;
  error: string | null = null;
  loading = true;
  progress = { fraction: 0, rows: 0 };
  /** When VS Code asked for the document and when its first rows came in, if the UI bench asks (the provider sets them). */
  marks: OpenMarks | null = null;
  /** The first rows of `table` as text, as the read on the spot gave them. */
  firstTexts: { readonly table: ExportTable; readonly rows: (string | null)[][] } | null = null;
  /** Settles once the first rows read on the spot are in `table` (or are not coming, or are late: HEAD_WAIT_MS). */
  readonly early: Promise<void>;
  /** Disposed with the document (what others attach to its lifetime, such as diagnostics). */
  readonly owned: vscode.Disposable[] = [];
  /** Fires on every step of the first load (started, first rows in, progress, settled) and after a swap. */
  readonly onDidChange = this.changed.event;

  constructor(
    readonly uri: vscode.Uri,
    private handle: ExportHandle,
    private readonly cache: ExportCache,
    private readonly viewWorker: string,
    templates: TemplateChoices,
    /** The file's first rows, read on the spot while the load starts up (see node/head.ts, node/headSteps.ts). */
    head: Promise<Head | null> | null = null,
    /** Lets a load held back for the first paint start (see ExportEditorProvider.openCustomDocument). */
    readonly shown: () => void = () => {},
    /** When the load begins: the watch on the file starts then (not during the open, which it would slow down). */
    begun: Promise<void> = Promise.resolve(),
  ) {
    const rows = (head ?? Promise.resolve(null)).then((h) => {
      // unless the load got there first
      if (!h || this.table || !this.loading) return;
      this.table = new ExportTable(h.first.table);
      this.info = h.first.info;
      if (h.texts.length) this.firstTexts = { table: this.table, rows: h.texts };
      this.marks?.first();
      // a page set without them (they came late) shows them now
      this.changed.fire('first');
    });
    this.early = within(rows, HEAD_WAIT_MS);
    void this.follow(handle);
    this.choices = templates.onDidChange((changed) => {
      if (!changed || changed.toString() === uri.toString()) void this.setTemplate(templates.choice(uri));
    });
    void begun.then(() => this.watch());
  }

  /** Offers a reload when the file changes on disk, says so when it is deleted. */
  private watch(): void {
    if (this.disposed) return;
    const uri = this.uri;
    const folder = vscode.Uri.file(path.dirname(uri.fsPath));
    const watcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(folder, path.basename(uri.fsPath)),
    );
    watcher.onDidChange(() => void this.offerReload('changed on disk'));
    watcher.onDidCreate(() => void this.offerReload('was replaced on disk'));
    watcher.onDidDelete(
      () =>
        void vscode.window.showWarningMessage(
          `${path.basename(uri.fsPath)} was deleted from disk; the editor keeps what it loaded.`,
        ),
    );
    this.watcher = watcher;
  }

  /** The first load: its first rows and progress as they come, then its outcome. */
  private async follow(handle: ExportHandle): Promise<void> {
    const watch = handle.watch;
    if (watch) {
      const take = () => {
        if (handle !== this.handle || !this.loading) return;
        this.progress = { fraction: watch.fraction, rows: watch.rows };
        // a later snapshot of the first rows has more of them
        if (watch.first && (!this.table || watch.first.table.rowCount > this.table.rowCount)) {
          this.table = new ExportTable(watch.first.table);
          this.marks?.first();
          this.info = watch.first.info;
          this.changed.fire('first');
        } else this.changed.fire('progress');
      };
      this.watchSubscription = watch.onDidChange(take);
      if (watch.first) take();
    }
    const outcome = await handle.outcome;
    if (handle === this.handle && this.loading) this.settle(outcome);
  }

  /** The contents become `outcome`'s; views of the previous table are dropped. */
  private settle(outcome: LoadOutcome): void {
    this.watchSubscription?.dispose();
    this.watchSubscription = null;
    this.thread?.dispose();
    this.thread = null;
    this.views = new Map();
    this.generation++;
    this.loading = false;
    this.loaded = outcome.ok ? outcome.value : null;
    this.table = outcome.ok ? new ExportTable(outcome.value.table) : null;
    this.info = outcome.ok ? outcome.value.info : null;
    this.error = outcome.ok ? null : outcome.error.message;
    this.progress = { fraction: 1, rows: outcome.ok ? outcome.value.table.rowCount : 0 };
    if (this.table) this.marks?.first();
    if (outcome.ok) this.marks?.settled(outcome.value.ms);
    this.changed.fire('done');
  }

  private async offerReload(what: string): Promise<void> {
    if (this.asking) return;
    this.asking = true;
    try {
      const choice = await vscode.window.showInformationMessage(
        `${path.basename(this.uri.fsPath)} ${what}.`,
        'Reload',
        'Keep Current',
      );
      if (choice === 'Reload') await this.reload();
    } finally {
      this.asking = false;
    }
  }

  /** Loads the file again; the editors follow through onDidChange. */
  async reload(): Promise<void> {
    this.cache.invalidate(this.uri);
    await this.swap(this.cache.acquire(this.uri, this.handle.template));
  }

  /** Reads the file as another template version (or 'auto'); a no-op when it already is. */
  async setTemplate(choice: TemplateChoice): Promise<void> {
    if (choice === this.handle.template)
      this.swaps++; // drops a swap still loading
    else await this.swap(this.cache.acquire(this.uri, choice));
  }

  /** Moves to another handle once it has loaded; a newer swap wins, a cancelled load changes nothing. */
  private async swap(next: ExportHandle): Promise<void> {
    const swap = ++this.swaps;
    const outcome = await next.outcome;
    if (swap !== this.swaps || (!outcome.ok && outcome.error.code === 'cancelled')) {
      next.release();
      return;
    }
    this.handle.release();
    this.handle = next;
    this.settle(outcome);
  }

  /** Row sets (the rows behind a chart's value) by id, newest last; a few are kept. */
  private readonly rowSets = new Map<string, Uint32Array>();
  /** A row set for the next editor page that becomes ready (a drill-down that opened this editor). */
  pendingRowSet: RowSetRef | null = null;

  /** Keeps `rows` (ascending row numbers) under a new id, for views to name. */
  addRowSet(rows: Uint32Array, label: string): RowSetRef {
    const id = `set-${++rowSetIds}`;
    this.rowSets.set(id, rows);
    if (this.rowSets.size > KEPT_ROW_SETS) this.rowSets.delete(this.rowSets.keys().next().value!);
    return { id, label, count: rows.length };
  }

  /** The rows of a row set the document keeps, if it still does. */
  rowSetRows(id: string): Uint32Array | undefined {
    return this.rowSets.get(id);
  }

  /** The rows of a view (filters, search, sort), computed in the view thread; the last few are kept. */
  async view(spec: ViewSpec): Promise<ViewResult> {
    const set = spec.rowSet ? this.rowSets.get(spec.rowSet.id) : undefined;
    if (!spec.sort && !spec.search && spec.filters.length === 0) {
      if (!spec.rowSet) return { ok: true, order: null, total: this.table?.rowCount ?? 0, ms: 0 };
      // a row set alone is its own order (ascending), with no thread to ask
      if (set && this.loaded && !this.loading) return { ok: true, order: set, total: set.length, ms: 0 };
    }
    if (this.loading || !this.loaded)
      return { ok: false, message: 'Sorting and filtering start once the whole file is loaded' };
    if (spec.rowSet && !set) return { ok: false, message: 'The rows of that chart point are gone; open them again' };
    const key = JSON.stringify(spec);
    let v = this.views.get(key);
    if (!v) {
      this.thread ??= new ViewThread(this.loaded.table, this.viewWorker);
      v = this.thread.view(spec, set);
      this.views.set(key, v);
      if (this.views.size > KEPT_VIEWS) this.views.delete(this.views.keys().next().value!);
      // a failed view is not kept
      void v.then(
        (r) => {
          if (!r.ok) this.views.delete(key);
        },
        () => this.views.delete(key),
      );
    }
    return v;
  }

  /** A column's summary over the rows of a view, in the view thread; null when cancelled or not loaded yet. */
  async summary(
    column: number,
    spec: ViewSpec,
    signal?: Signal,
    progress?: (done: number, total: number) => void,
  ): Promise<ColumnSummary | null> {
    if (this.loading || !this.loaded) return null;
    const set = spec.rowSet ? this.rowSets.get(spec.rowSet.id) : undefined;
    if (spec.rowSet && !set) return null;
    this.thread ??= new ViewThread(this.loaded.table, this.viewWorker);
    return this.thread.summary(column, spec, signal, set, progress);
  }

  /** Values to pick from for a column with a dictionary or booleans, with their counts. */
  async values(column: number): Promise<ValuesResult> {
    if (this.loading || !this.loaded) return null;
    this.thread ??= new ViewThread(this.loaded.table, this.viewWorker);
    return this.thread.values(column);
  }

  /** The last editor of the file closed: let the loaded export (and its memory) go. */
  dispose(): void {
    this.disposed = true;
    this.swaps++;
    this.watchSubscription?.dispose();
    this.thread?.dispose();
    this.thread = null;
    this.views = new Map();
    this.watcher?.dispose();
    this.choices.dispose();
    this.changed.dispose();
    this.handle.release();
    for (const d of this.owned) d.dispose();
  }
}
