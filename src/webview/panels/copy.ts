/**
 * Copying the selection as CSV, JSON or Markdown: the host cuts the rows from the file and writes
 * the clipboard (vscode.env.clipboard), so a copy of many rows never passes through the webview.
 * Ctrl+C (the page's copy event) copies CSV.
 */
import type { CopyFormat } from '../../protocol/editor';
import { request } from '../host';
import type { Model } from '../grid/model';

export async function copySelection(model: Model, format: CopyFormat): Promise<number> {
  if (!model.meta || model.total === 0) return 0;
  const s = model.selection();
  const m = await request(
    { type: 'copy', view: model.view, start: s.top, end: s.bottom + 1, columns: s.columns, format },
    'copied',
  );
  document.body.dataset.copied = `${format}:${m.rows}`;
  return m.rows;
}

/** Ctrl+C anywhere but in a text field copies the selection as CSV. */
export function listenForCopy(model: Model): void {
  document.addEventListener('copy', (e) => {
    const t = e.target as HTMLElement | null;
    if (
      t &&
      (t.tagName === 'INPUT' ||
        t.tagName === 'TEXTAREA' ||
        t.tagName === 'SELECT' ||
        t.closest('.detail, .filter-editor, .chart-pane'))
    )
      return;
    e.preventDefault();
    void copySelection(model, 'csv');
  });
}
