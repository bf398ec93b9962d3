/**
 * The summary row under the headers: per shown column, its NULL share and a small bar chart (the
 * histogram, or the most frequent values), so a glance over the grid tells what each column holds.
 * Columns are summarized one after another in the view thread, a status in the corner saying how
 * many are done; a new view, other columns or closing the row cancels the one under way and the rest.
 * A click on a bar filters the grid to its rows, as the side pane does.
 */
import type { Summary, View } from '../../protocol/editor';
import { ask } from '../host';
import type { Model } from '../grid/model';
import { thousands } from '../grid/cellFormat';

type Filter = View['filters'][number];

/** Its height in pixels (the grid's geometry leaves room for it). */
export const SUMMARY_ROW_H = 46;
const BARS = 12;

const fmt = thousands;

export class SummaryRow {
  readonly element = document.createElement('div');
  private readonly corner = document.createElement('div');
  private pending: AbortController | null = null;
  private key = '';
  /** Finished summaries by column, for the view of `key`. */
  private readonly done = new Map<number, Summary>();

  constructor(
    private readonly model: Pick<Model, 'columns'>,
    private readonly pick: (filter: Filter) => void,
  ) {
    this.element.className = 'summary-row row';
    this.element.setAttribute('role', 'row');
    this.element.setAttribute('aria-label', 'Column summaries');
    this.element.hidden = true;
    this.corner.className = 'cell rownum summary-row-corner';
    this.corner.setAttribute('role', 'rowheader');
  }

  /** Hides the row and stops its work; what it had is forgotten. */
  hide(): void {
    this.pending?.abort();
    this.pending = null;
    this.element.hidden = true;
    this.done.clear();
    this.key = '';
  }

  /** Shows the row for these columns over the rows of `view`, summarizing what it does not have yet. */
  show(view: View, visible: readonly number[]): void {
    this.element.hidden = false;
    const key = JSON.stringify([view.filters, view.search, view.rowSet?.id ?? null]);
    if (key !== this.key) {
      this.pending?.abort();
      this.pending = null;
      this.done.clear();
      this.key = key;
    }
    this.draw(visible);
    if (this.pending) this.pending.abort();
    const controller = new AbortController();
    this.pending = controller;
    void this.run(view, visible, controller);
  }

  /** One column after another; stops at once when aborted (the request in flight is cancelled too). */
  private async run(view: View, visible: readonly number[], controller: AbortController): Promise<void> {
    const todo = visible.filter((c) => !this.done.has(c));
    for (const c of todo) {
      if (controller.signal.aborted) return;
      this.status(visible);
      const s = await ask({ type: 'getSummary', view: { ...view, sort: null }, column: c }, controller.signal);
      if (controller.signal.aborted || this.pending !== controller) return;
      if (!s) break;
      this.done.set(c, s);
      this.fill(c, s);
    }
    if (this.pending === controller) this.pending = null;
    this.status(visible);
  }

  private status(visible: readonly number[]): void {
    const n = visible.filter((c) => this.done.has(c)).length;
    const busy = n < visible.length && this.pending !== null;
    this.element.dataset.state = busy ? 'busy' : 'ready';
    this.element.setAttribute('aria-busy', String(busy));
    this.corner.textContent = busy ? `${n}/${visible.length}` : 'Σ';
    this.corner.title = busy ? `Summarized ${n} of ${visible.length} columns…` : 'Column summaries of the rows in view';
  }

  private draw(visible: readonly number[]): void {
    const cells = visible.map((c, k) => {
      const cell = document.createElement('div');
      cell.className = 'cell summary-row-cell';
      cell.style.width = `var(--c${c})`;
      cell.dataset.column = String(c);
      cell.setAttribute('role', 'gridcell');
      cell.setAttribute('aria-colindex', String(k + 2));
      return cell;
    });
    this.element.replaceChildren(this.corner, ...cells);
    for (const c of visible) {
      const s = this.done.get(c);
      if (s) this.fill(c, s);
    }
    this.status(visible);
  }

  /** One column's bars and NULL share. */
  private fill(column: number, s: Summary): void {
    const cell = this.element.querySelector<HTMLElement>(`.summary-row-cell[data-column="${column}"]`);
    const info = this.model.columns[column];
    if (!cell || !info) return;
    const bars: { label: string; count: number; filter: Filter }[] = s.histogram.bars.length
      ? s.histogram.bars
      : s.top.map((t) => ({ label: t.value ?? 'null', count: t.count, filter: t.filter }));
    const chart = document.createElement('div');
    chart.className = 'summary-row-bars';
    const shown = bars.slice(0, BARS);
    const most = Math.max(1, ...shown.map((b) => b.count));
    for (const b of shown) {
      const button = document.createElement('button');
      button.className = 'summary-row-bar';
      const label = `Filter ${info.name} to ${b.label}: ${fmt(b.count)} rows`;
      button.title = label;
      button.setAttribute('aria-label', label);
      const fill = document.createElement('span');
      fill.className = 'summary-row-fill';
      fill.style.height = `${Math.max(3, (100 * b.count) / most).toFixed(1)}%`;
      button.append(fill);
      button.addEventListener('click', (e) => {
        e.stopPropagation();
        this.pick(b.filter);
      });
      chart.append(button);
    }
    const nulls = document.createElement('div');
    nulls.className = 'summary-row-text';
    const pct = s.rows ? (100 * s.nulls) / s.rows : 0;
    const share = s.nulls === 0 ? 'no nulls' : `${pct < 0.1 ? '<0.1' : pct.toFixed(1)}% null`;
    nulls.textContent = `${share} · ${fmt(s.distinct)} distinct`;
    nulls.title = `${fmt(s.nulls)} of ${fmt(s.rows)} rows are NULL; ${fmt(s.distinct)} distinct values`;
    cell.replaceChildren(chart, nulls);
    cell.dataset.state = 'ready';
  }
}
