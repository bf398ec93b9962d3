/** Moving around the grid from the keyboard (src/webview/grid/keyboard.ts), in plain Node over the real model. */
import assert from 'node:assert/strict';
import { handleGridKey, type GridKey } from '../../src/webview/grid/keyboard';
import type { Model } from '../../src/webview/grid/model';
import { COLUMNS, modelWith } from '../support/gridModel';

const PAGE = 4;

function press(m: Model, key: string, mods: Partial<GridKey> = {}) {
  const calls: string[] = [];
  const handled = handleGridKey({ key, ctrlKey: false, metaKey: false, shiftKey: false, ...mods }, m, {
    page: () => PAGE,
    moved: () => calls.push('moved'),
    details: () => calls.push('details'),
    find: () => calls.push('find'),
    escape: () => calls.push('escape'),
  });
  return { handled, calls };
}

describe('webview grid keys', () => {
  it('arrows move one cell and stop at the edges; Ctrl+arrows go to the edge', () => {
    const m = modelWith(COLUMNS, 20);
    m.setLayout({ widths: {}, hidden: ['price'] });
    assert.deepEqual(press(m, 'ArrowDown'), { handled: true, calls: ['moved'] });
    press(m, 'ArrowRight');
    assert.deepEqual(m.focus, { row: 1, col: 2 }, 'the hidden column is skipped');
    press(m, 'ArrowUp');
    press(m, 'ArrowUp');
    press(m, 'ArrowLeft');
    press(m, 'ArrowLeft');
    assert.deepEqual(m.focus, { row: 0, col: 0 });
    press(m, 'ArrowDown', { ctrlKey: true });
    press(m, 'ArrowRight', { metaKey: true });
    assert.deepEqual(m.focus, { row: 19, col: 4 });
  });

  it('Page Up/Down move by a screenful, Home/End along the row, Ctrl+Home/End to the corners', () => {
    const m = modelWith(COLUMNS, 20);
    m.moveTo({ row: 10, col: 2 });
    press(m, 'PageDown');
    assert.equal(m.focus.row, 10 + PAGE);
    press(m, 'PageUp');
    press(m, 'PageUp');
    assert.equal(m.focus.row, 10 - PAGE);
    press(m, 'End');
    assert.deepEqual(m.focus, { row: 6, col: 4 });
    press(m, 'Home');
    assert.deepEqual(m.focus, { row: 6, col: 0 });
    press(m, 'End', { ctrlKey: true });
    assert.deepEqual(m.focus, { row: 19, col: 4 });
    press(m, 'Home', { ctrlKey: true });
    assert.deepEqual(m.focus, { row: 0, col: 0 });
  });

  it('Shift extends the selection from the anchor', () => {
    const m = modelWith(COLUMNS, 20);
    m.moveTo({ row: 2, col: 1 });
    press(m, 'ArrowDown', { shiftKey: true });
    press(m, 'ArrowDown', { shiftKey: true });
    press(m, 'ArrowRight', { shiftKey: true });
    assert.deepEqual(m.selection(), { top: 2, bottom: 4, columns: [1, 2] });
    press(m, 'ArrowDown');
    assert.deepEqual(m.selection(), { top: 5, bottom: 5, columns: [2] }, 'without Shift the selection is the cell');
  });

  it('Tab walks the cells row by row and lets the focus leave past the last one', () => {
    const m = modelWith(COLUMNS, 2);
    m.moveTo({ row: 0, col: 4 });
    assert.equal(press(m, 'Tab').handled, true);
    assert.deepEqual(m.focus, { row: 1, col: 0 });
    press(m, 'Tab', { shiftKey: true });
    assert.deepEqual(m.focus, { row: 0, col: 4 });
    m.moveTo({ row: 1, col: 4 });
    assert.deepEqual(press(m, 'Tab'), { handled: false, calls: [] });
    m.moveTo({ row: 0, col: 0 });
    assert.equal(press(m, 'Tab', { shiftKey: true }).handled, false);
  });

  it('Ctrl+A selects every row; Enter, Escape and Ctrl+F go to their actions', () => {
    const m = modelWith(COLUMNS, 20);
    m.moveTo({ row: 7, col: 3 });
    press(m, 'a', { ctrlKey: true });
    assert.equal(m.rowsMode, true);
    assert.deepEqual(m.selection(), { top: 0, bottom: 19, columns: [0, 1, 2, 3, 4] });
    assert.deepEqual(press(m, 'Enter').calls, ['details']);
    assert.deepEqual(press(m, 'Escape').calls, ['escape']);
    assert.deepEqual(press(m, 'F', { ctrlKey: true }).calls, ['find']);
    assert.deepEqual(press(m, 'x'), { handled: false, calls: [] });
  });

  it('an empty view takes the keys without moving', () => {
    const m = modelWith(COLUMNS, 0);
    const { handled, calls } = press(m, 'ArrowDown');
    assert.equal(handled, true);
    assert.deepEqual(calls, []);
    assert.deepEqual(m.focus, { row: 0, col: 0 });
  });
});
