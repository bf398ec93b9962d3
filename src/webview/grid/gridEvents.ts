/**
 * What the user does in the grid's viewport: keys (moving, details, search), clicks and double-clicks
 * on cells and row numbers, scrolling (where the user was is remembered), the context menu's target.
 */
import { handleGridKey } from './keyboard';
import type { Grid } from './grid';

export function listenToViewport(g: Grid): void {
  /** The focused cell's row in the file (1-based), when its row is here. */
  const focusRow = () => {
    const r = g.source.row(g.model.focus.row);
    return r ? r.number + 1 : null;
  };
  const v = g.scroller.viewport;
  v.addEventListener('keydown', (e) => {
    const handled = handleGridKey(e, g.model, {
      page: () => g.scroller.geometry().visible,
      moved: () => g.scroller.ensureVisible(g.model.focus),
      details: () => g.openDetails(),
      find: () => g.toolbar.focusSearch(),
      escape: () => (g.detail.isOpen ? g.closeDetails() : g.model.moveTo(g.model.focus)),
    });
    if (handled) {
      e.preventDefault();
      e.stopPropagation();
      g.movedAway(focusRow());
    }
  });
  // Ctrl+F from anywhere in the editor
  document.addEventListener('keydown', (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'f') {
      e.preventDefault();
      g.toolbar.focusSearch();
    }
  });
  v.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    const pos = g.scroller.cellAt(e.target);
    if (!pos) return;
    if (pos.col < 0) {
      // a row number: whole rows
      g.model.moveTo({ row: pos.row, col: g.model.focus.col }, e.shiftKey && g.model.rowsMode, true);
    } else g.model.moveTo(pos, e.shiftKey);
    g.movedAway(focusRow());
    v.focus();
  });
  let timer = 0;
  v.addEventListener('scroll', () => {
    clearTimeout(timer);
    timer = window.setTimeout(() => g.remember(), 300);
  });
  v.addEventListener('dblclick', (e) => {
    if (g.scroller.cellAt(e.target)) g.openDetails();
  });
  v.addEventListener('contextmenu', (e) => {
    const pos = g.scroller.cellAt(e.target);
    const cell = (e.target as HTMLElement).closest<HTMLElement>('.body .cell');
    if (!pos || !cell) return;
    if (!g.model.isSelected(pos.row, pos.col) || (pos.col < 0 && !g.model.rowsMode)) {
      if (pos.col < 0) g.model.moveTo({ row: pos.row, col: g.model.focus.col }, false, true);
      else g.model.moveTo(pos);
    }
    // VS Code's menu reads this context from the clicked element (menus: webview/context)
    cell.dataset.vscodeContext = JSON.stringify({
      webviewSection: pos.col < 0 ? 'rownum' : 'cell',
      row: pos.row,
      column: pos.col,
      preventDefaultContextMenuItems: true,
    });
  });
}
