/**
 * One chart panel: a webview panel of its own for what no open export editor shows (the Explorer's
 * file or folder, its deliveries merged, or what a dialog picks). Its page is set at once, carrying
 * the source when it is there (see setPage); a drill-down opens the rows in the export grid,
 * filtered to exactly them (a grid per delivery that has some).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { measureByName } from '../../core/measures';
import type { Endpoint } from '../../protocol/channel';
import { ExportEditorProvider } from '../editor/exportEditor';
import type { SourceContext } from '../measures/measureSource';
import { chartHtml } from './chartHtml';
import { ChartServer, type ChartStart } from './chartServer';

/** How long the page waits for a source that is (nearly) there, to carry it (see setPage). */
const SOURCE_WAIT_MS = 40;

export class ChartPanel implements vscode.Disposable {
  private readonly server: ChartServer;

  constructor(
    private readonly panel: vscode.WebviewPanel,
    targets: readonly vscode.Uri[],
    ctx: SourceContext & { extensionUri: vscode.Uri },
    start: ChartStart,
    /** When the command was called (epoch ms), for the page's timings. */
    private readonly calledAt = 0,
  ) {
    const webview = panel.webview;
    const dist = vscode.Uri.joinPath(ctx.extensionUri, 'dist');
    const media = vscode.Uri.joinPath(ctx.extensionUri, 'media');
    webview.options = { enableScripts: true, localResourceRoots: [dist, media] };
    const page: Endpoint = {
      post: (m) => void webview.postMessage(m),
      listen(handler) {
        const d = webview.onDidReceiveMessage((m: unknown) => handler(m));
        return () => {
          d.dispose();
        };
      },
    };
    this.server = new ChartServer(page, targets, ctx, start, {
      showRows: (files, words, count, measure) => this.showRows(measureByName(measure)?.title, files, words, count),
      drawn: (title) => (this.panel.title = `Chart: ${title}`),
    });
    void this.setPage(webview, dist, media, start);
    panel.onDidDispose(() => this.dispose());
  }

  /**
   * Sets the page. A source that is there at once (an open export charted before) rides in the page
   * with the first measure by day, when that is known already: the page then draws its first chart
   * with no message to wait for. Otherwise the page shows progress and is told when the source is in.
   */
  private async setPage(webview: vscode.Webview, dist: vscode.Uri, media: vscode.Uri, start: ChartStart) {
    const first = await this.server.firstMessage(start, SOURCE_WAIT_MS);
    if (this.server.isDisposed) return;
    webview.html = chartHtml(webview, dist, media, first, {
      called: this.calledAt,
      paged: performance.timeOrigin + performance.now(),
    });
  }

  /** The rows behind a value, in the export grid: each delivery with some of them opens on its share, side by side in tabs. */
  private async showRows(
    title: string | undefined,
    files: readonly { file: string; rows: Uint32Array }[],
    words: string,
    count: number,
  ): Promise<void> {
    const n = (x: number) => x.toLocaleString('en-US');
    const column = this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Beside : vscode.ViewColumn.One;
    for (const f of files)
      await ExportEditorProvider.showRows(
        vscode.Uri.file(f.file),
        f.rows,
        files.length === 1
          ? words
          : `${words} · ${path.basename(f.file)}: ${n(f.rows.length)} of the ${n(count)} rows, in ${files.length} deliveries`,
        column,
        this.panel.viewColumn,
      );
    if (files.length > 1)
      vscode.window.setStatusBarMessage(
        `${title ?? 'Chart'}: the ${n(count)} rows are in ${files.length} deliveries, each opened in its own tab`,
        8000,
      );
  }

  /** Whether this panel charts exactly `targets`. */
  shows(targets: readonly vscode.Uri[]): boolean {
    return this.server.shows(targets);
  }

  /** Brought forward on another measure or range, with no new page (see ChartServer.showAgain). */
  showAgain(start: ChartStart, calledAt: number): void {
    this.panel.reveal(undefined, false);
    this.server.showAgain(start, calledAt);
  }

  dispose(): void {
    this.server.dispose();
  }
}
