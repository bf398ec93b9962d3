/**
 * One export editor's webview, host side: answers its requests (rows of a view, values to pick,
 * one row in full, copies, layout) from the document, and tells it how loading goes.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { rowsText } from '../../core/view/rowsText';
import { columnSpec, type ColumnType } from '../../core/catalog/templates';
import type { Problem as ValidatorProblem } from '../../core/validate/problems';
import { Refusal, serve, type AskOf, type Endpoint, type Handlers, type Server } from '../../protocol/channel';
import {
  editorLink,
  packRows,
  PANE_KEY,
  WINDOW,
  type Command,
  type EditorLink,
  type Layout,
  type Problem,
  type RowsWindow,
  type ToHost,
  type ToWebview,
} from '../../protocol/editor';
import type { ExportTable } from '../../core/load/table';
import type { RowSetRef } from '../../core/view/view';
import type { ExportDocument } from './exportDocument';
import { activatedAt, BENCH, epochMs } from './benchMarks';

const MAX_LISTED = 2000;
const MAX_COPY = 50_000;
const NO_LAYOUT: Layout = { widths: {}, hidden: [] };

export class GridSession implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  /** When (epoch ms) the editor was resolved and its page set, when the UI bench asks (see benchMarks.ts). */
  private readonly marks = BENCH ? { resolvedAt: epochMs(), pagedAt: 0 } : null;
  /** The page is set (see setPage). */
  private paged = false;
  private disposed = false;
  private readonly link: Server<EditorLink>;
  /** The user moved on from a problem Go to Next/Previous Problem revealed, to this row (1-based) if any. */
  onMoved: (row: number | null) => void = () => {};
  /** The column of the editor's tab, and bringing it forward (the provider sets them). */
  column: () => vscode.ViewColumn | undefined = () => undefined;
  reveal: () => void = () => {};
  /** Whether the page is shown (the provider sets it): a hidden page drops what it is sent. */
  visible: () => boolean = () => true;
  /** The chart pane's host side, once one was opened in this editor (src/host/charts sets it). */
  pane: { pageReady(): void; closed(): void; dispose(): void } | null = null;
  /** The chart pane's link to the page: its messages wrapped in the page's own (see PANE_KEY). */
  readonly paneEndpoint: Endpoint;

  constructor(
    readonly document: ExportDocument,
    private readonly webview: vscode.Webview,
    private readonly state: vscode.Memento,
  ) {
    const page: Endpoint = {
      post: (m) => void webview.postMessage(m),
      listen(handler) {
        const d = webview.onDidReceiveMessage((m: unknown) => handler(m));
        return () => {
          d.dispose();
        };
      },
    };
    this.link = serve(editorLink, page, this.handlers(), (m) => void this.handle(m));
    this.subscriptions.push(document.onDidChange((what) => this.update(what)));
    this.paneEndpoint = {
      post: (m) => void webview.postMessage({ [PANE_KEY]: m }),
      listen(handler) {
        const d = webview.onDidReceiveMessage((m: unknown) => {
          if (typeof m === 'object' && m !== null && PANE_KEY in m) handler((m as Record<string, unknown>)[PANE_KEY]);
        });
        return () => {
          d.dispose();
        };
      },
    };
  }

  post(m: ToWebview): void {
    this.link.send(m);
  }

  /** A command from a context menu or the palette, carried out by the webview. */
  command(command: Command, context: { row?: number; column?: number } = {}): void {
    this.post({ type: 'command', command, context });
  }

  private get layoutKey(): string {
    return `rcExport.layout:${this.document.uri.toString()}`;
  }

  private update(what: 'loading' | 'first' | 'progress' | 'done', withProblems = true): void {
    if (!this.paged) return;
    const d = this.document;
    if (what === 'progress' || (what === 'loading' && d.loading)) {
      this.post({ type: 'progress', rows: d.progress.rows, fraction: d.progress.fraction });
      return;
    }
    if (!d.loading && !d.loaded) {
      this.post({ type: 'failed', message: d.error ?? 'The file could not be loaded' });
      return;
    }
    if (!d.table || !d.info) return;
    this.post(this.init());
    if (d.loaded && withProblems) this.post(problems(d));
    if (d.loaded) this.showPendingRows();
  }

  /**
   * A drill-down waiting for this page: its rows become the view. It waits on while the editor is a
   * tab behind another: a hidden page is not there to take it, and is loaded afresh when shown.
   */
  private showPendingRows(): void {
    const set = this.document.pendingRowSet;
    if (!set || !this.visible()) return;
    this.document.pendingRowSet = null;
    this.post(this.rowSetMessage(set));
  }

  /** Shows a row set the document keeps (see ExportDocument.addRowSet). */
  showRows(set: RowSetRef): void {
    if (this.paged && this.document.loaded && this.visible()) this.post(this.rowSetMessage(set));
    else this.document.pendingRowSet = set;
  }

  /** A row set with its first window of rows: the page shows them without asking. */
  private rowSetMessage(set: RowSetRef): ToWebview {
    const t = this.document.table;
    const rows = this.document.rowSetRows(set.id);
    if (!t || !rows) return { type: 'rowSet', set };
    return { type: 'rowSet', set, first: rowsWindow(t, rows, 0, Math.min(rows.length, WINDOW)) };
  }

  private init(): ToWebview {
    const d = this.document;
    const t = d.table!;
    const info = d.info!;
    const counts = d.loaded?.validation?.counts ?? null;
    return {
      type: 'init',
      generation: d.generation,
      file: path.basename(d.uri.fsPath),
      columns: t.header.map((name, i) => {
        const spec = columnSpec(name, info.report.feed);
        const type: ColumnType = t.data.types[i] ?? 'string';
        return {
          name,
          type,
          doc: spec?.doc ?? 'Not a documented column of any template version.',
          known: !!spec,
          pickList: type === 'boolean' || !!spec?.dictionary,
        };
      }),
      rowCount: t.rowCount,
      loading: d.loading,
      template: info.version.id,
      templateSource: info.templateSource === 'option' ? 'chosen' : 'detected',
      delimiter: info.delimiter,
      bytes: d.loaded ? d.loaded.table.textLength : 0,
      compressedBytes: d.loaded?.compressedBytes ?? 0,
      problems: counts ? { ...counts } : null,
      layout: this.state.get<Layout>(this.layoutKey) ?? NO_LAYOUT,
      first: this.firstWindow(t),
    };
  }

  /** The first window of the file: as the thread that read the first rows gave it, or cut from the table. */
  private firstWindow(t: ExportTable): RowsWindow {
    const n = Math.min(t.rowCount, WINDOW);
    const texts = this.document.firstTexts;
    if (texts?.table === t && texts.rows.length >= n)
      return packRows(
        Array.from({ length: n }, (_, i) => i),
        texts.rows.slice(0, n),
      );
    return rowsWindow(t, null, 0, n);
  }

  /**
   * Sets the page, which carries the first rows when they are here already, and starts telling it
   * how loading goes. Until then nothing is posted.
   */
  setPage(html: (first: ToWebview | null) => string): void {
    if (this.disposed || this.paged) return;
    const d = this.document;
    const first = d.table && d.info && d.table.rowCount > 0 ? this.init() : null;
    this.webview.html = html(first);
    this.paged = true;
    if (this.marks) this.marks.pagedAt = epochMs();
    if (first) {
      if (d.loading) this.update('progress');
    } else this.start();
  }

  /**
   * Tells the webview all there is to tell now. Called once its page is set, without waiting for its
   * 'ready': VS Code holds the messages until the page has loaded, so when the rows are already here
   * (the file was open a moment ago) the first paint needs no round trip. 'ready' calls it again, with
   * the problems list: sent before, its parsing would hold up the first paint.
   */
  start(withProblems = false): void {
    const d = this.document;
    if (d.table && d.info) this.update(d.loading ? 'first' : 'done', withProblems);
    else this.update(d.loading ? 'loading' : 'done', withProblems);
    if (d.loading) this.update('progress');
  }

  private async handle(m: ToHost): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.start(true);
        // a page loaded afresh (the editor was a tab behind another) opens its chart pane again
        this.pane?.pageReady();
        return;
      case 'chartClosed':
        this.pane?.closed();
        return;
      case 'shown':
        this.document.shown();
        return;
      case 'saveLayout':
        await this.state.update(this.layoutKey, m.layout);
        return;
      case 'chooseColumns':
        await this.chooseColumns();
        return;
      case 'moved':
        this.onMoved(m.row);
        return;
      case 'showChart':
        await vscode.commands.executeCommand('rcExport.showChart', this.document.uri);
        return;
    }
  }

  /** The webview's requests. */
  private handlers(): Handlers<EditorLink> {
    const d = this.document;
    return {
      setView: async ({ view }) => {
        const v = await d.view(view);
        return v.ok ? { ok: true, total: v.total, ms: v.ms } : { ok: false, total: 0, ms: 0, message: v.message };
      },
      getRows: async ({ view, start, count, columns }) => {
        const t0 = performance.now();
        const at = BENCH ? epochMs() : undefined;
        const t = d.table;
        const v = await d.view(view);
        if (!t || !v.ok || t !== d.table) throw new Refusal('gone', 'The view changed before its rows were read');
        const window = rowsWindow(t, v.order, start, Math.min(v.total, start + count), columns);
        return { start, ...window, ms: performance.now() - t0, ...(at ? { at } : {}) };
      },
      getValues: async ({ column }) => {
        const r = await d.values(column);
        return { values: r?.values ?? null, distinct: r?.distinct ?? 0 };
      },
      getSummary: async ({ view, column }, { signal }) => {
        const s = await d.summary(column, view, signal, (done, total) => {
          if (!signal.aborted) this.post({ type: 'summaryProgress', column, done, total });
        });
        if (!s) throw new Refusal('gone', 'The summary was cancelled or the file is still loading');
        return s;
      },
      getRow: ({ row }) => {
        const t = d.table;
        if (!t || row >= t.rowCount) throw new Refusal('gone', 'No such row');
        const found = (d.loaded?.validation?.problems ?? []).filter((p) => p.row === row + 1).slice(0, 100);
        return { row, line: t.line(row), cells: t.row(row), problems: found.map(wireProblem) };
      },
      copy: (ask) => this.copy(ask),
      stats: () => {
        if (!this.marks || !d.marks) throw new Refusal('bench', 'Figures are kept for the UI bench only');
        const mem = process.memoryUsage();
        return {
          host: {
            rss: mem.rss,
            heapUsed: mem.heapUsed,
            external: mem.external,
            arrayBuffers: mem.arrayBuffers,
            resolvedAt: this.marks.resolvedAt,
            pagedAt: this.marks.pagedAt,
            openedAt: d.marks.openedAt,
            activatedAt,
            firstAt: d.marks.firstAt,
            begunAt: d.marks.begunAt,
            settledAt: d.marks.settledAt,
            loadMs: d.marks.loadMs,
            headHere: d.marks.head.where === 'here' ? 1 : 0,
            headSteps: d.marks.head.steps,
            headLongest: d.marks.head.longest,
          },
        };
      },
    };
  }

  private async copy(m: AskOf<EditorLink, 'copy'>): Promise<{ rows: number }> {
    const t = this.document.table;
    const v = await this.document.view(m.view);
    if (!t || !v.ok) throw new Refusal('gone', 'The view changed before its rows were copied');
    const end = Math.min(v.total, m.end, m.start + MAX_COPY);
    const columns = m.columns.filter((c) => c < t.header.length);
    const rows: (string | null)[][] = [];
    for (let i = m.start; i < end; i++) {
      const r = v.order ? v.order[i] : i;
      rows.push(columns.map((c) => t.cell(r, c)));
    }
    const text = rowsText(
      { names: columns.map((c) => t.header[c]), types: columns.map((c) => t.data.types[c]), rows },
      m.format,
    );
    await vscode.env.clipboard.writeText(text);
    const label = { csv: 'CSV', json: 'JSON', markdown: 'Markdown' }[m.format];
    const cut =
      Math.min(v.total, m.end) - m.start > MAX_COPY
        ? ` (the first ${MAX_COPY.toLocaleString('en-US')} of the selection)`
        : '';
    const what =
      rows.length === 1 && columns.length === 1
        ? 'a cell'
        : `${rows.length.toLocaleString('en-US')} row${rows.length === 1 ? '' : 's'}`;
    vscode.window.setStatusBarMessage(`Copied ${what} as ${label}${cut}`, 4000);
    return { rows: rows.length };
  }

  /** The columns picker: a multi-select quick pick; unchecked columns are hidden. */
  async chooseColumns(): Promise<void> {
    const t = this.document.table;
    if (!t) return;
    const layout = this.state.get<Layout>(this.layoutKey) ?? NO_LAYOUT;
    const hidden = new Set(layout.hidden);
    const items = t.header.map((name, i) => ({
      label: name,
      description: t.data.types[i],
      detail: columnSpec(name, this.document.info?.report.feed)?.doc,
      picked: !hidden.has(name),
    }));
    const picked = await vscode.window.showQuickPick(items, {
      canPickMany: true,
      title: 'Columns to show',
      placeHolder: 'Check the columns to show',
      matchOnDescription: true,
    });
    if (!picked) return;
    const shown = new Set(picked.map((p) => p.label));
    const next: Layout = { ...layout, hidden: t.header.filter((n) => !shown.has(n)) };
    await this.state.update(this.layoutKey, next);
    this.post({ type: 'layout', layout: next });
  }

  dispose(): void {
    this.disposed = true;
    this.pane?.dispose();
    this.link.close();
    for (const s of this.subscriptions) s.dispose();
  }
}

