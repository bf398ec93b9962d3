/**
 * The export editor's webview page: strict CSP with a nonce. The script and the style sheet are put
 * into the page itself (under the nonce) instead of being linked: a linked file is fetched through
 * the webview's service worker and the workbench before the page can run, which costs 30–250 ms of
 * the first paint (more while the file is being loaded), and with nothing left to fetch the page's
 * load event, which releases the host's first messages, follows its script at once. When the host
 * has rows to show as it sets the page, its first message rides in the page too, as a JSON data block
 * (pageText.ts): the grid paints them before that load event, when VS Code shows the page.
 */
import * as vscode from 'vscode';
import { FIRST_MESSAGE_ID, type ToWebview } from '../../protocol/editor';
import { dataBlock, pageShell, readText } from './pageText';
import { BENCH } from './benchMarks';

/** The page; `first`, when given, is the host's first message, carried by the page (see webview/main.ts). */
export function editorHtml(
  webview: vscode.Webview,
  dist: vscode.Uri,
  media: vscode.Uri,
  first: ToWebview | null = null,
): string {
  return pageShell({
    cspSource: webview.cspSource,
    title: 'RevenueCat export',
    script: readText(vscode.Uri.joinPath(dist, 'webview.js').fsPath),
    style: readText(vscode.Uri.joinPath(media, 'grid.css').fsPath),
    body: `data-state="loading"${BENCH ? ' data-bench' : ''} data-vscode-context='{"preventDefaultContextMenuItems": true}'`,
    before: first ? dataBlock(FIRST_MESSAGE_ID, first) : '',
  });
}
