/**
 * One chart panel, host side: loads its source (the open export from the shared cache, or files and
 * folders in the measure worker) while the page shows progress, then answers the page: a measure as
 * a chart, the rows behind a value (opened in the export grid, filtered to exactly them), and files
 * to save or text to copy.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { measureByName, type MeasureName } from '../../core/measures';
import { CHART_MEASURES, type ChartData } from '../../core/measures/chartData';
import { formatDay } from '../../core/measures/engine/dates';
import { Refusal, serve, type Endpoint, type Handlers, type Server, type ServerEvent } from '../../protocol/channel';
import { chartLink, type ChartLink, type ChartRequest } from '../../protocol/chart';
import { ExportEditorProvider } from '../editor/exportEditor';
import { openSource, type MeasureSource, type SourceContext, type SourceOutcome } from '../measures/measureSource';
import { chartAnswers } from './chartAnswers';
import { chartHtml } from './chartHtml';

/** How long the page waits for a source that is (nearly) there, to carry it (see setPage). */
const SOURCE_WAIT_MS = 40;

export interface ChartStart {
  readonly measure: MeasureName;
  readonly request: ChartRequest;
}

export class ChartPanel implements vscode.Disposable {
  private readonly link: Server<ChartLink>;
  private readonly abort = new AbortController();
  private readonly source: Promise<SourceOutcome>;
  private opened: MeasureSource | null = null;
  private disposed = false;
  private ready = false;
  private told = false;

  constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly targets: readonly vscode.Uri[],
    ctx: SourceContext & { extensionUri: vscode.Uri },
    private start: ChartStart,
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
    this.link = serve(chartLink, page, this.handlers(), (m) => {
      if (m.type === 'ready') {
        this.ready = true;
        void this.tell();
      } else if (m.type === 'drawn') this.panel.title = `Chart: ${m.title}`;
    });
    this.source = openSource(
      targets,
      ctx,
      (fraction, rows) => this.ready && this.link.send({ type: 'progress', fraction, rows }),
      this.abort.signal,
    ).then((o) => {
      if (o.ok) {
        if (this.disposed) o.source.close();
        else {
          this.opened = o.source;
          // the first chart is measured (in the worker) while the page loads (point-in-time measures: by day, once)
          void chartAnswers(o.source).dailyOf(start.measure);
        }
      }
      return o;
    });
    void this.setPage(webview, dist, media);
    panel.onDidDispose(() => this.dispose());
  }

  /**
   * Sets the page. A source that is there at once (an open export charted before) rides in the page
   * with the first measure by day, when that is known already: the page then draws its first chart
   * with no message to wait for. Otherwise the page shows progress and is told when the source is in.
   */
  private async setPage(webview: vscode.Webview, dist: vscode.Uri, media: vscode.Uri): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const o = await Promise.race([
      this.source,
      new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), SOURCE_WAIT_MS))),
    ]);
    clearTimeout(timer);
    if (this.disposed) return;
    // the first measure by day when it is known already; else the page asks, while it is worked out
    const first = o?.ok ? this.sourceMessage(o.source, chartAnswers(o.source).dailyNow(this.start.measure)) : null;
    if (first) this.told = true;
    webview.html = chartHtml(webview, dist, media, first, {
      called: this.calledAt,
      paged: performance.timeOrigin + performance.now(),
    });
    void this.tell();
  }

  /** What the source is, once it is loaded (or why it is not). */
  private async tell(): Promise<void> {
    const o = await this.source;
    if (!this.ready || this.disposed || this.told) return;
    this.told = true;
    if (!o.ok) {
      this.link.send({ type: 'failed', message: o.message });
      return;
    }
    this.link.send(this.sourceMessage(o.source));
  }

  private sourceMessage(s: MeasureSource, daily?: ChartData): Extract<ServerEvent<ChartLink>, { type: 'source' }> {
    return {
      type: 'source',
      label: sourceLabel(this.targets, s.files),
      files: s.files.length,
      first: s.firstDay === null ? null : formatDay(s.firstDay),
      last: s.exportDate ? formatDay(s.exportDate.day) : null,
      measure: this.start.measure,
      request: this.start.request,
      measures: CHART_MEASURES.map((name) => {
        const m = measureByName(name)!;
        const range = m.takes === 'retention' || m.takes === 'since' || m.takes === 'cohorts' ? m.takes : 'series';
        return { name, title: m.title, range };
      }),
      ...(daily ? { daily } : {}),
    };
  }

  private async loaded(): Promise<MeasureSource> {
    const o = await this.source;
    if (!o.ok) throw new Refusal('data', o.message);
    return o.source;
  }

  private handlers(): Handlers<ChartLink> {
    return {
      chart: async ({ measure, request, revenueKind, daily }) => {
        const s = await this.loaded();
        const t0 = performance.now();
        const a = await chartAnswers(s).chart(measure, request, revenueKind, daily);
        if (!a.ok) return { ok: false as const, message: a.message };
        return { ok: true as const, ...a.value, ms: performance.now() - t0 };
      },
      keys: async () => {
        const a = await chartAnswers(await this.loaded()).keys();
        return a.ok ? { ok: true as const, keys: a.value.slice(0, 200) } : a;
      },
      drill: async ({ measure, request, point }) => {
        const gotAt = performance.timeOrigin + performance.now();
        const s = await this.loaded();
        const t0 = performance.now();
        const [ask, at] = await chartAnswers(s).drillOf(measure, request, point);
        const a = await chartAnswers(s).inTurn(() => s.rows(measure, ask, at));
        const rowsMs = performance.now() - t0;
        if (!a.ok) return { ok: false, count: 0, message: a.message };
        const { files, label, count, counted } = a.value;
        if (count === 0) return { ok: true, count: 0, message: 'No rows make up this value' };
        const n = (x: number) => x.toLocaleString('en-US');
        const words = counted !== count ? `${label} (${n(counted)} counts from ${n(count)} rows)` : label;
        const column =
          this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Beside : vscode.ViewColumn.One;
        // a merged source: each delivery with some of the rows opens on its share of them, side by side in tabs
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
            `${measureByName(measure)?.title}: the ${n(count)} rows are in ${files.length} deliveries, each opened in its own tab`,
            8000,
          );
        return {
          ok: true,
          count,
          files: files.length,
          ms: { rows: rowsMs, found: a.value.ms, open: performance.now() - t0 - rowsMs, at: gotAt },
        };
      },
      save: async ({ format, name, content }) => {
        const folder = this.targets[0] ? path.dirname(this.targets[0].fsPath) : undefined;
        const uri = await vscode.window.showSaveDialog({
          defaultUri: folder ? vscode.Uri.file(path.join(folder, name)) : undefined,
          filters: format === 'csv' ? { CSV: ['csv'] } : { 'PNG image': ['png'] },
          title: format === 'csv' ? 'Save the chart’s numbers as CSV' : 'Save the chart as PNG',
        });
        if (!uri) return { saved: false };
        const bytes =
          format === 'csv'
            ? Buffer.from(content, 'utf8')
            : Buffer.from(content.replace(/^data:image\/png;base64,/, ''), 'base64');
        await fs.promises.writeFile(uri.fsPath, bytes);
        vscode.window.setStatusBarMessage(`Saved ${path.basename(uri.fsPath)}`, 4000);
        return { saved: true };
      },
      copy: async ({ text }) => {
        await vscode.env.clipboard.writeText(text);
        vscode.window.setStatusBarMessage('Copied the chart’s numbers as CSV', 4000);
        return {};
      },
    };
  }

  /** Whether this panel charts exactly `targets`. */
  shows(targets: readonly vscode.Uri[]): boolean {
    const key = (us: readonly vscode.Uri[]) => us.map((u) => u.toString()).join('\n');
    return !this.disposed && key(targets) === key(this.targets);
  }

  /**
   * Brought forward on another measure or range, with no new page: the page is told the source again
   * with the new start (and the measure by day when it is known), and draws it.
   */
  showAgain(start: ChartStart, calledAt: number): void {
    this.start = start;
    this.panel.reveal(undefined, false);
    if (!this.told) return;
    void this.source.then((o) => {
      if (!o.ok || this.disposed) return;
      void chartAnswers(o.source).dailyOf(start.measure);
      this.link.send({
        ...this.sourceMessage(o.source, chartAnswers(o.source).dailyNow(start.measure)),
        called: calledAt,
      });
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.abort.abort();
    this.link.close();
    this.opened?.close();
  }
}

function sourceLabel(targets: readonly vscode.Uri[], files: readonly string[]): string {
  if (files.length === 1) return path.basename(files[0]);
  const names = targets.map((t) => path.basename(t.fsPath)).join(', ');
  return `${names} (${files.length} deliveries, merged)`;
}
