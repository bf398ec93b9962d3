/**
 * The webview's grid model (src/webview/grid/model.ts) in plain Node: layout (widths, hidden
 * columns, never all hidden), moving the focus within the view, and the selection it makes.
 */
import assert from 'node:assert/strict';
import { EMPTY_VIEW, ROWNUM_W } from '../../src/webview/grid/model';
import { COLUMNS, modelWith } from '../support/gridModel';

describe('webview grid model', () => {
  it('lays out the shown columns left to right after the row numbers, with saved widths first', () => {
    const m = modelWith(COLUMNS, 10);
    const changes: string[] = [];
    m.on('columns', () => changes.push('columns'));
    m.setLayout({ widths: { price: 55 }, hidden: ['trial'] });
    assert.deepEqual(changes, ['columns']);
    assert.deepEqual(m.visible, [0, 1, 3, 4]);
    assert.equal(m.width(1), 55);
    assert.equal(m.left(0), ROWNUM_W);
    assert.equal(m.left(1), ROWNUM_W + m.width(0));
    assert.equal(m.left(3), ROWNUM_W + m.width(0) + 55);
    assert.equal(m.canvasWidth, ROWNUM_W + [0, 1, 3, 4].reduce((w, c) => w + m.width(c), 0));
    assert.ok(m.width(4) > m.width(2), 'a JSON column starts wider than a boolean one');
    assert.deepEqual(m.layout, { widths: { price: 55 }, hidden: ['trial'] });
  });

  it('never hides every column, and moves the focus off a hidden one', () => {
    const m = modelWith(COLUMNS, 10);
    m.moveTo({ row: 3, col: 2 });
    m.setLayout({ widths: {}, hidden: ['trial'] });
    assert.deepEqual(m.focus, { row: 3, col: 0 });
    m.setLayout({ widths: {}, hidden: COLUMNS.map((c) => c.name) });
    assert.deepEqual(m.visible, [0, 1, 2, 3, 4]);
    assert.deepEqual(m.layout.hidden, []);
  });

  it('keeps the focus inside the view and on a shown column', () => {
    const m = modelWith(COLUMNS, 10);
    m.setLayout({ widths: {}, hidden: ['price'] });
    m.moveTo({ row: 50, col: 3 });
    assert.deepEqual(m.focus, { row: 9, col: 3 });
    m.moveTo({ row: -4, col: 1 });
    assert.deepEqual(m.focus, { row: 0, col: 3 }, 'a hidden column keeps the column the focus was on');
  });

  it('selects the block between anchor and focus, in shown columns only; whole rows in rows mode', () => {
    const m = modelWith(COLUMNS, 10);
    m.setLayout({ widths: {}, hidden: ['trial'] });
    m.moveTo({ row: 5, col: 4 });
    m.moveTo({ row: 2, col: 1 }, true);
    assert.deepEqual(m.selection(), { top: 2, bottom: 5, columns: [1, 3, 4] });
    assert.ok(m.isSelected(3, 3));
    assert.ok(!m.isSelected(3, 0));
    assert.ok(!m.isSelected(6, 3));
    m.moveTo({ row: 7, col: 1 }, false, true);
    m.moveTo({ row: 8, col: 1 }, true);
    assert.deepEqual(m.selection(), { top: 7, bottom: 8, columns: [0, 1, 3, 4] });
    assert.ok(m.isSelected(8, 0));
  });

  it('names its rows by the load and the view, and knows when a view filters', () => {
    const m = modelWith(COLUMNS, 10);
    const key = m.viewKey;
    assert.equal(m.filtered, false);
    m.view = { ...EMPTY_VIEW, sort: { column: 1, descending: true } };
    assert.notEqual(m.viewKey, key);
    assert.equal(m.filtered, false, 'a sort alone keeps every row');
    m.view = { ...EMPTY_VIEW, search: 'abc' };
    assert.equal(m.filtered, true);
    m.view = EMPTY_VIEW;
    assert.equal(m.viewKey, key);
    m.meta = { ...m.meta!, generation: 2 };
    assert.notEqual(m.viewKey, key, 'a reload of the file names other rows');
  });
});
