/**
 * The grid's own virtual scroller. The canvas is never taller than MAX_CANVAS pixels: a scroll
 * position maps to a row proportionally beyond that, so ten million rows scroll like ten thousand.
 * Only the rows in sight exist in the DOM, and of each row only the columns in or near sight (a
 * spacer stands for the ones to their left): 44 columns × 40 rows would be ~1,800 cells to style,
 * lay out and paint, most of them off to the right. Row elements are reused from frame to frame: a
 * row element is refilled only when the row it shows, or the span of columns, changes.
 */
import { renderCell } from './cellView';
import { ROWNUM_W, type Model, type Pos } from './model';
import type { RowSource } from './rows';
import { stats } from '../stats';
import { SUMMARY_ROW_H } from '../panels/summaryRow';

export const ROW_H = 22;
const MAX_CANVAS = 8_000_000;
/** How far beyond each side of the viewport columns are rendered, so short horizontal scrolls need no refill. */
const OVERSCAN_X = 320;
/** How far beyond each side of the viewport the columns asked for reach, so most horizontal scrolls need no request. */
const FETCH_X = 800;

interface RowElement {
  el: HTMLElement;
  num: HTMLElement;
  /** Takes the room of the columns left of the rendered ones. */
  pad: HTMLElement;
  /** Cells of the rendered columns (the span's `from`..`to`). */
  cells: HTMLElement[];
  /** The span of columns the cells are set up for. */
  span: string;
  /** What the element shows: view, row, whether its data was there, and the span of columns. */
  key: string;
}

/** The shown columns rendered: positions from..to (exclusive) in model.visible, and the width left of them. */
interface ColumnSpan {
  from: number;
  to: number;
  left: number;
  key: string;
}

export class Scroller {
  readonly viewport = document.createElement('div');
  readonly canvas = document.createElement('div');
  readonly body = document.createElement('div');
  private pool: RowElement[] = [];
  /** A row scrolled to on purpose: exact even where pixels are coarser than rows. */
  private pinned: { first: number; scrollTop: number } | null = null;
  /** A problem's row (in the file) and column, marked until the view changes. */
  revealed: { row: number; col: number } | null = null;
  private scheduled = false;

  constructor(
    private readonly model: Model,
    private readonly source: RowSource,
    header: HTMLElement,
    /** A row under the header (the summary row), when shown; it takes SUMMARY_ROW_H pixels. */
    private readonly below: HTMLElement | null = null,
  ) {
    this.viewport.className = 'viewport';
    this.viewport.tabIndex = 0;
    this.viewport.setAttribute('role', 'grid');
    this.viewport.setAttribute('aria-multiselectable', 'true');
    this.canvas.className = 'canvas';
    this.body.className = 'body';
    this.body.setAttribute('role', 'rowgroup');
    this.canvas.append(header, ...(below ? [below] : []), this.body);
    this.viewport.append(this.canvas);
    this.viewport.addEventListener('scroll', () => this.schedule());
    new ResizeObserver(() => this.schedule()).observe(this.viewport);
  }

