/**
 * The export grid. A scroller of its own: the canvas is never taller than MAX_CANVAS pixels, and a
 * scroll position maps to a row index proportionally, so ten million rows scroll like ten thousand.
 * Only the visible rows exist in the DOM; they are pulled from the host in windows of WINDOW rows
 * and kept in a small cache.
 */
import { ToWebview, type ColumnInfo, type Problem, type Sort, type ToHost } from '../protocol/editor';
import { renderCell } from './format';
import { ProblemsPanel } from './problems';

declare function acquireVsCodeApi(): { postMessage(m: ToHost): void };

const vscode = acquireVsCodeApi();
const ROW_H = 22;
const WINDOW = 100;
const CACHE_WINDOWS = 40;
const MAX_CANVAS = 8_000_000;
const COL_W: Record<ColumnInfo['type'], number> = { string: 170, timestamp: 160, boolean: 70, float: 100, integer: 80, array: 180, json: 260 };
const TYPE_ICON: Record<ColumnInfo['type'], string> = { string: 'Aa', timestamp: 'ts', boolean: '✓✗', float: '#.#', integer: '#', array: '[ ]', json: '{ }' };

type Init = Extract<ToWebview, { type: 'init' }>;
type Window = { rowNumbers: number[]; rows: (string | null)[][] };

let meta: Init | null = null;
let sort: Sort | null = null;
/** The revealed problem's row (file order) and column index. */
let highlight: { row: number; column: number } | null = null;
let nextId = 1;
const windows = new Map<string, Window>();
const pending = new Map<number, string>();

const app = document.getElementById('app')!;
const viewport = el('div', 'viewport');
const canvas = el('div', 'canvas');
const header = el('div', 'header row');
const body = el('div', 'body');
const info = el('div', 'infobar');
const problemsPanel = new ProblemsPanel((p) => reveal(p));
canvas.append(header, body);
viewport.append(canvas);
app.append(viewport, problemsPanel.element, info);

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.className = className;
  return e;
}

const sortKey = () => (sort ? `${sort.column}:${sort.descending ? 'd' : 'a'}` : 'file');

function columnsWidth(): number {
  return 64 + meta!.columns.reduce((w, c) => w + COL_W[c.type], 0);
}

function canvasHeight(): number {
  return Math.min(meta!.rowCount * ROW_H, MAX_CANVAS);
}

/** How rows map to scroll positions: 1:1 up to MAX_CANVAS pixels, proportionally beyond. */
function geometry() {
  const visible = Math.max(1, Math.floor((viewport.clientHeight - ROW_H) / ROW_H));
  const maxFirst = Math.max(0, meta!.rowCount - visible);
  const range = canvasHeight() + ROW_H - viewport.clientHeight;
  const scaled = meta!.rowCount * ROW_H > MAX_CANVAS && range > 0;
  return { visible, maxFirst, range, scaled };
}

/** The first visible row for the current scroll position. */
function firstRow(): number {
  const g = geometry();
  return Math.min(g.maxFirst, g.scaled ? Math.round((viewport.scrollTop / g.range) * g.maxFirst) : Math.floor(viewport.scrollTop / ROW_H));
}

/** The scroll position that shows `first` as the first row (the inverse of firstRow). */
function scrollTopFor(first: number): number {
  const g = geometry();
  return g.scaled ? Math.ceil((first / Math.max(1, g.maxFirst)) * g.range) : first * ROW_H;
}

function buildHeader(): void {
  header.replaceChildren();
  const corner = el('div', 'cell rownum');
  corner.textContent = '#';
  header.append(corner);
  meta!.columns.forEach((c, i) => {
    const h = el('div', `cell head t-${c.type}${c.known ? '' : ' unknown'}`);
    h.style.width = `${COL_W[c.type]}px`;
    h.title = `${c.name} (${c.type}) — ${c.doc}`;
    h.setAttribute('role', 'columnheader');
    h.dataset.column = String(i);
    const icon = el('span', 'icon');
    icon.textContent = TYPE_ICON[c.type];
    const name = el('span', 'name');
    name.textContent = c.name;
    const arrow = el('span', 'sort');
    arrow.textContent = sort && sort.column === i ? (sort.descending ? '▼' : '▲') : '';
    h.append(icon, name, arrow);
    h.addEventListener('click', () => toggleSort(i));
    header.append(h);
  });
  header.style.width = `${columnsWidth()}px`;
}

function toggleSort(column: number): void {
  if (!sort || sort.column !== column) sort = { column, descending: false };
  else if (!sort.descending) sort = { column, descending: true };
  else sort = null;
  windows.clear();
  pending.clear();
  buildHeader();
  viewport.scrollTop = 0;
  render();
}

