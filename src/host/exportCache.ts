/**
 * One load per file: the editor, diagnostics and commands share the loaded export of a URI. A load
 * runs in the worker with a cancellable progress notification; failures are kept as values.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LoadOutcome } from '../core/load';
import { loadInWorker } from '../worker/client';

export class ExportCache implements vscode.Disposable {
  private readonly loads = new Map<string, Promise<LoadOutcome>>();

  constructor(private readonly extensionPath: string) {}

  get(uri: vscode.Uri): Promise<LoadOutcome> {
    const key = uri.toString();
    let p = this.loads.get(key);
    if (!p) {
      p = this.load(uri);
      this.loads.set(key, p);
      // a failed or cancelled load is not kept: the next open tries again
      void p.then((o) => {
        if (!o.ok) this.loads.delete(key);
      });
    }
    return p;
  }

  forget(uri: vscode.Uri): void {
    this.loads.delete(uri.toString());
  }

  private load(uri: vscode.Uri): Promise<LoadOutcome> {
    return Promise.resolve(vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Loading ${path.basename(uri.fsPath)}`, cancellable: true },
      (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        let last = 0;
        return loadInWorker(uri.fsPath, {
          workerPath: path.join(this.extensionPath, 'dist', 'worker.js'),
          signal: abort.signal,
          onProgress: (p) => {
            const pct = p.compressedTotal ? (100 * p.compressedRead) / p.compressedTotal : 0;
            progress.report({ increment: pct - last, message: `${p.rows.toLocaleString('en-US')} rows` });
            last = pct;
          },
        });
      },
    ));
  }

  dispose(): void {
    this.loads.clear();
  }
}