  /** Renders in the next animation frame (at most once per frame). */
  schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.render();
    });
  }

  /** Pixels above the first row: the header, and the summary row when it is shown. */
  private top(): number {
    return ROW_H + (this.below && !this.below.hidden ? SUMMARY_ROW_H : 0);
  }

  private canvasHeight(): number {
    return Math.min(this.model.total * ROW_H, MAX_CANVAS);
  }

  /** How rows map to scroll positions: 1:1 up to MAX_CANVAS pixels, proportionally beyond. */
  geometry() {
    const visible = Math.max(1, Math.floor((this.viewport.clientHeight - this.top()) / ROW_H));
    const maxFirst = Math.max(0, this.model.total - visible);
    const range = this.canvasHeight() + this.top() - this.viewport.clientHeight;
    const scaled = this.model.total * ROW_H > MAX_CANVAS && range > 0;
    return { visible, maxFirst, range, scaled };
  }

  /** The first row in sight for the current scroll position. */
  firstRow(): number {
    const top = this.viewport.scrollTop;
    if (this.pinned && Math.abs(this.pinned.scrollTop - top) < 1) return this.pinned.first;
    this.pinned = null;
    const g = this.geometry();
    return Math.min(g.maxFirst, g.scaled ? Math.round((top / g.range) * g.maxFirst) : Math.floor(top / ROW_H));
  }

  /** Scrolls so that `first` is the first row in sight. */
  scrollToFirst(first: number): void {
    const g = this.geometry();
    first = Math.max(0, Math.min(first, g.maxFirst));
    this.viewport.scrollTop = g.scaled ? Math.ceil((first / Math.max(1, g.maxFirst)) * g.range) : first * ROW_H;
    this.pinned = { first, scrollTop: this.viewport.scrollTop };
    this.schedule();
  }

  /** Scrolls the least needed to bring a cell into sight. */
  ensureVisible(pos: Pos): void {
    const { visible } = this.geometry();
    const first = this.firstRow();
    if (pos.row < first) this.scrollToFirst(pos.row);
    else if (pos.row >= first + visible) this.scrollToFirst(pos.row - visible + 1);
    const left = this.model.left(pos.col) - ROWNUM_W;
    const width = this.model.width(pos.col);
    const room = this.viewport.clientWidth - ROWNUM_W;
    if (left < this.viewport.scrollLeft) this.viewport.scrollLeft = left;
    else if (left + width > this.viewport.scrollLeft + room) {
      // to the first column edge that brings the cell whole into sight (scrolling rests on column edges)
      const need = left + width - room;
      const edge = this.model.visible.map((c) => this.model.left(c) - ROWNUM_W).find((x) => x >= need);
      this.viewport.scrollLeft = Math.min(left, edge ?? need);
    }
    this.schedule();
  }

  /** Column widths as custom properties: a resize touches one property, not every cell. */
  applyWidths(): void {
    this.model.visible.forEach((c) => this.canvas.style.setProperty(`--c${c}`, `${this.model.width(c)}px`));
    const w = `${this.model.canvasWidth}px`;
    this.canvas.style.width = w;
    this.body.style.width = w;
    // other widths can bring other columns into sight
    this.schedule();
  }

  /** The shown columns that reach into the viewport widened by OVERSCAN_X on both sides (at least one). */
  private columnSpan(margin = OVERSCAN_X): ColumnSpan {
    const m = this.model;
    const x0 = this.viewport.scrollLeft - margin;
    const x1 = this.viewport.scrollLeft + this.viewport.clientWidth - ROWNUM_W + margin;
    let from = -1;
    let to = m.visible.length;
    let left = 0;
    let x = 0;
    for (let k = 0; k < m.visible.length; k++) {
      const w = m.width(m.visible[k]);
      if (from < 0 && x + w > x0) {
        from = k;
        left = x;
      }
      if (from >= 0 && x >= x1 && k > from) {
        to = k;
        break;
      }
      x += w;
    }
    if (from < 0) {
      // scrolled past every column (the widths just shrank): the last one
      from = Math.max(0, m.visible.length - 1);
      left = m.visible.length ? x - m.width(m.visible[from]) : 0;
    }
    return { from, to, left, key: `${from}:${to}:${left}` };
  }

  /** Sets up a row element's cells for a span of columns; their contents are filled after. */
  private placeCells(re: RowElement, span: ColumnSpan): void {
    re.span = span.key;
    re.pad.style.width = `${span.left}px`;
    const n = span.to - span.from;
    while (re.cells.length > n) re.cells.pop()!.remove();
    while (re.cells.length < n) {
      const cell = document.createElement('div');
      cell.setAttribute('role', 'gridcell');
      re.el.append(cell);
      re.cells.push(cell);
    }
    re.cells.forEach((cell, j) => {
      const c = this.model.visible[span.from + j];
      if (cell.dataset.col === String(c)) return;
      cell.style.width = `var(--c${c})`;
      cell.setAttribute('aria-colindex', String(span.from + j + 2));
      cell.dataset.col = String(c);
    });
  }

  /** The columns changed (shown, hidden): row elements are rebuilt with the new cells. */
  resetColumns(): void {
    this.pool = [];
    this.body.replaceChildren();
    this.applyWidths();
    this.viewport.setAttribute('aria-colcount', String(this.model.visible.length + 1));
    this.schedule();
  }

  /** The rows changed (another view, reloaded file): every element is refilled now, so no frame shows the old rows. */
  resetRows(): void {
    for (const r of this.pool) r.key = '';
    this.render();
  }

  private newRow(): RowElement {
    const el = document.createElement('div');
    el.className = 'row';
    el.setAttribute('role', 'row');
    const num = document.createElement('div');
    num.className = 'cell rownum';
    num.setAttribute('role', 'rowheader');
    const pad = document.createElement('div');
    pad.className = 'pad';
    el.append(num, pad);
    return { el, num, pad, cells: [], span: '', key: '' };
  }

  render(): void {
    const t0 = performance.now();
    this.renderRows();
    stats.renderTime(performance.now() - t0);
  }

  private renderRows(): void {
    const m = this.model;
    if (!m.meta) return;
    this.canvas.style.height = `${this.canvasHeight() + this.top()}px`;
    this.body.style.top = `${this.top()}px`;
    this.viewport.setAttribute('aria-rowcount', String(m.total + 1));
    const first = this.firstRow();
    const count = Math.max(0, Math.min(m.total - first, Math.ceil(this.viewport.clientHeight / ROW_H) + 1));
    while (this.pool.length < count) this.pool.push(this.newRow());
    const shown = this.body.children.length;
    if (shown > count) for (let k = shown - 1; k >= count; k--) this.pool[k].el.remove();
    for (let k = shown; k < count; k++) this.body.append(this.pool[k].el);
    const sel = m.selection();
    const selCols = new Set(sel.columns);
    const viewKey = m.viewKey;
    const span = this.columnSpan();
    const shownCols = m.visible.slice(span.from, span.to);
    const near = this.columnSpan(FETCH_X);
    // whole rows when the columns near the view are all of them
    this.source.columns = near.to - near.from >= m.columns.length ? null : m.visible.slice(near.from, near.to);
    let painted = false;
    let missing = false;
    let focusedId = '';
    for (let k = 0; k < count; k++) {
      const i = first + k;
      const r = this.source.row(i, shownCols);
      if (!r) missing = true;
      const re = this.pool[k];
      const key = `${viewKey}|${i}|${r ? 1 : 0}|${span.key}`;
      if (re.key !== key) {
        re.key = key;
        if (re.span !== span.key) this.placeCells(re, span);
        re.el.dataset.index = String(i);
        re.el.setAttribute('aria-rowindex', String(i + 2));
        re.num.textContent = r ? String(r.number + 1) : '';
        shownCols.forEach((c, j) => {
          const cell = re.cells[j];
          if (r) renderCell(cell, r.cells[c] ?? null, m.columns[c]);
          else {
            cell.className = 'cell pending';
            cell.textContent = '';
          }
        });
      }
      if (r) painted = true;
      const rowSelected = i >= sel.top && i <= sel.bottom;
      const marked = this.revealed !== null && r !== null && this.revealed.row === r.number;
      re.el.classList.toggle('odd', i % 2 === 1);
      re.el.classList.toggle('selected', rowSelected && m.rowsMode);
      re.el.classList.toggle('revealed', marked);
      re.el.setAttribute('aria-selected', String(rowSelected && m.rowsMode));
      shownCols.forEach((c, j) => {
        const cell = re.cells[j];
        const focused = i === m.focus.row && c === m.focus.col;
        cell.classList.toggle(
          'selected',
          rowSelected && selCols.has(c) && !(focused && sel.top === sel.bottom && selCols.size === 1),
        );
        cell.classList.toggle('focused', focused);
        cell.classList.toggle('revealed-cell', marked && this.revealed!.col === c);
        if (focused) {
          cell.id = 'focused-cell';
          focusedId = cell.id;
        } else if (cell.id) cell.removeAttribute('id');
      });
    }
    if (focusedId) this.viewport.setAttribute('aria-activedescendant', focusedId);
    else this.viewport.removeAttribute('aria-activedescendant');
    if (painted) stats.painted();
    // the next window before it is needed, once the rows on screen are here (never ahead of them)
    if (!missing && first + count < m.total) this.source.row(first + count, shownCols, true);
  }

  /** The grid position of an element inside a body cell, or null. */
  cellAt(target: EventTarget | null): Pos | null {
    const cell = (target as HTMLElement | null)?.closest?.('.body .cell');
    const row = cell?.closest<HTMLElement>('.row');
    if (!cell || !row || row.dataset.index === undefined) return null;
    const col = (cell as HTMLElement).dataset.col;
    return { row: Number(row.dataset.index), col: col === undefined ? -1 : Number(col) };
  }
}
