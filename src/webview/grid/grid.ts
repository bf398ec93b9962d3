/**
 * The export editor's webview, put together: toolbar, header, scroller, row details, problems,
 * info bar and the filter editor around one model. It turns what the host says (init, progress,
 * layout, commands, problems to reveal) and what the user does into model changes and requests.
 *
 * Room src/webview/grid: the virtual grid: model, scroller, rows, header, keys, cell formatting.
 * May import: src/core/catalog, src/protocol, src/webview, src/webview/panels.
 */
import { unpackRows, type Cells, type Problem, type ToWebview, type View } from '../../protocol/editor';
import { listenForCopy } from '../panels/copy';
import { DetailPanel } from '../panels/detail';
import { FilterEditor } from '../panels/filterEditor';
import { Header } from './header';
import { post, request, saved } from '../host';
import { InfoBar } from '../panels/infobar';
import { EMPTY_VIEW, Model, type Init } from './model';
import { ProblemsPanel } from '../panels/problems';
import { RowSource } from './rows';
import { Scroller } from './scroller';
import { listenToViewport } from './gridEvents';
import { runCommand, type CommandTarget } from './gridCommands';
import { columnValues, TextMeasure } from './widths';
import { stats } from '../stats';
import { ColumnSummaries } from '../panels/summaries';
import { Toolbar } from '../panels/toolbar';

type Filter = View['filters'][number];

/** What is kept while the webview is hidden: the view and where the user was, per load of the file. */
interface Saved {
  generation: number;
  file: string;
  view: View;
  first: number;
  focus: { row: number; col: number };
}

export class Grid implements CommandTarget {
  readonly model = new Model();
  readonly source = new RowSource(this.model, () => this.scroller.schedule());
  private readonly header = new Header(this.model, {
    sort: (c) => this.toggleSort(c),
    editFilter: (c, anchor) => this.editFilter(c, anchor),
    resized: (done) => this.resized(done),
    fit: (c) => this.fit(c),
  });
  readonly summaries: ColumnSummaries = new ColumnSummaries(this.model, {
    pick: (f) => void this.setFilter(f.column, f),
    layoutChanged: () => {
      this.saveLayout();
      this.toolbar.render();
    },
    focusRows: () => this.scroller.viewport.focus(),
    repaint: () => this.scroller.schedule(),
    waiting: () => this.wanted !== null,
  });
  readonly scroller = new Scroller(this.model, this.source, this.header.element, this.summaries.row.element);
  private readonly filterEditor = new FilterEditor((c, f) => this.setFilter(c, f));
  private readonly problems = new ProblemsPanel((p) => {
    this.movedAway(p.row);
    void this.reveal(p);
  });
  readonly toolbar = new Toolbar(this.model, {
    search: (text) => void this.setView({ ...this.base, search: text }),
    editFilter: (c, anchor) => this.editFilter(c, anchor),
    removeFilter: (c) => void this.setFilter(c, null),
    clearFilters: () => void this.setView({ ...this.base, rowSet: null, filters: [], search: '' }),
    removeRowSet: () => void this.setView({ ...this.base, rowSet: null }),
    showChart: () => post({ type: 'showChart' }),
    chooseColumns: () => post({ type: 'chooseColumns' }),
    toggleDetails: () => (this.detail.isOpen ? this.closeDetails() : this.openDetails()),
    toggleSummaries: () => this.showSummaries(!this.model.summaries),
    toggleSummaryRow: () => this.summaries.showRow(!this.model.summaryRow),
    leave: () => this.scroller.viewport.focus(),
  });
  private readonly info = new InfoBar(this.model, this.problems.toggleButton);
  readonly detail = new DetailPanel(() => this.model.columns, {
    step: (d) => {
      this.model.moveTo({ row: this.model.focus.row + d, col: this.model.focus.col });
      this.scroller.ensureVisible(this.model.focus);
    },
    close: () => this.closeDetails(),
  });
  private readonly measure = new TextMeasure(this.header.element, this.scroller.body);
  private readonly message = document.createElement('div');
  /** The view last asked for, while the host works on it: the next change builds on it. */
  private wanted: View | null = null;
  private viewSeq = 0;
  /** The host revealed a problem (Go to Next Problem) and shows which in the status bar. */
  private hostRevealed = false;

