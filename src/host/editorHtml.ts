/**
 * The export editor's webview page: strict CSP with a nonce. The script and the style sheet are put
 * into the page itself (under the nonce) instead of being linked: a linked file is fetched through
 * the webview's service worker and the workbench before the page can run, which costs 30–250 ms of
 * the first paint (more while the file is being loaded), and with nothing left to fetch the page's
 * load event, which releases the host's first messages, follows its script at once.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as vscode from 'vscode';

/** A bundle's text made safe to sit inside a <script> or <style> element. */
export function inlineText(text: string, tag: 'script' | 'style'): string {
  const closing = new RegExp(`</(${tag})`, 'gi');
  // "<\/script" means the same to JavaScript (in strings, regexes, comments); CSS never needs "</style"
  const safe = tag === 'script' ? text.replace(closing, '<\\/$1') : text.replace(closing, '');
  return safe.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n').replace(/\/\*# sourceMappingURL=\S+ \*\/\s*$/, '');
}

export function editorHtml(webview: vscode.Webview, dist: vscode.Uri, media: vscode.Uri): string {
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
<body data-state="loading" data-vscode-context='{"preventDefaultContextMenuItems": true}'>
<div id="app"></div>
<script nonce="${nonce}">${script}</script>
</body>
</html>`;
}