/** Scrolls a problem's row into view in file order and marks the row and the cell. */
function reveal(p: Problem): void {
  if (!meta || p.row === null) return;
  if (sort) {
    sort = null;
    windows.clear();
    pending.clear();
    buildHeader();
  }
  const row = p.row - 1;
  const column = p.column === null ? -1 : meta.columns.findIndex((c) => c.name === p.column);
  highlight = { row, column };
  const { visible, maxFirst } = geometry();
  viewport.scrollTop = scrollTopFor(Math.max(0, Math.min(row - Math.floor(visible / 3), maxFirst)));
  if (column >= 0) {
    const left = meta.columns.slice(0, column).reduce((w, c) => w + COL_W[c.type], 0);
    viewport.scrollLeft = Math.max(0, left - 120);
  }
  render();
}

function request(win: number): void {
  const key = `${sortKey()}#${win}`;
  if (windows.has(key) || [...pending.values()].includes(key)) return;
  const id = nextId++;
  pending.set(id, key);
  vscode.postMessage({ type: 'getRows', id, start: win * WINDOW, count: WINDOW, sort });
}

function rowAt(i: number): { number: number; cells: (string | null)[] } | null {
  const w = windows.get(`${sortKey()}#${Math.floor(i / WINDOW)}`);
  if (!w) return null;
  const k = i % WINDOW;
  return k < w.rows.length ? { number: w.rowNumbers[k], cells: w.rows[k] } : null;
}

function render(): void {
  if (!meta) return;
  canvas.style.height = `${canvasHeight() + ROW_H}px`;
  canvas.style.width = `${columnsWidth()}px`;
  const first = firstRow();
  const count = Math.min(meta.rowCount - first, Math.ceil(viewport.clientHeight / ROW_H) + 1);
  const lines: HTMLElement[] = [];
  for (let i = first; i < first + count; i++) {
    const r = rowAt(i);
    if (!r) request(Math.floor(i / WINDOW));
    const marked = highlight !== null && !sort && highlight.row === i;
    const line = el('div', `row${i % 2 ? ' odd' : ''}${marked ? ' revealed' : ''}`);
    line.setAttribute('role', 'row');
    line.dataset.index = String(i);
    const num = el('div', 'cell rownum');
    num.textContent = r ? String(r.number + 1) : '';
    line.append(num);
    meta.columns.forEach((c, k) => {
      const cell = el('div', 'cell');
      cell.style.width = `${COL_W[c.type]}px`;
      cell.setAttribute('role', 'gridcell');
      if (r) renderCell(cell, r.cells[k] ?? null, c);
      else cell.textContent = '…';
      if (marked && highlight!.column === k) cell.classList.add('revealed-cell');
      line.append(cell);
    });
    lines.push(line);
  }
  body.replaceChildren(...lines);
  body.style.width = `${columnsWidth()}px`;
  // prefetch the next window
  if (first + count < meta.rowCount) request(Math.floor((first + count) / WINDOW));
}

function showInfo(): void {
  const m = meta!;
  const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
  const parts = [
    `${m.file}`,
    `template ${m.template} (${m.templateSource})`,
    `delimiter ${JSON.stringify(m.delimiter)}`,
    `${m.rowCount.toLocaleString('en-US')} rows`,
    `${mb(m.bytes)} text, ${mb(m.compressedBytes)} on disk`,
    `${m.problems.error} errors · ${m.problems.warning} warnings · ${m.problems.information} info`,
  ];
  info.replaceChildren(...parts.map((p) => {
    const s = el('span', 'item');
    s.textContent = p;
    return s;
  }), problemsPanel.toggleButton);
}

let scheduled = false;
viewport.addEventListener('scroll', () => {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(() => {
    scheduled = false;
    render();
  });
});
window.addEventListener('resize', () => render());

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const parsed = ToWebview.safeParse(event.data);
  if (!parsed.success) return;
  const m = parsed.data;
  if (m.type === 'init') {
    // first contents, or the file was reloaded: start over
    meta = m;
    sort = null;
    highlight = null;
    windows.clear();
    pending.clear();
    document.body.dataset.state = 'ready';
    buildHeader();
    showInfo();
    render();
  } else if (m.type === 'rows') {
    const key = pending.get(m.id);
    pending.delete(m.id);
    if (!key || !key.startsWith(`${sortKey()}#`)) return;
    windows.set(key, { rowNumbers: m.rowNumbers, rows: m.rows });
    if (windows.size > CACHE_WINDOWS) windows.delete(windows.keys().next().value!);
    render();
  } else if (m.type === 'problems') {
    problemsPanel.update(m);
  } else if (m.type === 'reveal') {
    reveal(m.problem);
  } else {
    document.body.dataset.state = 'failed';
    const e = el('div', 'error');
    e.textContent = m.message;
    app.replaceChildren(e);
  }
});

vscode.postMessage({ type: 'ready' });
