/**
 * Extension entry. The custom editor, diagnostics and measure commands build on this; for now it
 * offers "RevenueCat: Show Export Info", which loads an export in the worker and describes it.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { fileInfo, formatInfo } from '../cli/info';
import { loadInWorker } from '../worker/client';

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('RevenueCat');
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('rcExport.showInfo', async (uri?: vscode.Uri) => {
      const target = uri ?? vscode.window.activeTextEditor?.document.uri ?? (await pickFile());
      if (!target) return;
      const outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Loading ${path.basename(target.fsPath)}`, cancellable: true },
        (progress, token) => {
          const abort = new AbortController();
          token.onCancellationRequested(() => abort.abort());
          let last = 0;
          return loadInWorker(target.fsPath, {
            workerPath: path.join(context.extensionPath, 'dist', 'worker.js'),
            validate: false,
            signal: abort.signal,
            onProgress: (p) => {
              const pct = p.compressedTotal ? (100 * p.compressedRead) / p.compressedTotal : 0;
              progress.report({ increment: pct - last, message: `${p.rows.toLocaleString()} rows` });
              last = pct;
            },
          });
        },
      );
      if (!outcome.ok) {
        if (outcome.error.code !== 'cancelled') void vscode.window.showErrorMessage(outcome.error.message);
        return;
      }
      const info = fileInfo(target.fsPath, outcome.value);
      output.appendLine(formatInfo(info));
      output.show(true);
      return info;
    }),
  );
}

async function pickFile(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({ filters: { 'RevenueCat export': ['gz', 'csv'] }, canSelectMany: false });
  return picked?.[0];
}

export function deactivate(): void {}
