/**
 * The grid's two views of column summaries, kept in step: the row under the headers (every shown
 * column) and the side pane (the focused column). Both follow the rows in view once the whole file
 * is there; opening or closing either is remembered with the layout.
 */
import type { View } from '../../protocol/editor';
import type { Model } from '../grid/model';
import { SummaryPanel } from './summary';
import { SummaryRow } from './summaryRow';

type Filter = View['filters'][number];

/** What the summaries ask of the grid around them. */
export interface SummariesHost {
  /** A click on a top value or a bar: the grid filtered to its rows. */
  pick(filter: Filter): void;
  /** The layout changed (a summary view opened or closed). */
  layoutChanged(): void;
  /** The grid's keyboard focus back on its rows. */
  focusRows(): void;
  /** The rows need another paint (the row under the headers took or gave back room). */
  repaint(): void;
  /** True while a view the user asked for is still on its way: summaries wait for it. */
  waiting(): boolean;
}

export class ColumnSummaries {
  readonly row: SummaryRow;
  readonly pane: SummaryPanel;

  constructor(
    private readonly model: Model,
    private readonly host: SummariesHost,
  ) {
    this.row = new SummaryRow(model, (f) => host.pick(f));
    this.pane = new SummaryPanel(() => model.columns, {
      pick: (f) => host.pick(f),
      close: () => this.showPane(false),
    });
  }

  /** Opens (and focuses) or closes the side pane. */
  showPane(open: boolean): void {
    this.model.summaries = open;
    this.host.layoutChanged();
    if (!open) {
      this.pane.hide();
      this.host.focusRows();
      return;
    }
    this.follow();
    this.pane.element.focus();
  }

  /** Shows or hides the row under the headers. */
  showRow(open: boolean): void {
    this.model.summaryRow = open;
    this.host.layoutChanged();
    this.follow();
    this.host.repaint();
  }

  /** The columns changed: a closed pane stays closed. */
  columnsChanged(): void {
    if (!this.model.summaries) this.pane.hide();
    this.follow();
  }

  /** Both views follow the rows in view and the focused column, once the whole file is there. */
  follow(): void {
    const m = this.model;
    if (!m.summaryRow) this.row.hide();
    if (!m.meta || m.loading.active || this.host.waiting()) return;
    if (m.summaryRow) this.row.show(m.view, m.visible);
    if (m.summaries) this.pane.follow(m.view, m.focus.col);
  }

  /** How far the view thread is with a column's summary. */
  progress(column: number, done: number, total: number): void {
    this.pane.progress(column, done, total);
  }
}