  constructor(app: HTMLElement) {
    const main = document.createElement('div');
    main.className = 'main';
    this.message.className = 'message';
    this.message.hidden = true;
    main.append(this.scroller.viewport, this.detail.element, this.summaries.pane.element);
    app.append(
      this.info.progress,
      this.toolbar.element,
      this.message,
      main,
      this.problems.element,
      this.info.element,
      this.filterEditor.element,
    );
    listenToViewport(this);
    const m = this.model;
    m.on('selection', () => {
      this.scroller.schedule();
      if (this.detail.isOpen) this.showDetailsOfFocus();
      this.summaries.follow();
      this.remember();
    });
    m.on('columns', () => {
      this.header.render();
      this.scroller.resetColumns();
      this.summaries.columnsChanged();
    });
    m.on('view', () => {
      this.header.render();
      this.toolbar.render();
      this.info.render();
      this.scroller.resetRows();
      this.summaries.follow();
    });
    m.on('loading', () => this.info.render());
    listenForCopy(m);
    this.info.render();
  }
  /** Opens (and focuses) or closes the column summaries pane; remembered with the layout. */
  showSummaries(open: boolean): void {
    this.summaries.showPane(open);
  }
  /** The user moved on from the problem the host revealed (to a file row, 1-based, if known): the host is told once. */
  movedAway(row: number | null): void {
    if (!this.hostRevealed) return;
    this.hostRevealed = false;
    post({ type: 'moved', row });
  }
  /** Renders now instead of in the next animation frame (the first rows, before the page is shown). */
  paintNow(): void {
    this.scroller.render();
  }
  /** The host's messages that are not answers to requests (the chart pane's go to the pane, see main.ts). */
  receive(m: Exclude<ToWebview, { id: number } | { type: 'chartPane' }>): void {
    switch (m.type) {
      case 'init':
        stats.arrived();
        this.init(m);
        break;
      case 'progress':
        this.model.loading = { active: true, rows: m.rows, fraction: m.fraction };
        this.model.emit('loading');
        break;
      case 'problems':
        this.problems.update(m);
        break;
      case 'reveal':
        this.hostRevealed = true;
        void this.reveal(m.problem);
        break;
      case 'layout':
        this.model.setLayout(m.layout);
        break;
      case 'command':
        runCommand(this, m.command, m.context);
        break;
      case 'summaryProgress':
        this.summaries.progress(m.column, m.done, m.total);
        break;
      case 'rowSet':
        // when a drill-down's rows came in (epoch ms; the chart bench reads it)
        document.body.dataset.rowSetAt = (performance.timeOrigin + performance.now()).toFixed(0);
        // a chart's drill-down: exactly these rows, in file order
        if (m.first) this.showView({ ...EMPTY_VIEW, rowSet: m.set }, m.set.count, unpackRows(m.first) ?? undefined);
        else void this.setView({ ...EMPTY_VIEW, rowSet: m.set });
        requestAnimationFrame(() => setTimeout(() => (document.body.dataset.rowSetShownAt = String(Date.now()))));
        break;
      case 'failed':
        document.body.dataset.state = 'failed';
        this.model.loading.active = false;
        this.info.render();
        this.message.textContent = m.message;
        this.message.hidden = false;
        break;
    }
  }
  private init(m: Init): void {
    const model = this.model;
    // rows that do not unpack: none (the grid asks for them)
    const first = unpackRows(m.first) ?? { rowNumbers: [], rows: [] };
    const prev = model.meta;
    const sameLoad = prev?.generation === m.generation && prev.file === m.file;
    if (sameLoad && prev.loading && m.loading) {
      // more of the first rows while the file loads (or the same again): the rows on screen stay
      model.meta = m;
      model.loading = { ...model.loading, rows: Math.max(m.rowCount, model.loading.rows) };
      if (m.rowCount !== model.total && !model.filtered && !model.view.sort) {
        // windows cut from fewer rows may be short: ask again
        this.source.clear();
        this.source.put(0, first);
        model.total = m.rowCount;
      }
      this.info.render();
      this.scroller.schedule();
      return;
    }
    if (sameLoad && !prev.loading && !m.loading && prev.rowCount === m.rowCount) {
      // the host tells a new page everything again once it says 'ready': nothing changed here
      model.meta = m;
      this.info.render();
      return;
    }
    model.meta = m;
    model.loading = {
      active: m.loading,
      rows: Math.max(m.rowCount, model.loading.rows),
      fraction: m.loading ? model.loading.fraction : 1,
    };
    this.message.hidden = true;
    document.body.dataset.state = m.loading ? 'partial' : 'ready';
    // windows cut from the first rows may be short: ask again
    this.source.clear();
    if (!sameLoad) {
      this.wanted = null;
      this.viewSeq++;
      model.view = EMPTY_VIEW;
      this.scroller.revealed = null;
      this.sizeColumns(first.rows);
      model.setLayout(m.layout);
    }
    model.total = m.rowCount;
    if (!model.filtered && !model.view.sort) this.source.put(0, first);
    model.emit('view');
    if (!m.loading) stats.wholeShown();
    this.scroller.applyWidths();
    const keep = saved.get<Saved>('grid');
    if (!sameLoad && !m.loading && keep?.generation === m.generation && keep.file === m.file) {
      // shown again after being hidden: back to the same view and place
      void this.setView(keep.view).then(() => {
        model.moveTo(keep.focus);
        this.scroller.scrollToFirst(keep.first);
      });
    }
  }
  remember(): void {
    const meta = this.model.meta;
    if (!meta || meta.loading) return;
    const s: Saved = {
      generation: meta.generation,
      file: meta.file,
      view: this.model.view,
      first: this.scroller.firstRow(),
      focus: this.model.focus,
    };
    saved.set('grid', s);
  }
  /** Asks the host for a view; on success it becomes the grid's rows. Resolves with an error message or null. */
  async setView(view: View): Promise<string | null> {
    const seq = ++this.viewSeq;
    this.wanted = view;
    const t0 = performance.now();
    const r = await request({ type: 'setView', view }, 'view');
    stats.view(r.ms, performance.now() - t0);
    document.body.dataset.viewMs = r.ms.toFixed(1);
    // a later request superseded this one
    if (seq !== this.viewSeq) return null;
    this.wanted = null;
    if (!r.ok) return r.message ?? 'That view cannot be shown';
    this.showView(view, r.total);
    return null;
  }
  /** `view` (of `total` rows) becomes the grid's rows; `first`: its first window, when the host sent it. */
  private showView(view: View, total: number, first?: { rowNumbers: number[]; rows: Cells[] }): void {
    if (first) {
      // no request: a view asked for before is superseded
      this.viewSeq++;
      this.wanted = null;
    }
    const m = this.model;
    m.view = view;
    m.total = total;
    if (first) this.source.put(0, first);
    m.focus = { row: 0, col: m.focus.col };
    m.anchor = { ...m.focus };
    this.scroller.scrollToFirst(0);
    m.emit('view');
    this.remember();
  }
  /** The view the next change starts from. */
  get base(): View {
    return this.wanted ?? this.model.view;
  }
  private toggleSort(column: number): void {
    if (this.model.loading.active) return;
    const s = this.base.sort;
    const sort =
      !s || s.column !== column ? { column, descending: false } : !s.descending ? { column, descending: true } : null;
    void this.setView({ ...this.base, sort });
  }

