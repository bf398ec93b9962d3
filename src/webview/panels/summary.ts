/**
 * Column summaries: a side pane for the focused column with its NULLs, distinct values, min and max
 * (shown as the grid shows cells), the most frequent values and a small histogram, over the rows in
 * view. The host computes them in the view thread; a newer view or column cancels the older request.
 * A click (or Enter) on a value or a bar filters the grid to exactly its rows.
 */
import type { ColumnInfo, Summary, View } from '../../protocol/editor';
import { renderCell } from '../grid/cellView';
import { ask } from '../host';
import { iconButton } from '../icons';
import { thousands } from '../grid/cellFormat';

type Filter = View['filters'][number];

export interface SummaryActions {
  /** Filters the grid to a value or a bar. */
  pick(filter: Filter): void;
  close(): void;
}

const fmt = thousands;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

export class SummaryPanel {
  readonly element = el('aside', 'summary');
  private pending: AbortController | null = null;
  private key = '';
  /** The column being summarized, and how far it has got (shown while busy). */
  private column = -1;
  private readonly bar = el('div', 'summary-progress');
  private readonly fill = el('span', 'summary-progress-fill');
  private readonly said = el('span', 'summary-progress-text');

  constructor(
    private readonly columns: () => ColumnInfo[],
    private readonly actions: SummaryActions,
  ) {
    this.element.hidden = true;
    this.element.setAttribute('aria-label', 'Column summary');
    this.element.tabIndex = -1;
    this.bar.setAttribute('role', 'progressbar');
    this.bar.setAttribute('aria-label', 'Summarizing the column');
    this.bar.setAttribute('aria-valuemin', '0');
    this.bar.setAttribute('aria-valuemax', '100');
    const track = el('span', 'summary-progress-track');
    track.append(this.fill);
    this.bar.append(this.said, track);
    this.element.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        this.actions.close();
      }
    });
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  hide(): void {
    this.element.hidden = true;
    this.pending?.abort();
    this.pending = null;
    this.key = '';
  }

  /** Shows the summary of `column` over the rows of `view`; the same again is not asked for twice. */
  follow(view: View, column: number): void {
    this.element.hidden = false;
    const key = JSON.stringify([view.filters, view.search, column]);
    if (key === this.key) return;
    this.key = key;
    this.pending?.abort();
    const controller = new AbortController();
    this.pending = controller;
    const info = this.columns()[column];
    if (!info) return;
    this.column = column;
    this.element.dataset.state = 'busy';
    this.element.setAttribute('aria-busy', 'true');
    if (this.element.firstChild) this.element.firstChild.replaceWith(this.head(info));
    else this.element.append(this.head(info));
    this.progress(column, 0, 0);
    this.element.firstChild!.after(this.bar);
    void ask({ type: 'getSummary', view: { ...view, sort: null }, column }, controller.signal).then((s) => {
      if (controller.signal.aborted || this.pending !== controller) return;
      this.pending = null;
      this.element.removeAttribute('aria-busy');
      if (!s) {
        this.key = '';
        this.bar.remove();
        this.element.dataset.state = 'failed';
        return;
      }
      this.draw(info, s);
    });
  }

  /** The host's word on how far the summary of `column` has got (rows looked at of the rows in view). */
  progress(column: number, done: number, total: number): void {
    if (!this.pending || column !== this.column) return;
    const pct = total ? Math.min(100, Math.floor((100 * done) / total)) : 0;
    this.bar.setAttribute('aria-valuenow', String(pct));
    this.fill.style.width = `${pct}%`;
    this.said.textContent = total ? `Summarizing: ${fmt(done)} of ${fmt(total)} rows` : 'Summarizing…';
  }

  private head(info: ColumnInfo): HTMLElement {
    const head = el('div', 'detail-head');
    const title = el('div', 'detail-title', 'Summary');
    title.append(el('span', 'detail-sub', info.name));
    head.append(
      title,
      iconButton('close', 'Close Column Summaries (Escape)', () => this.actions.close()),
    );
    return head;
  }

  private draw(info: ColumnInfo, s: Summary): void {
    const stats = el('dl', 'summary-stats');
    const stat = (name: string, value: string | HTMLElement, label = name) => {
      const dt = el('dt', 'summary-name', name);
      const dd = el('dd', 'summary-value');
      dd.dataset.stat = label;
      if (typeof value === 'string') dd.textContent = value;
      else dd.append(value);
      stats.append(dt, dd);
    };
    const cell = (value: string | null) => {
      const c = el('span', '');
      renderCell(c, value, info);
      return c;
    };
    stat('Rows in view', fmt(s.rows), 'rows');
    stat('Nulls', `${fmt(s.nulls)}${s.rows ? ` (${((100 * s.nulls) / s.rows).toFixed(1)}%)` : ''}`, 'nulls');
    if (s.invalid) stat(`Not ${info.type === 'timestamp' ? 'a time' : `a ${info.type}`}`, fmt(s.invalid), 'invalid');
    stat('Distinct', fmt(s.distinct), 'distinct');
    if (s.min !== null) stat('Min', cell(s.min), 'min');
    if (s.max !== null) stat('Max', cell(s.max), 'max');
    const parts: HTMLElement[] = [this.head(info), stats];
    if (s.top.length) {
      parts.push(el('div', 'summary-section', 'Top values'));
      parts.push(this.list(info, s.top, s.rows));
    }
    if (s.histogram.bars.length) {
      parts.push(el('div', 'summary-section', s.histogram.kind === 'bins' ? 'Histogram' : 'Value counts'));
      parts.push(this.histogram(info, s.histogram.bars));
    }
    parts.push(el('div', 'summary-foot', `Computed in ${s.ms.toFixed(0)} ms`));
    this.element.dataset.state = 'ready';
    this.element.replaceChildren(...parts);
  }

  private button(label: string, filter: Filter): HTMLButtonElement {
    const b = el('button', 'summary-pick');
    b.setAttribute('aria-label', label);
    b.title = label;
    b.addEventListener('click', () => this.actions.pick(filter));
    return b;
  }

  private list(info: ColumnInfo, top: Summary['top'], rows: number): HTMLElement {
    const list = el('div', 'summary-top');
    list.setAttribute('role', 'list');
    const most = Math.max(1, ...top.map((t) => t.count));
    for (const t of top) {
      const b = this.button(`Filter ${info.name} to ${t.value ?? 'null'}: ${fmt(t.count)} rows`, t.filter);
      b.setAttribute('role', 'listitem');
      const value = el('span', 'summary-top-value');
      renderCell(value, t.value, info);
      value.classList.add('summary-top-value');
      const bar = el('span', 'summary-top-bar');
      bar.style.width = `${((100 * t.count) / most).toFixed(1)}%`;
      const pct = rows ? ` ${((100 * t.count) / rows).toFixed(1)}%` : '';
      b.append(bar, value, el('span', 'summary-top-count', `${fmt(t.count)}${pct}`));
      list.append(b);
    }
    return list;
  }

  private histogram(info: ColumnInfo, bars: Summary['histogram']['bars']): HTMLElement {
    const box = el('div', 'summary-histogram');
    box.setAttribute('role', 'group');
    box.setAttribute('aria-label', `Histogram of ${info.name}`);
    const most = Math.max(1, ...bars.map((b) => b.count));
    for (const bar of bars) {
      const b = this.button(`Filter ${info.name} to ${bar.label}: ${fmt(bar.count)} rows`, bar.filter);
      b.classList.add('summary-bar');
      const fill = el('span', 'summary-bar-fill');
      fill.style.height = `${Math.max(2, (100 * bar.count) / most).toFixed(1)}%`;
      b.append(fill);
      box.append(b);
    }
    const range = el('div', 'summary-histogram-range');
    range.append(el('span', '', bars[0].label), el('span', '', bars[bars.length - 1].label));
    const wrap = el('div', 'summary-histogram-wrap');
    wrap.append(box, range);
    return wrap;
  }
}
