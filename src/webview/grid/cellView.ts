/** Puts a cell's look (cellFormat.ts) on the page: text nodes and chips, never HTML. */
import type { ColumnInfo } from '../../protocol/editor';
import { cellLook } from './cellFormat';

export function renderCell(el: HTMLElement, value: string | null, column: ColumnInfo): void {
  const look = cellLook(value, column.type, column.name);
  el.replaceChildren();
  el.className = look.className;
  if (look.title === null) el.removeAttribute('title');
  else el.title = look.title;
  if (look.chips) {
    for (const item of look.chips) {
      const chip = document.createElement('span');
      chip.className = 'chip';
      chip.textContent = item;
      el.append(chip);
    }
  } else el.textContent = look.text;
}
