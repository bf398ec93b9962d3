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
import { CHART_MEASURES, chartData } from '../../core/measures/chartData';
import { formatDay } from '../../core/measures/engine/dates';
import { Refusal, serve, type Endpoint, type Handlers, type Server } from '../../protocol/channel';
import { chartLink, type ChartLink, type ChartRequest } from '../../protocol/chart';
import { ExportEditorProvider } from '../editor/exportEditor';
import { openSource, type MeasureSource, type SourceContext, type SourceOutcome } from '../measures/measureSource';
import { chartHtml } from './chartHtml';

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
  /** The source answers one request at a time (the measure worker does): requests wait their turn here. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly targets: readonly vscode.Uri[],
    ctx: SourceContext & { extensionUri: vscode.Uri },
    private readonly start: ChartStart,
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
      }
    });
    webview.html = chartHtml(webview, dist, media);
    this.source = openSource(
      targets,
      ctx,
      (fraction, rows) => this.ready && this.link.send({ type: 'progress', fraction, rows }),
      this.abort.signal,
    ).then((o) => {
      if (o.ok) {
        if (this.disposed) o.source.close();
        else this.opened = o.source;
      }
      return o;
    });
    void this.tell();
    panel.onDidDispose(() => this.dispose());
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
    const s = o.source;
    this.link.send({
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
    });
  }

  private async loaded(): Promise<MeasureSource> {
    const o = await this.source;
    if (!o.ok) throw new Refusal('data', o.message);
    return o.source;
  }

  /** Runs `f` once the requests before it are answered. */
  private inTurn<T>(f: () => Promise<T>): Promise<T> {
    const next = this.queue.then(f, f);
    this.queue = next.catch(() => {});
    return next;
  }

  private handlers(): Handlers<ChartLink> {
    return {
      chart: async ({ measure, request, revenueKind }) => {
        const s = await this.loaded();
        const t0 = performance.now();
        const a = await this.inTurn(() => s.measure(measure, request));
        if (!a.ok) return { ok: false as const, message: a.message };
        this.panel.title = `Chart: ${a.value.title}`;
        return {
          ok: true as const,
          data: chartData(a.value, revenueKind),
          params: a.value.params,
          ms: performance.now() - t0,
        };
      },
      drill: async ({ measure, request, point }) => {
        const s = await this.loaded();
        const a = await this.inTurn(() => s.rows(measure, request, point));
        if (!a.ok) return { ok: false, count: 0, message: a.message };
        const { files, label, count, counted } = a.value;
        if (count === 0) return { ok: true, count: 0, message: 'No rows make up this value' };
        const most = files.reduce((x, y) => (y.rows.length > x.rows.length ? y : x));
        const rest = count - most.rows.length;
        const words =
          counted !== count ? `${label} (${counted.toLocaleString('en-US')} counts from ${count} rows)` : label;
        const column =
          this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Beside : vscode.ViewColumn.One;
        await ExportEditorProvider.showRows(vscode.Uri.file(most.file), most.rows, words, column);
        if (rest > 0)
          void vscode.window.showInformationMessage(
            `${measureByName(measure)?.title}: ${rest.toLocaleString('en-US')} more of these rows are in ${files.length - 1} other deliveries; the grid shows ${path.basename(most.file)}.`,
          );
        return { ok: true, count: most.rows.length };
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

  reveal(): void {
    this.panel.reveal();
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
