/**
 * An open export: the loaded table shared through the cache, the row orders computed for it, and a
 * watch on the file. When the file changes on disk the user is offered a reload; the editors of the
 * document then get the new contents. When the file's template choice changes the document loads
 * the file again as that version (setTemplate) and its editors are re-typed.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Loaded, LoadOutcome } from '../core/load';
import { ExportTable } from '../core/table';
import { sortInWorker } from '../worker/client';
import type { ExportCache, ExportHandle, TemplateChoice } from './exportCache';
import type { TemplateChoices } from './templateChoice';

export class ExportDocument implements vscode.CustomDocument {
  private orders = new Map<string, Promise<Uint32Array>>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly watcher: vscode.FileSystemWatcher;
  private asking = false;
  private generation = 0;
  private readonly choices: vscode.Disposable;
  loaded: Loaded | null = null;
  table: ExportTable | null = null;
  error: string | null = null;
  /** Disposed with the document (what others attach to its lifetime, such as diagnostics). */
  readonly owned: vscode.Disposable[] = [];
  /** Fires after a reload replaced the contents. */
  readonly onDidChange = this.changed.event;

  constructor(
    readonly uri: vscode.Uri,
    private handle: ExportHandle,
    outcome: LoadOutcome,
    private readonly cache: ExportCache,
    private readonly sortWorker: string,
    templates: TemplateChoices,
  ) {
    this.set(outcome);
    this.choices = templates.onDidChange((changed) => {
      if (!changed || changed.toString() === uri.toString()) void this.setTemplate(templates.choice(uri));
    });
    const folder = vscode.Uri.file(path.dirname(uri.fsPath));
    this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, path.basename(uri.fsPath)));
    this.watcher.onDidChange(() => void this.offerReload('changed on disk'));
    this.watcher.onDidCreate(() => void this.offerReload('was replaced on disk'));
    this.watcher.onDidDelete(() => void vscode.window.showWarningMessage(`${path.basename(uri.fsPath)} was deleted from disk; the editor keeps what it loaded.`));
  }

  private set(outcome: LoadOutcome): void {
    this.orders = new Map();
    this.loaded = outcome.ok ? outcome.value : null;
    this.table = outcome.ok ? new ExportTable(outcome.value.table) : null;
    this.error = outcome.ok ? null : outcome.error.message;
  }

  private async offerReload(what: string): Promise<void> {
    if (this.asking) return;
    this.asking = true;
    try {
      const choice = await vscode.window.showInformationMessage(`${path.basename(this.uri.fsPath)} ${what}.`, 'Reload', 'Keep Current');
      if (choice === 'Reload') await this.reload();
    } finally {
      this.asking = false;
    }
  }

  async reload(): Promise<void> {
    this.cache.invalidate(this.uri);
    await this.swap(this.cache.acquire(this.uri, this.handle.template));
  }

  /** Reads the file as another template version (or 'auto'); a no-op when it already is. */
  async setTemplate(choice: TemplateChoice): Promise<void> {
    if (choice === this.handle.template) this.generation++; // drops a swap still loading
    else await this.swap(this.cache.acquire(this.uri, choice));
  }

  /** Moves to another handle once it has loaded; a newer swap wins, a cancelled load changes nothing. */
  private async swap(next: ExportHandle): Promise<void> {
    const generation = ++this.generation;
    const outcome = await next.outcome;
    if (generation !== this.generation || (!outcome.ok && outcome.error.code === 'cancelled')) {
      next.release();
      return;
    }
    this.handle.release();
    this.handle = next;
    this.set(outcome);
    this.changed.fire();
  }

  /** Row order for a sort: computed once per column and direction, in a worker thread. */
  order(column: number, descending: boolean): Promise<Uint32Array> {
    const key = `${column}:${descending}`;
    let o = this.orders.get(key);
    if (!o) {
      o = sortInWorker(this.loaded!.table, column, descending, this.sortWorker);
      this.orders.set(key, o);
    }
    return o;
  }

  /** The last editor of the file closed: let the loaded export (and its memory) go. */
  dispose(): void {
    this.generation++;
    this.watcher.dispose();
    this.choices.dispose();
    this.changed.dispose();
    this.orders.clear();
    this.handle.release();
    for (const d of this.owned) d.dispose();
  }
}
