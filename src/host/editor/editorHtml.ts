/**
 * The export editor's webview page: strict CSP with a nonce. The script and the style sheet are put
 * into the page itself (under the nonce) instead of being linked: a linked file is fetched through
 * the webview's service worker and the workbench before the page can run, which costs 30–250 ms of
 * the first paint (more while the file is being loaded), and with nothing left to fetch the page's
 * load event, which releases the host's first messages, follows its script at once. When the host
 * has rows to show as it sets the page, its first message rides in the page too, as a JSON data block
 * (pageText.ts): the grid paints them before that load event, when VS Code shows the page.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { FIRST_MESSAGE_ID, type ToWebview } from '../../protocol/editor';
import { dataBlock, inlineText } from './pageText';
import { BENCH } from './benchMarks';

/** The page; `first`, when given, is the host's first message, carried by the page (see webview/main.ts). */
export function editorHtml(
  webview: vscode.Webview,
  dist: vscode.Uri,
  media: vscode.Uri,
  first: ToWebview | null = null,
): string {
  const nonce = crypto.randomBytes(16).toString('base64');
  // read at every open: small, in the OS cache, and never stale after a rebuild
  const script = inlineText(fs.readFileSync(vscode.Uri.joinPath(dist, 'webview.js').fsPath, 'utf8'), 'script');
  const style = inlineText(fs.readFileSync(vscode.Uri.joinPath(media, 'grid.css').fsPath, 'utf8'), 'style');
  const csp = [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<style nonce="${nonce}">${style}</style>
<title>RevenueCat export</title>
</head>
<body data-state="loading"${BENCH ? ' data-bench' : ''} data-vscode-context='{"preventDefaultContextMenuItems": true}'>
<div id="app"></div>
${first ? dataBlock(FIRST_MESSAGE_ID, first) : ''}
<script nonce="${nonce}">${script}</script>
</body>
</html>`;
}
