/** How a cell looks in the grid, by column type. Everything ends up as text nodes, never HTML. */
import { arrayItems } from '../../core/catalog/cellValues';
import { enrollmentChips } from '../../core/catalog/experiments';
import type { ColumnInfo } from '../../protocol/editor';

export function renderCell(el: HTMLElement, value: string | null, column: ColumnInfo): void {
  el.replaceChildren();
  el.className = `cell t-${column.type}`;
  el.removeAttribute('title');
  if (value === null) {
    el.classList.add('null');
    el.textContent = 'null';
    return;
  }
  if (value === '') {
    el.classList.add('empty');
    el.textContent = '""';
    return;
  }
  switch (column.type) {
    case 'boolean': {
      const v = value.toLowerCase();
      el.classList.add(v === 't' || v === 'true' ? 'yes' : v === 'f' || v === 'false' ? 'no' : 'bad');
      el.textContent = value;
      return;
    }
    case 'array': {
      for (const item of arrayItems(value)) {
        const chip = document.createElement('span');
        chip.className = 'chip';
        chip.textContent = item;
        el.append(chip);
      }
      el.title = value;
      return;
    }
    case 'json': {
      const chips = column.name === 'enrolled_experiments_by_layer' ? enrollmentChips(value) : null;
      if (chips) {
        // every chip is a text node: the JSON's strings are never read as markup
        for (const text of chips) {
          const chip = document.createElement('span');
          chip.className = 'chip';
          chip.textContent = text;
          el.append(chip);
        }
        el.title = value;
        return;
      }
      el.textContent = attributesText(value);
      el.title = value;
      return;
    }
    default:
      el.textContent = value;
  }
}

/** `{"k": {"value": "v", ...}}` → `k: v · k2: v2`; other JSON as it is. */
export function attributesText(value: string): string {
  try {
    const parsed: unknown = JSON.parse(value);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const parts = Object.entries(parsed as Record<string, unknown>).map(([k, v]) => {
        const inner = v && typeof v === 'object' && 'value' in v ? v.value : v;
        return `${k}: ${typeof inner === 'string' ? inner : JSON.stringify(inner)}`;
      });
      return parts.length ? parts.join(' · ') : '{}';
    }
  } catch {
    /* not JSON: shown as it is */
  }
  return value;
}
