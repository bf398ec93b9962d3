/**
 * The chart pane of an export editor: "Show Chart…" (and a measure's chart entries) on an open
 * export in view draws in the editor's own page, which is there and loaded already, under its grid,
 * instead of a new webview panel (which code-server takes over a second to create). The pane's code
 * is not in the page's first paint: it goes to the page with the first "open the pane" message, and
 * the page runs it under its nonce. The chart link rides on the editor page's messages
 * (GridSession.paneEndpoint). A drill-down shows its rows in the same editor's grid, above the chart.
 */
import * as vscode from 'vscode';
import type { GridSession } from '../editor/gridSession';
import { inlineText, readText } from '../editor/pageText';
import type { SourceContext } from '../measures/measureSource';
import { ChartServer, type ChartStart } from './chartServer';

/** The pane's script and style, read from the bundle once per extension (they do not change while it runs). */
let code: { root: string; script: string; style: string } | null = null;

function paneCode(extensionUri: vscode.Uri): { script: string; style: string } {
  if (code?.root !== extensionUri.toString()) {
    const dist = vscode.Uri.joinPath(extensionUri, 'dist');
    code = {
      root: extensionUri.toString(),
      script: inlineText(readText(vscode.Uri.joinPath(dist, 'chartPane.js').fsPath), 'script'),
      style: readText(
        vscode.Uri.joinPath(dist, 'chartPane.css').fsPath,
        vscode.Uri.joinPath(extensionUri, 'media', 'chart.css').fsPath,
      ),
    };
  }
  return { script: code.script, style: code.style };
}

export class ChartPane {
  private readonly server: ChartServer;
  /** The page shows the pane (as far as the host knows: the page says when the user closes it). */
  private open = false;
  private start: ChartStart;

  constructor(
    private readonly session: GridSession,
    ctx: SourceContext & { extensionUri: vscode.Uri },
    start: ChartStart,
    private readonly onDispose: () => void,
  ) {
    this.start = start;
    const doc = session.document;
    this.server = new ChartServer(session.paneEndpoint, [doc.uri], ctx, start, {
      showRows: (files, words) => {
        // the editor's own file (a single export: its one file)
        const mine = files.find((f) => f.file === doc.uri.fsPath) ?? files[0];
        if (mine) session.showRows(doc.addRowSet(mine.rows, words));
        return Promise.resolve();
      },
    });
    this.code = () => paneCode(ctx.extensionUri);
    session.pane = {
      // a page loaded afresh (the editor was a tab behind another) shows the pane it had
      pageReady: () => {
        if (this.open) void this.openPane(this.start);
      },
      closed: () => (this.open = false),
      dispose: () => this.dispose(),
    };
  }

  private readonly code: () => { script: string; style: string };

  /** Shows `start` in the pane: drawn in the open pane, or the pane opened on it. */
  show(start: ChartStart, calledAt: number): void {
    this.start = start;
    if (!this.session.visible()) this.session.reveal();
    if (this.open) this.server.showAgain(start, calledAt);
    else void this.openPane(start, calledAt);
  }

  private async openPane(start: ChartStart, calledAt?: number): Promise<void> {
    this.open = true;
    // the pane's code goes at once: the source and the chart's days follow when they are not here yet
    const first = await this.server.firstMessage(start, 0, calledAt);
    if (this.server.isDisposed) return;
    this.session.post({ type: 'chartPane', ...this.code(), ...(first ? { first } : {}) });
  }

  dispose(): void {
    if (this.server.isDisposed) return;
    this.server.dispose();
    this.session.pane = null;
    this.onDispose();
  }
}
