/**
 * An open export: the loaded table shared through the cache, the row orders computed for it, and a
 * watch on the file. When the file changes on disk the user is offered a reload; the editors of the
 * document then get the new contents.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Loaded, LoadOutcome } from '../core/load';
import { ExportTable } from '../core/table';
import { sortInWorker } from '../worker/client';
import type { ExportCache } from './exportCache';

export class ExportDocument implements vscode.CustomDocument {
  private orders = new Map<string, Promise<Uint32Array>>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly watcher: vscode.FileSystemWatcher;
  private asking = false;
  loaded: Loaded | null = null;
  table: ExportTable | null = null;
  error: string | null = null;
  /** Fires after a reload replaced the contents. */
  readonly onDidChange = this.changed.event;

  constructor(
    readonly uri: vscode.Uri,
    outcome: LoadOutcome,
    private readonly cache: ExportCache,
    private readonly sortWorker: string,
  ) {
    this.set(outcome);
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
    this.cache.forget(this.uri);
    this.set(await this.cache.get(this.uri));
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
    this.watcher.dispose();
    this.changed.dispose();
    this.orders.clear();
    this.cache.forget(this.uri);
  }
}
