/**
 * The chart panel's page: strict CSP with a nonce, the bundle (uPlot inside) and its style sheets put
 * into the page under that nonce, nothing fetched (no remote content, no other local file).
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { inlineText } from '../editor/pageText';

export function chartHtml(webview: vscode.Webview, dist: vscode.Uri, media: vscode.Uri): string {
  const nonce = crypto.randomBytes(16).toString('base64');
  const read = (dir: vscode.Uri, name: string) => fs.readFileSync(vscode.Uri.joinPath(dir, name).fsPath, 'utf8');
  const script = inlineText(read(dist, 'chart.js'), 'script');
  const style = inlineText(`${read(dist, 'chart.css')}\n${read(media, 'chart.css')}`, 'style');
  const csp = [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${webview.cspSource} data: blob:`,
    `font-src ${webview.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<style nonce="${nonce}">${style}</style>
<title>RevenueCat chart</title>
</head>
<body data-state="loading">
<div id="app"></div>
<script nonce="${nonce}">${script}</script>
</body>
</html>`;
}
