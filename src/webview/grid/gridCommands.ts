/**
 * What the grid does for a command from VS Code's context menu or palette; `context` tells which cell or
 * column was clicked.
 */
import type { Command, View } from '../../protocol/editor';
import { copySelection } from '../panels/copy';
import type { Model } from './model';
import type { RowSource } from './rows';

type Filter = View['filters'][number];

/** The parts of the grid a command acts on. */
export interface CommandTarget {
  readonly model: Model;
  readonly source: RowSource;
  /** The view the next change starts from. */
  readonly base: View;
  setView(view: View): Promise<string | null>;
  setFilter(column: number, filter: Filter | null): Promise<string | null>;
  editFilter(column: number, anchor: HTMLElement): void;
  headerCell(column: number): HTMLElement | null;
  openDetails(): void;
  saveLayout(): void;
  focusSearch(): void;
  showSummaries(open: boolean): void;
}

export function runCommand(t: CommandTarget, command: Command, context: { row?: number; column?: number }): void {
  const m = t.model;
  const column = context.column !== undefined && context.column >= 0 ? context.column : m.focus.col;
  switch (command) {
    case 'copyCsv':
    case 'copyJson':
    case 'copyMarkdown':
      void copySelection(m, command === 'copyCsv' ? 'csv' : command === 'copyJson' ? 'json' : 'markdown');
      break;
    case 'showDetails':
      t.openDetails();
      break;
    case 'filterToValue': {
      const r = t.source.row(m.focus.row);
      const value = r?.cells[column];
      if (value === undefined) break;
      void t.setFilter(column, value === null ? { column, op: 'null' } : { column, op: 'equals', values: [value] });
      break;
    }
    case 'editFilter': {
      const anchor = t.headerCell(column);
      if (anchor) t.editFilter(column, anchor);
      break;
    }
    case 'sortAscending':
    case 'sortDescending':
      void t.setView({ ...t.base, sort: { column, descending: command === 'sortDescending' } });
      break;
    case 'hideColumn':
      if (m.visible.length > 1) {
        m.hidden.add(m.columns[column].name);
        m.setLayout(m.layout);
        t.saveLayout();
      }
      break;
    case 'showAllColumns':
      m.hidden.clear();
      m.setLayout(m.layout);
      t.saveLayout();
      break;
    case 'clearFilters':
      void t.setView({ ...t.base, rowSet: null, filters: [], search: '' });
      break;
    case 'find':
      t.focusSearch();
      break;
    case 'showSummaries':
      t.showSummaries(true);
      break;
  }
}
