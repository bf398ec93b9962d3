/**
 * The bar above the grid: the search box (Ctrl+F), one chip per column filter (click to edit, × to
 * remove), Clear Filters, and buttons for the columns picker and the row details.
 *
 * Room src/webview/panels: what sits around the grid: toolbar, filter editor, row details, column summaries, problems list, info bar, copy.
 * May import: src/core/catalog, src/protocol, src/webview, src/webview/grid.
 */
import type { View } from '../../protocol/editor';
import { describe } from './filterEditor';
import { icon, iconButton } from '../icons';
import type { Model } from '../grid/model';
import { thousands } from '../grid/cellFormat';

export interface ToolbarActions {
  search(text: string): void;
  editFilter(column: number, anchor: HTMLElement): void;
  removeFilter(column: number): void;
  clearFilters(): void;
  /** Back from a chart's rows to the whole file (other filters kept). */
  removeRowSet(): void;
  showChart(): void;
  chooseColumns(): void;
  toggleDetails(): void;
  toggleSummaries(): void;
  toggleSummaryRow(): void;
  /** Focus goes back to the grid. */
  leave(): void;
}

const DEBOUNCE_MS = 250;

export class Toolbar {
  readonly element = document.createElement('div');
  readonly searchInput = document.createElement('input');
  private readonly chips = document.createElement('div');
  private readonly clear: HTMLButtonElement;
  private readonly summaries: HTMLButtonElement;
  private readonly summaryRow: HTMLButtonElement;
  private timer = 0;

  constructor(
    private readonly model: Model,
    private readonly actions: ToolbarActions,
  ) {
    this.element.className = 'toolbar';
    this.element.setAttribute('role', 'toolbar');
    this.element.setAttribute('aria-label', 'Search and filters');
    const box = document.createElement('div');
    box.className = 'search-box';
    this.searchInput.type = 'text';
    this.searchInput.className = 'input search';
    this.searchInput.placeholder = 'Search all cells';
    this.searchInput.setAttribute('aria-label', 'Search all cells (Ctrl+F)');
    this.searchInput.spellcheck = false;
    box.append(icon('search'), this.searchInput);
    this.searchInput.addEventListener('input', () => {
      clearTimeout(this.timer);
      this.timer = window.setTimeout(() => this.actions.search(this.searchInput.value), DEBOUNCE_MS);
    });
    this.searchInput.addEventListener('keydown', (e) => {
      e.stopPropagation();
      if (e.key === 'Enter') {
        clearTimeout(this.timer);
        this.actions.search(this.searchInput.value);
      } else if (e.key === 'Escape') {
        if (this.searchInput.value) {
          this.searchInput.value = '';
          clearTimeout(this.timer);
          this.actions.search('');
        } else this.actions.leave();
      } else if (e.key === 'ArrowDown') this.actions.leave();
    });
    this.chips.className = 'chips';
    this.clear = document.createElement('button');
    this.clear.className = 'text-button clear-filters';
    this.clear.append(icon('clearFilter'), document.createTextNode('Clear Filters'));
    this.clear.title = 'Remove every filter and the search';
    this.clear.addEventListener('click', () => this.actions.clearFilters());
    this.summaries = iconButton('summary', 'Column Summaries', () => this.actions.toggleSummaries());
    this.summaries.setAttribute('aria-pressed', 'false');
    this.summaryRow = iconButton('summaryRow', 'Summary Row', () => this.actions.toggleSummaryRow());
    this.summaryRow.setAttribute('aria-pressed', 'false');
    const spacer = document.createElement('div');
    spacer.className = 'spacer';
    this.element.append(
      box,
      this.chips,
      this.clear,
      spacer,
      iconButton('graph', 'Show Chart…', () => this.actions.showChart()),
      iconButton('columns', 'Show or Hide Columns…', () => this.actions.chooseColumns()),
      this.summaryRow,
      this.summaries,
      iconButton('detail', 'Row Details (Enter)', () => this.actions.toggleDetails()),
    );
  }

  focusSearch(): void {
    this.searchInput.focus();
    this.searchInput.select();
  }

  render(): void {
    const m = this.model;
    if (this.searchInput.value !== m.view.search && document.activeElement !== this.searchInput)
      this.searchInput.value = m.view.search;
    const set = m.view.rowSet;
    this.chips.replaceChildren(...(set ? [this.setChip(set)] : []), ...m.view.filters.map((f) => this.chip(f)));
    this.clear.hidden = !m.filtered;
    this.summaries.setAttribute('aria-pressed', String(m.summaries));
    this.summaryRow.setAttribute('aria-pressed', String(m.summaryRow));
  }

  /** The rows of a chart's value: its words, and × back to the whole file. */
  private setChip(set: NonNullable<View['rowSet']>): HTMLElement {
    const chip = document.createElement('span');
    chip.className = 'chip filter-chip rowset-chip';
    const text = document.createElement('span');
    text.className = 'chip-text';
    text.textContent = `Chart rows: ${thousands(set.count)}`;
    text.title = set.label;
    const remove = document.createElement('button');
    remove.className = 'chip-remove';
    remove.title = 'Show every row again';
    remove.setAttribute('aria-label', 'Remove the chart rows filter');
    remove.append(icon('close'));
    remove.addEventListener('click', () => this.actions.removeRowSet());
    chip.append(text, remove);
    return chip;
  }

  private chip(f: View['filters'][number]): HTMLElement {
    const info = this.model.columns[f.column];
    const chip = document.createElement('span');
    chip.className = 'chip filter-chip';
    const text = document.createElement('button');
    text.className = 'chip-text';
    text.textContent = describe(f, info);
    text.title = `Edit the filter on ${info.name}`;
    text.addEventListener('click', () => this.actions.editFilter(f.column, chip));
    const remove = document.createElement('button');
    remove.className = 'chip-remove';
    remove.title = `Remove the filter on ${info.name}`;
    remove.setAttribute('aria-label', `Remove the filter on ${info.name}`);
    remove.append(icon('close'));
    remove.addEventListener('click', () => this.actions.removeFilter(f.column));
    chip.append(text, remove);
    return chip;
  }
}