  setFilter(column: number, filter: Filter | null): Promise<string | null> {
    if (this.model.loading.active) return Promise.resolve('Filters can be set once the whole file is loaded');
    const filters = this.base.filters.filter((f) => f.column !== column);
    return this.setView({ ...this.base, filters: filter ? [...filters, filter] : filters });
  }

  editFilter(column: number, anchor: HTMLElement): void {
    const info = this.model.columns[column];
    if (!info) return;
    const current = this.model.view.filters.find((f) => f.column === column);
    this.filterEditor.open(column, info, current, anchor, () => this.scroller.viewport.focus());
  }

  private resized(done: boolean): void {
    this.scroller.applyWidths();
    if (done) this.saveLayout();
  }
  /** Widths from each column's header and the first rows, for the columns the user has not sized. */
  private sizeColumns(rows: readonly (readonly (string | null)[])[]): void {
    const auto: Record<string, number> = {};
    this.model.columns.forEach((col, c) => (auto[col.name] = this.measure.autoWidth(col, columnValues(rows, c))));
    this.model.auto = auto;
  }
  /** A double-click on a header's edge: the column as wide as its header and the rows here need. */
  private fit(column: number): void {
    const col = this.model.columns[column];
    if (!col) return;
    this.model.widths[col.name] = this.measure.fitWidth(col, columnValues(this.source.cached(2000, column), column));
    this.resized(true);
  }

  headerCell(column: number): HTMLElement | null {
    return this.header.cell(column);
  }

  focusSearch(): void {
    this.toolbar.focusSearch();
  }

  saveLayout(): void {
    post({ type: 'saveLayout', layout: this.model.layout });
  }

  private showDetailsOfFocus(): void {
    const r = this.source.row(this.model.focus.row);
    if (r) this.detail.show(r.number);
  }

  openDetails(): void {
    if (!this.model.meta || this.model.total === 0) return;
    this.detail.element.hidden = false;
    this.showDetailsOfFocus();
    this.scroller.schedule();
  }

  closeDetails(): void {
    this.detail.hide();
    this.scroller.viewport.focus();
  }
  /** Scrolls a problem's row into view in file order and marks the row and the cell. */
  private async reveal(p: Problem): Promise<void> {
    const m = this.model;
    if (!m.meta || p.row === null) return;
    if (m.view !== EMPTY_VIEW && (m.filtered || m.view.sort)) await this.setView(EMPTY_VIEW);
    const row = p.row - 1;
    const col = p.column === null ? -1 : m.columns.findIndex((c) => c.name === p.column);
    this.scroller.revealed = { row, col };
    if (col >= 0 && !m.visible.includes(col)) {
      m.hidden.delete(m.columns[col].name);
      m.setLayout(m.layout);
      this.saveLayout();
    }
    m.moveTo({ row, col: col >= 0 ? col : m.focus.col });
    this.scroller.scrollToFirst(Math.max(0, row - Math.floor(this.scroller.geometry().visible / 3)));
    if (col >= 0) this.scroller.viewport.scrollLeft = Math.max(0, m.left(col) - 64 - 120);
    this.scroller.resetRows();
  }
}
