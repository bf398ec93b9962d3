/**
 * The export editor's webview, put together: toolbar, header, scroller, row details, problems,
 * info bar and the filter editor around one model. It turns what the host says (init, progress,
 * layout, commands, problems to reveal) and what the user does into model changes and requests.
 *
 * Room src/webview/grid: the virtual grid: model, scroller, rows, header, keys, cell formatting.
 * May import: src/core/catalog, src/protocol, src/webview, src/webview/panels.
 */
import type { Command, Problem, ToWebview, View } from '../../protocol/editor';
import { copySelection, listenForCopy } from '../panels/copy';
import { DetailPanel } from '../panels/detail';
import { FilterEditor } from '../panels/filterEditor';
import { Header } from './header';
import { post, request, saved } from '../host';
import { InfoBar } from '../panels/infobar';
import { handleGridKey } from './keyboard';
import { EMPTY_VIEW, Model, type Init } from './model';
import { ProblemsPanel } from '../panels/problems';
import { RowSource } from './rows';
import { Scroller } from './scroller';
import { stats } from '../stats';
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

export class Grid {
  readonly model = new Model();
  private readonly source = new RowSource(this.model, () => this.scroller.schedule());
  private readonly header = new Header(this.model, {
    sort: (c) => this.toggleSort(c),
    editFilter: (c, anchor) => this.editFilter(c, anchor),
    resized: (done) => this.resized(done),
  });
  private readonly scroller = new Scroller(this.model, this.source, this.header.element);
  private readonly filterEditor = new FilterEditor((c, f) => this.setFilter(c, f));
  private readonly problems = new ProblemsPanel((p) => void this.reveal(p));
  private readonly toolbar = new Toolbar(this.model, {
    search: (text) => void this.setView({ ...this.base, search: text }),
    editFilter: (c, anchor) => this.editFilter(c, anchor),
    removeFilter: (c) => void this.setFilter(c, null),
    clearFilters: () => void this.setView({ ...this.base, filters: [], search: '' }),
    chooseColumns: () => post({ type: 'chooseColumns' }),
    toggleDetails: () => (this.detail.isOpen ? this.closeDetails() : this.openDetails()),
    leave: () => this.scroller.viewport.focus(),
  });
  private readonly info = new InfoBar(this.model, this.problems.toggleButton);
  private readonly detail = new DetailPanel(() => this.model.columns, {
    step: (d) => {
      this.model.moveTo({ row: this.model.focus.row + d, col: this.model.focus.col });
      this.scroller.ensureVisible(this.model.focus);
    },
    close: () => this.closeDetails(),
  });
  private readonly message = document.createElement('div');
  /** The view last asked for, while the host works on it: the next change builds on it. */
  private wanted: View | null = null;
  private viewSeq = 0;

  constructor(app: HTMLElement) {
    const main = document.createElement('div');
    main.className = 'main';
    this.message.className = 'message';
    this.message.hidden = true;
    main.append(this.scroller.viewport, this.detail.element);
    app.append(
      this.info.progress,
      this.toolbar.element,
      this.message,
      main,
      this.problems.element,
      this.info.element,
      this.filterEditor.element,
    );
    this.listen();
    const m = this.model;
    m.on('selection', () => {
      this.scroller.schedule();
      if (this.detail.isOpen) this.showDetailsOfFocus();
      this.remember();
    });
    m.on('columns', () => {
      this.header.render();
      this.scroller.resetColumns();
    });
    m.on('view', () => {
      this.header.render();
      this.toolbar.render();
      this.info.render();
      this.scroller.resetRows();
    });
    m.on('loading', () => this.info.render());
    listenForCopy(m);
    this.info.render();
  }

