/**
 * The host side of one chart link, wherever its page is (the chart panel's own page, or the chart
 * pane in the export editor's page): loads the source (the open export from the shared cache, or
 * files and folders in the measure worker) while the page shows progress, tells the page what it
 * charts, and answers it: a measure as a chart, the rows behind a value (shown where the caller
 * says), files to save or text to copy.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { measureByName, type MeasureName } from '../../core/measures';
import { CHART_MEASURES, type ChartData } from '../../core/measures/chartData';
import { formatDay } from '../../core/measures/engine/dates';
import { Refusal, serve, type Endpoint, type Handlers, type Server, type ServerEvent } from '../../protocol/channel';
import { chartLink, type ChartLink, type ChartRequest } from '../../protocol/chart';
import { openSource, type MeasureSource, type SourceContext, type SourceOutcome } from '../measures/measureSource';
import { chartAnswers } from './chartAnswers';

/** How long the page's first message waits for the first measure's days (longer: the page asks for its chart). */
const DAILY_WAIT_MS = 1000;

export interface ChartStart {
  readonly measure: MeasureName;
  readonly request: ChartRequest;
}

export type SourceMessage = Extract<ServerEvent<ChartLink>, { type: 'source' }>;

/** What the page's place decides: where a drill-down's rows are shown, what a drawn chart changes. */
export interface ChartHooks {
  /** Shows `rows` of each file (a drill-down into `measure`), described by `words`. */
  showRows(
    files: readonly { file: string; rows: Uint32Array }[],
    words: string,
    count: number,
    measure: MeasureName,
  ): Promise<void>;
  /** A chart is drawn, titled so. */
  drawn?(title: string): void;
}

export class ChartServer implements vscode.Disposable {
  private readonly link: Server<ChartLink>;
  private readonly abort = new AbortController();
  readonly source: Promise<SourceOutcome>;
  private opened: MeasureSource | null = null;
  private disposed = false;
  /** The page said it is ready, and was told the source (for the page there now). */
  private ready = false;
  private told = false;
  /** When the command that opened the page was called (epoch ms; the page shows it to the bench). */
  private called: number | undefined;

  constructor(
    endpoint: Endpoint,
    private readonly targets: readonly vscode.Uri[],
    ctx: SourceContext,
    private start: ChartStart,
    private readonly hooks: ChartHooks,
  ) {
    this.link = serve(chartLink, endpoint, this.handlers(), (m) => {
      if (m.type === 'ready') {
        this.ready = true;
        void this.tell();
      } else if (m.type === 'drawn') this.hooks.drawn?.(m.title);
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
          void chartAnswers(o.source).dailyOf(this.start.measure);
        }
      }
      return o;
    });
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /**
   * A new page (or pane) is about to start on `start`: the source message for it to carry, when the
   * source is there within `waitMs` and, for a point-in-time measure, its days are known already (the
   * page then draws with no message to wait for); else null, and the page is told once it says it is
   * ready (see tell).
   */
  async firstMessage(start: ChartStart, waitMs: number, called?: number): Promise<SourceMessage | null> {
    this.start = start;
    this.called = called;
    this.ready = false;
    this.told = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const o = await Promise.race([
      this.source,
      new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), waitMs))),
    ]);
    clearTimeout(timer);
    if (!o?.ok || this.disposed) return null;
    const answers = chartAnswers(o.source);
    const measuring = answers.dailyOf(start.measure);
    const daily = answers.dailyNow(start.measure);
    if (measuring && !daily) return null;
    this.told = true;
    const m = this.sourceMessage(o.source, daily);
    return called === undefined ? m : { ...m, called };
  }

  /**
   * What the source is, once it is loaded (or why it is not), with the first measure's days when they
   * come within DAILY_WAIT_MS: the page draws from them at once, instead of asking for its first chart.
   */
  private async tell(): Promise<void> {
    const o = await this.source;
    if (!this.ready || this.disposed || this.told) return;
    this.told = true;
    if (!o.ok) {
      this.link.send({ type: 'failed', message: o.message });
      return;
    }
    const measuring = chartAnswers(o.source).dailyOf(this.start.measure);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const days = measuring
      ? await Promise.race([
          measuring,
          new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), DAILY_WAIT_MS))),
        ])
      : null;
    clearTimeout(timer);
    if (this.disposed) return;
    const m = this.sourceMessage(o.source, days?.ok ? days.value : undefined);
    this.link.send(this.called === undefined ? m : { ...m, called: this.called });
  }

  private sourceMessage(s: MeasureSource, daily?: ChartData): SourceMessage {
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

  /**
   * The page there now draws another start, with no new page: it is told the source again with the
   * new start (and the measure by day when it is known).
   */
  showAgain(start: ChartStart, calledAt: number): void {
    this.start = start;
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
        await this.hooks.showRows(files, words, count, measure);
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

  /** Whether this charts exactly `targets`. */
  shows(targets: readonly vscode.Uri[]): boolean {
    const key = (us: readonly vscode.Uri[]) => us.map((u) => u.toString()).join('\n');
    return !this.disposed && key(targets) === key(this.targets);
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
