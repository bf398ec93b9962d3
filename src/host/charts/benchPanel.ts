/**
 * For the chart bench only (RC_EXPORT_BENCH=1): "Open a Blank Panel (bench)" opens a webview panel
 * whose page holds nothing but a script that marks when it was on screen, as the chart page does.
 * The bench measures it in the same run as the chart panel: what VS Code's webview costs by itself.
 */
import * as crypto from 'node:crypto';
import * as vscode from 'vscode';
import { BENCH, epochMs } from '../editor/benchMarks';

export function registerBenchPanel(): vscode.Disposable[] {
  if (!BENCH) return [];
  void vscode.commands.executeCommand('setContext', 'rcExport.bench', true);
  return [
    vscode.commands.registerCommand('rcExport.benchBlankPanel', () => {
      const calledAt = epochMs();
      const panel = vscode.window.createWebviewPanel(
        'rcExport.benchBlank',
        'Blank',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
        { enableScripts: true, localResourceRoots: [] },
      );
      const nonce = crypto.randomBytes(16).toString('base64');
      panel.webview.html = `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-${nonce}'"></head>
<body class="blank" data-called-at="${calledAt.toFixed(0)}" data-paged-at="${epochMs().toFixed(0)}"><script nonce="${nonce}">
document.body.dataset.scriptAt = String(performance.timeOrigin + performance.now());
requestAnimationFrame(() => setTimeout(() => { document.body.dataset.onScreen = '1 ' + (performance.timeOrigin + performance.now()) + ' 0'; }));
</script></body></html>`;
    }),
  ];
}
