/**
 * The grid's state in the webview: what the host said about the file, the view asked for (filters,
 * search, sort) and its row count, the column layout, and the focused cell and selection. Parts of
 * the UI listen for the kinds of change they draw.
 */
import type { ColumnInfo, Layout, ToWebview, View } from '../../protocol/editor';

export type Init = Extract<ToWebview, { type: 'init' }>;
export type Change = 'file' | 'view' | 'columns' | 'selection' | 'rows' | 'loading';

/** A position in the grid: a row of the view (0-based) and a column of the file. */
export interface Pos {
  row: number;
  col: number;
}

export const EMPTY_VIEW: View = { filters: [], search: '', sort: null };
export const ROWNUM_W = 64;
const DEFAULT_W: Record<ColumnInfo['type'], number> = {
  string: 170,
  timestamp: 168,
  boolean: 80,
  float: 110,
  integer: 90,
  array: 180,
  json: 260,
};

export class Model {
  meta: Init | null = null;
  view: View = EMPTY_VIEW;
  /** Rows in the view. */
  total = 0;
  loading = { active: false, rows: 0, fraction: 0 };
  /** The column summaries pane is open: saved with the layout. */
  summaries = false;
  /** The summary row under the headers is shown: saved with the layout. */
  summaryRow = false;
  /** Widths the user set (dragged, fitted), by column name: saved with the layout. */
  widths: Record<string, number> = {};
  /** Widths from the columns' header and content (see widths.ts), for the columns the user has not sized. */
  auto: Record<string, number> = {};
  hidden = new Set<string>();
  /** Shown columns, in order. */
  visible: number[] = [];
  focus: Pos = { row: 0, col: 0 };
  anchor: Pos = { row: 0, col: 0 };
  /** The selection spans whole rows (picked on the row numbers). */
  rowsMode = false;
  private readonly listeners = new Map<Change, (() => void)[]>();

  on(what: Change, fn: () => void): void {
    this.listeners.set(what, [...(this.listeners.get(what) ?? []), fn]);
  }

  emit(what: Change): void {
    for (const fn of this.listeners.get(what) ?? []) fn();
  }

  get columns(): ColumnInfo[] {
    return this.meta?.columns ?? [];
  }

  get filtered(): boolean {
    return this.view.filters.length > 0 || this.view.search !== '' || !!this.view.rowSet;
  }

  /** A key naming the current rows: the file's load and the view. */
  get viewKey(): string {
    return `${this.meta?.generation}:${JSON.stringify(this.view)}`;
  }

  width(col: number): number {
    const c = this.columns[col];
    return this.widths[c.name] ?? this.auto[c.name] ?? DEFAULT_W[c.type];
  }

  /** Left edge of a column in the canvas (after the row numbers). */
  left(col: number): number {
    let x = ROWNUM_W;
    for (const c of this.visible) {
      if (c === col) return x;
      x += this.width(c);
    }
    return x;
  }

  get canvasWidth(): number {
    return this.visible.reduce((w, c) => w + this.width(c), ROWNUM_W);
  }

  setLayout(layout: Layout): void {
    this.widths = { ...layout.widths };
    this.hidden = new Set(layout.hidden);
    this.summaries = !!layout.summaries;
    this.summaryRow = !!layout.summaryRow;
    this.visible = this.columns.map((_, i) => i).filter((i) => !this.hidden.has(this.columns[i].name));
    if (this.visible.length === 0 && this.columns.length > 0) {
      // never hide everything
      this.hidden.clear();
      this.visible = this.columns.map((_, i) => i);
    }
    if (!this.visible.includes(this.focus.col)) this.focus = { row: this.focus.row, col: this.visible[0] ?? 0 };
    this.anchor = { ...this.focus };
    this.emit('columns');
  }

  get layout(): Layout {
    return {
      widths: this.widths,
      hidden: [...this.hidden],
      ...(this.summaries ? { summaries: true } : {}),
      ...(this.summaryRow ? { summaryRow: true } : {}),
    };
  }

  /** Moves the focused cell; with `extend` the selection grows from the anchor. */
  moveTo(pos: Pos, extend = false, rows = false): void {
    const row = Math.max(0, Math.min(this.total - 1, pos.row));
    const col = this.visible.includes(pos.col) ? pos.col : this.focus.col;
    this.focus = { row, col };
    if (!extend) {
      this.anchor = { ...this.focus };
      this.rowsMode = rows;
    }
    this.emit('selection');
  }

  /** The selected block: view rows [top, bottom] and the shown columns in it, in order. */
  selection(): { top: number; bottom: number; columns: number[] } {
    const top = Math.min(this.anchor.row, this.focus.row);
    const bottom = Math.max(this.anchor.row, this.focus.row);
    if (this.rowsMode) return { top, bottom, columns: [...this.visible] };
    const a = this.visible.indexOf(this.anchor.col);
    const b = this.visible.indexOf(this.focus.col);
    return { top, bottom, columns: this.visible.slice(Math.min(a, b), Math.max(a, b) + 1) };
  }

  isSelected(row: number, col: number): boolean {
    const s = this.selection();
    if (row < s.top || row > s.bottom) return false;
    return this.rowsMode || s.columns.includes(col);
  }
}
