/**
 * VS Code's floor for the UI bench: the least a custom editor can be. It reads nothing and shows
 * one line of text, and marks when that line is on screen the way the export editor marks its first
 * rows (the frame after the page's load event). bench/floor.ts installs it beside nothing else and
 * opens a file with it, so the time from VS Code asking for the document to that mark is the part
 * of the export editor's first paint that no extension can take away.
 */
import * as crypto from 'node:crypto';
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.window.registerCustomEditorProvider('rcBench.floor', {
      openCustomDocument(uri: vscode.Uri) {
        const openedAt = performance.timeOrigin + performance.now();
        return { uri, openedAt, dispose() {} };
      },
      resolveCustomEditor(document: vscode.CustomDocument & { openedAt: number }, panel: vscode.WebviewPanel) {
        const nonce = crypto.randomBytes(16).toString('base64');
        panel.webview.options = { enableScripts: true, localResourceRoots: [] };
        panel.webview.html = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="UTF-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-${nonce}'"></head>
<body data-opened-at="${document.openedAt}" data-resolved-at="${performance.timeOrigin + performance.now()}">
<p>first row</p>
<script nonce="${nonce}">
addEventListener('load', () => requestAnimationFrame(() => setTimeout(() => {
  document.body.dataset.frame = String(performance.timeOrigin);
  document.body.dataset.firstPaint = String(performance.timeOrigin + performance.now());
}, 0)), { once: true });
</script>
</body>
</html>`;
      },
    }),
  );
}