/**
 * Positions start..end (exclusive) of a view (`order` null: file order) as the protocol carries them:
 * whole rows, or the cells of `columns` only (a column past the header's is null).
 */
function rowsWindow(
  t: ExportTable,
  order: ArrayLike<number> | null,
  start: number,
  end: number,
  columns?: readonly number[],
): RowsWindow {
  const rowNumbers: number[] = [];
  const rows: (string | null)[][] = [];
  for (let i = start; i < end; i++) {
    const r = order ? order[i] : i;
    rowNumbers.push(r);
    rows.push(columns ? columns.map((c) => (c < t.header.length ? t.cell(r, c) : null)) : t.row(r));
  }
  return packRows(rowNumbers, rows, columns);
}

function problems(d: ExportDocument): ToWebview {
  const v = d.loaded?.validation;
  return {
    type: 'problems',
    groups: (v?.tallies ?? []).map((t) => ({ rule: t.rule, severity: t.severity, column: t.column, count: t.count })),
    items: (v?.problems ?? []).slice(0, MAX_LISTED).map(wireProblem),
  };
}

/** A validator problem as the webview protocol carries it. */
export function wireProblem({ rule, severity, row, line, column, message }: ValidatorProblem): Problem {
  return { rule, severity, row, line, column, message };
}
