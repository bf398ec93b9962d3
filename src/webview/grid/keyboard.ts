/**
 * Moving around the grid from the keyboard: arrows, Page Up/Down, Home/End (row start and end),
 * Ctrl+Home/End (first and last row), Tab/Shift+Tab; Shift extends the selection; Ctrl+A selects
 * every row; Enter opens the row details; Ctrl+F goes to the search box.
 */
import type { Model } from './model';

export interface KeyActions {
  /** Rows that fit on screen. */
  page(): number;
  moved(): void;
  details(): void;
  find(): void;
  escape(): void;
}

/** What the grid reads of a key press (a KeyboardEvent has it). */
export interface GridKey {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
}

export function handleGridKey(e: GridKey, model: Model, actions: KeyActions): boolean {
  const ctrl = e.ctrlKey || e.metaKey;
  if (ctrl && e.key.toLowerCase() === 'f') {
    actions.find();
    return true;
  }
  if (ctrl && e.key.toLowerCase() === 'a') {
    model.anchor = { row: 0, col: model.focus.col };
    model.focus = { row: Math.max(0, model.total - 1), col: model.focus.col };
    model.rowsMode = true;
    model.emit('selection');
    return true;
  }
  if (e.key === 'Enter') {
    actions.details();
    return true;
  }
  if (e.key === 'Escape') {
    actions.escape();
    return true;
  }
  const { row, col } = model.focus;
  const cols = model.visible;
  const k = cols.indexOf(col);
  const last = model.total - 1;
  let next: { row: number; col: number } | null = null;
  switch (e.key) {
    case 'ArrowUp':
      next = { row: ctrl ? 0 : row - 1, col };
      break;
    case 'ArrowDown':
      next = { row: ctrl ? last : row + 1, col };
      break;
    case 'ArrowLeft':
      next = { row, col: cols[ctrl ? 0 : Math.max(0, k - 1)] };
      break;
    case 'ArrowRight':
      next = { row, col: cols[ctrl ? cols.length - 1 : Math.min(cols.length - 1, k + 1)] };
      break;
    case 'PageUp':
      next = { row: row - actions.page(), col };
      break;
    case 'PageDown':
      next = { row: row + actions.page(), col };
      break;
    case 'Home':
      next = ctrl ? { row: 0, col: cols[0] } : { row, col: cols[0] };
      break;
    case 'End':
      next = ctrl ? { row: last, col: cols[cols.length - 1] } : { row, col: cols[cols.length - 1] };
      break;
    case 'Tab': {
      const step = e.shiftKey ? -1 : 1;
      const j = k + step;
      if (j >= 0 && j < cols.length) next = { row, col: cols[j] };
      else if (row + step >= 0 && row + step <= last)
        next = { row: row + step, col: cols[step > 0 ? 0 : cols.length - 1] };
      else return false; // past the first or last cell: focus leaves the grid
      model.moveTo(next);
      actions.moved();
      return true;
    }
    default:
      return false;
  }
  if (model.total === 0) return true;
  model.moveTo(next, e.shiftKey, model.rowsMode && e.shiftKey);
  actions.moved();
  return true;
}