  private listen(): void {
    const v = this.scroller.viewport;
    v.addEventListener('keydown', (e) => {
      const handled = handleGridKey(e, this.model, {
        page: () => this.scroller.geometry().visible,
        moved: () => this.scroller.ensureVisible(this.model.focus),
        details: () => this.openDetails(),
        find: () => this.toolbar.focusSearch(),
        escape: () => (this.detail.isOpen ? this.closeDetails() : this.model.moveTo(this.model.focus)),
      });
      if (handled) {
        e.preventDefault();
        e.stopPropagation();
      }
    });
    // Ctrl+F from anywhere in the editor
    document.addEventListener('keydown', (e) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'f') {
        e.preventDefault();
        this.toolbar.focusSearch();
      }
    });
    v.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      const pos = this.scroller.cellAt(e.target);
      if (!pos) return;
      if (pos.col < 0) {
        // a row number: whole rows
        this.model.moveTo({ row: pos.row, col: this.model.focus.col }, e.shiftKey && this.model.rowsMode, true);
      } else this.model.moveTo(pos, e.shiftKey);
      v.focus();
    });
    let timer = 0;
    v.addEventListener('scroll', () => {
      clearTimeout(timer);
      timer = window.setTimeout(() => this.remember(), 300);
    });
    v.addEventListener('dblclick', (e) => {
      if (this.scroller.cellAt(e.target)) this.openDetails();
    });
    v.addEventListener('contextmenu', (e) => {
      const pos = this.scroller.cellAt(e.target);
      const cell = (e.target as HTMLElement).closest<HTMLElement>('.body .cell');
      if (!pos || !cell) return;
      if (!this.model.isSelected(pos.row, pos.col) || (pos.col < 0 && !this.model.rowsMode)) {
        if (pos.col < 0) this.model.moveTo({ row: pos.row, col: this.model.focus.col }, false, true);
        else this.model.moveTo(pos);
      }
      // VS Code's menu reads this context from the clicked element (menus: webview/context)
      cell.dataset.vscodeContext = JSON.stringify({
        webviewSection: pos.col < 0 ? 'rownum' : 'cell',
        row: pos.row,
        column: pos.col,
        preventDefaultContextMenuItems: true,
      });
    });
  }

  /** Renders now instead of in the next animation frame (the first rows, before the page is shown). */
  paintNow(): void {
    this.scroller.render();
  }

  /** The host's messages that are not answers to requests. */
  receive(m: Exclude<ToWebview, { id: number }>): void {
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
        void this.reveal(m.problem);
        break;
      case 'layout':
        this.model.setLayout(m.layout);
        break;
      case 'command':
        this.command(m.command, m.context);
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
    const prev = model.meta;
    const sameLoad = prev?.generation === m.generation && prev.file === m.file;
    if (sameLoad && prev.loading && m.loading) {
      // more of the first rows while the file loads (or the same again): the rows on screen stay
      model.meta = m;
      model.loading = { ...model.loading, rows: Math.max(m.rowCount, model.loading.rows) };
      if (m.rowCount !== model.total && !model.filtered && !model.view.sort) {
        // windows cut from fewer rows may be short: ask again
        this.source.clear();
        this.source.put(0, m.first);
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
      model.setLayout(m.layout);
    }
    model.total = m.rowCount;
    if (!model.filtered && !model.view.sort) this.source.put(0, m.first);
    model.emit('view');
    this.scroller.applyWidths();
    const keep = saved.get<Saved>();
    if (!sameLoad && !m.loading && keep?.generation === m.generation && keep.file === m.file) {
      // shown again after being hidden: back to the same view and place
      void this.setView(keep.view).then(() => {
        model.moveTo(keep.focus);
        this.scroller.scrollToFirst(keep.first);
      });
    }
  }

  private remember(): void {
    const meta = this.model.meta;
    if (!meta || meta.loading) return;
    const s: Saved = {
      generation: meta.generation,
      file: meta.file,
      view: this.model.view,
      first: this.scroller.firstRow(),
      focus: this.model.focus,
    };
    saved.set(s);
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
    const m = this.model;
    m.view = view;
    m.total = r.total;
    m.focus = { row: 0, col: m.focus.col };
    m.anchor = { ...m.focus };
    this.scroller.scrollToFirst(0);
    m.emit('view');
    this.remember();
    return null;
  }

  /** The view the next change starts from. */
  private get base(): View {
    return this.wanted ?? this.model.view;
  }

  private toggleSort(column: number): void {
    if (this.model.loading.active) return;
    const s = this.base.sort;
    const sort =
      !s || s.column !== column ? { column, descending: false } : !s.descending ? { column, descending: true } : null;
    void this.setView({ ...this.base, sort });
  }

  private setFilter(column: number, filter: Filter | null): Promise<string | null> {
    if (this.model.loading.active) return Promise.resolve('Filters can be set once the whole file is loaded');
    const filters = this.base.filters.filter((f) => f.column !== column);
    return this.setView({ ...this.base, filters: filter ? [...filters, filter] : filters });
  }

  private editFilter(column: number, anchor: HTMLElement): void {
    const info = this.model.columns[column];
    if (!info) return;
    const current = this.model.view.filters.find((f) => f.column === column);
    this.filterEditor.open(column, info, current, anchor, () => this.scroller.viewport.focus());
  }

  private resized(done: boolean): void {
    this.scroller.applyWidths();
    if (done) this.saveLayout();
  }

  private saveLayout(): void {
    post({ type: 'saveLayout', layout: this.model.layout });
  }

  private showDetailsOfFocus(): void {
    const r = this.source.row(this.model.focus.row);
    if (r) this.detail.show(r.number);
  }

  private openDetails(): void {
    if (!this.model.meta || this.model.total === 0) return;
    this.detail.element.hidden = false;
    this.showDetailsOfFocus();
    this.scroller.schedule();
  }

  private closeDetails(): void {
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

  /** A command from VS Code's context menu or palette; `context` tells which cell or column was clicked. */
  private command(command: Command, context: { row?: number; column?: number }): void {
    const m = this.model;
    const column = context.column !== undefined && context.column >= 0 ? context.column : m.focus.col;
    switch (command) {
      case 'copyCsv':
      case 'copyJson':
      case 'copyMarkdown':
        void copySelection(m, command === 'copyCsv' ? 'csv' : command === 'copyJson' ? 'json' : 'markdown');
        break;
      case 'showDetails':
        this.openDetails();
        break;
      case 'filterToValue': {
        const r = this.source.row(m.focus.row);
        const value = r?.cells[column];
        if (value === undefined) break;
        void this.setFilter(
          column,
          value === null ? { column, op: 'null' } : { column, op: 'equals', values: [value] },
        );
        break;
      }
      case 'editFilter': {
        const anchor = this.header.cell(column);
        if (anchor) this.editFilter(column, anchor);
        break;
      }
      case 'sortAscending':
      case 'sortDescending':
        void this.setView({ ...this.base, sort: { column, descending: command === 'sortDescending' } });
        break;
      case 'hideColumn':
        if (m.visible.length > 1) {
          m.hidden.add(m.columns[column].name);
          m.setLayout(m.layout);
          this.saveLayout();
        }
        break;
      case 'showAllColumns':
        m.hidden.clear();
        m.setLayout(m.layout);
        this.saveLayout();
        break;
      case 'clearFilters':
        void this.setView({ ...this.base, filters: [], search: '' });
        break;
      case 'find':
        this.toolbar.focusSearch();
        break;
    }
  }
}
