/**
 * The sticky header: per shown column its type badge, name, sort arrow and filter button, and a
 * handle on its right edge to drag its width (a double-click on it fits the column to its content).
 * Its context menu is VS Code's (webview/context).
 */
import { icon, typeBadge } from '../icons';
import { ROWNUM_W, type Model } from './model';

const MIN_W = 40;

export interface HeaderActions {
  sort(column: number): void;
  editFilter(column: number, anchor: HTMLElement): void;
  /** A column was resized (live) or the drag ended (done). */
  resized(done: boolean): void;
  /** Fit a column to its header and content (a double-click on its edge). */
  fit(column: number): void;
}

export class Header {
  readonly element = document.createElement('div');
  /** What the header shows (columns, sort, filters), to skip drawing the same again. */
  private drawn = '';

  constructor(
    private readonly model: Model,
    private readonly actions: HeaderActions,
  ) {
    this.element.className = 'header row';
    this.element.setAttribute('role', 'row');
    this.element.setAttribute('aria-rowindex', '1');
  }

  /** The header cell of a column, if shown. */
  cell(column: number): HTMLElement | null {
    return this.element.querySelector<HTMLElement>(`.head[data-column="${column}"]`);
  }

  render(): void {
    const m = this.model;
    const drawn = JSON.stringify([
      m.meta?.generation,
      m.meta?.file,
      m.columns.length,
      m.visible,
      m.view.sort,
      m.view.filters.map((f) => f.column),
    ]);
    if (drawn === this.drawn) return;
    this.drawn = drawn;
    const corner = document.createElement('div');
    corner.className = 'cell rownum corner';
    corner.style.width = `${ROWNUM_W}px`;
    corner.setAttribute('role', 'columnheader');
    corner.textContent = '#';
    const filtered = new Set(m.view.filters.map((f) => f.column));
    const cells = m.visible.map((c, k) => {
      const col = m.columns[c];
      const h = document.createElement('div');
      h.className = `cell head${col.known ? '' : ' unknown'}${filtered.has(c) ? ' filtered' : ''}`;
      h.style.width = `var(--c${c})`;
      h.title = `${col.name} (${col.type})\n${col.doc}`;
      h.setAttribute('role', 'columnheader');
      h.setAttribute('aria-colindex', String(k + 2));
      h.dataset.column = String(c);
      const sort = m.view.sort?.column === c ? m.view.sort : null;
      h.setAttribute('aria-sort', sort ? (sort.descending ? 'descending' : 'ascending') : 'none');
      h.dataset.vscodeContext = JSON.stringify({
        webviewSection: 'header',
        column: c,
        preventDefaultContextMenuItems: true,
      });
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = col.name;
      const arrow = document.createElement('span');
      arrow.className = 'sort';
      if (sort) arrow.append(icon(sort.descending ? 'down' : 'up'));
      const filter = document.createElement('button');
      filter.className = 'filter-button';
      filter.title = `Filter ${col.name}`;
      filter.setAttribute('aria-label', `Filter ${col.name}`);
      filter.append(icon('filter'));
      filter.addEventListener('click', (e) => {
        e.stopPropagation();
        this.actions.editFilter(c, h);
      });
      const grip = document.createElement('div');
      grip.className = 'resize';
      grip.setAttribute('aria-hidden', 'true');
      grip.addEventListener('pointerdown', (e) => this.drag(e, c, grip));
      grip.addEventListener('click', (e) => e.stopPropagation());
      grip.addEventListener('dblclick', (e) => {
        e.stopPropagation();
        this.actions.fit(c);
      });
      grip.title = 'Drag to resize; double-click to fit';
      h.append(typeBadge(col.type), name, arrow, filter, grip);
      h.addEventListener('click', () => this.actions.sort(c));
      return h;
    });
    this.element.replaceChildren(corner, ...cells);
  }

  /** Drags a column's right edge; the width follows the pointer. */
  private drag(e: PointerEvent, column: number, grip: HTMLElement): void {
    e.preventDefault();
    e.stopPropagation();
    const name = this.model.columns[column].name;
    const startX = e.clientX;
    const startW = this.model.width(column);
    grip.setPointerCapture(e.pointerId);
    grip.classList.add('active');
    const move = (ev: PointerEvent) => {
      this.model.widths[name] = Math.max(MIN_W, Math.round(startW + ev.clientX - startX));
      this.actions.resized(false);
    };
    const up = () => {
      grip.removeEventListener('pointermove', move);
      grip.removeEventListener('pointerup', up);
      grip.classList.remove('active');
      this.actions.resized(true);
    };
    grip.addEventListener('pointermove', move);
    grip.addEventListener('pointerup', up);
  }
}
