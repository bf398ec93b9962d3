/**
 * The filter of one column, edited in a small widget under its header: is one of (values picked
 * from those in the file, with counts), equals, contains, between (numbers, times), is null,
 * is not null. The host checks what it cannot (a date that is not one) and says why.
 */
import type { ColumnInfo, View } from '../../protocol/editor';
import { request } from '../host';
import { typeBadge } from '../icons';
import { thousands } from '../grid/cellFormat';

type Filter = View['filters'][number];
type Op = Filter['op'];

const LABEL: Record<Op, string> = {
  equals: 'Is one of',
  contains: 'Contains',
  range: 'Between',
  null: 'Is null',
  notNull: 'Is not null',
};

function opsFor(c: ColumnInfo): Op[] {
  if (c.type === 'float' || c.type === 'integer' || c.type === 'timestamp')
    return ['range', 'equals', 'contains', 'null', 'notNull'];
  if (c.pickList) return ['equals', 'contains', 'null', 'notNull'];
  return ['contains', 'equals', 'null', 'notNull'];
}

/** How a filter reads in a chip and a summary. */
export function describe(f: Filter, c: ColumnInfo): string {
  switch (f.op) {
    case 'equals':
      return f.values.length === 1 ? `${c.name} = ${f.values[0]}` : `${c.name} in ${f.values.length} values`;
    case 'contains':
      return `${c.name} contains "${f.text}"`;
    case 'range':
      return f.min && f.max ? `${c.name} ${f.min} – ${f.max}` : f.min ? `${c.name} ≥ ${f.min}` : `${c.name} ≤ ${f.max}`;
    case 'null':
      return `${c.name} is null`;
    default:
      return `${c.name} is not null`;
  }
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Applies a column's filter (null removes it); resolves with an error message or null. */
export type ApplyFilter = (column: number, filter: Filter | null) => Promise<string | null>;

export class FilterEditor {
  readonly element = el('div', 'filter-editor');
  private column = -1;
  private onClose: (() => void) | null = null;
  private submit: (() => Promise<void>) | null = null;

  constructor(private readonly apply: ApplyFilter) {
    this.element.hidden = true;
    this.element.setAttribute('role', 'dialog');
    this.element.addEventListener('keydown', (e) => {
      e.stopPropagation();
      if (e.key === 'Escape') this.close();
      else if (e.key === 'Enter' && !(e.target instanceof HTMLButtonElement)) void this.submit?.();
    });
    document.addEventListener('pointerdown', (e) => {
      if (!this.element.hidden && !this.element.contains(e.target as Node)) this.close();
    });
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  close(): void {
    if (this.element.hidden) return;
    this.element.hidden = true;
    this.column = -1;
    this.onClose?.();
  }

  /** Opens the editor for `column` under `anchor`, showing `current` when the column has a filter. */
  open(column: number, info: ColumnInfo, current: Filter | undefined, anchor: HTMLElement, onClose: () => void): void {
    this.close();
    this.column = column;
    this.onClose = onClose;
    const ops = opsFor(info);
    const title = el('div', 'fe-title');
    title.append(typeBadge(info.type), el('span', 'fe-name', info.name));
    title.id = 'fe-title';
    this.element.setAttribute('aria-labelledby', 'fe-title');
    const select = el('select', 'fe-op');
    select.setAttribute('aria-label', 'Condition');
    for (const op of ops) {
      const o = el('option', '', LABEL[op]);
      o.value = op;
      select.append(o);
    }
    select.value = current?.op ?? ops[0];
    const body = el('div', 'fe-body');
    const error = el('div', 'fe-error');
    error.setAttribute('role', 'alert');
    const applyButton = el('button', 'button primary', 'Apply');
    const remove = el('button', 'button secondary', 'Remove');
    remove.hidden = !current;
    const buttons = el('div', 'fe-buttons');
    buttons.append(remove, applyButton);
    this.element.replaceChildren(title, select, body, error, buttons);

    let read: () => Filter | string = () => 'Nothing to apply';
    const build = () => {
      const op = select.value as Op;
      const prev = current?.op === op ? current : undefined;
      body.replaceChildren();
      error.textContent = '';
      if (op === 'null' || op === 'notNull') {
        read = () => ({ column, op });
      } else if (op === 'range') {
        const hint = info.type === 'timestamp' ? 'YYYY-MM-DD [HH:MM:SS]' : 'number';
        const min = this.input(`From (${hint})`, prev?.op === 'range' ? (prev.min ?? '') : '');
        const max = this.input(`To (${hint})`, prev?.op === 'range' ? (prev.max ?? '') : '');
        body.append(min, max);
        read = () =>
          min.value.trim() || max.value.trim()
            ? { column, op, min: min.value.trim() || null, max: max.value.trim() || null }
            : 'Give a lower or an upper bound';
      } else if (op === 'contains') {
        const text = this.input('Text (case ignored)', prev?.op === 'contains' ? prev.text : '');
        body.append(text);
        read = () => (text.value ? { column, op, text: text.value } : 'Type the text to look for');
      } else if (info.pickList) {
        read = this.pickList(body, column, prev?.op === 'equals' ? prev.values : []);
      } else {
        const value = this.input('Value (exact)', prev?.op === 'equals' ? (prev.values[0] ?? '') : '');
        body.append(value);
        read = () => ({ column, op: 'equals', values: [value.value] });
      }
      body.querySelector<HTMLInputElement>('input')?.focus();
    };
    const submit = (this.submit = async () => {
      const f = read();
      if (typeof f === 'string') {
        error.textContent = f;
        return;
      }
      applyButton.disabled = true;
      const message = await this.apply(column, f);
      applyButton.disabled = false;
      if (message) {
        error.textContent = message;
        // the disabled button lost the focus: back to the first box, to correct it
        if (this.column === column) (body.querySelector<HTMLInputElement>('input') ?? select).focus();
      } else if (this.column === column) this.close();
    });
    select.addEventListener('change', build);
    applyButton.addEventListener('click', () => void submit());
    remove.addEventListener('click', () => {
      void this.apply(column, null);
      this.close();
    });
    build();
    this.element.hidden = false;
    const r = anchor.getBoundingClientRect();
    const w = this.element.offsetWidth;
    this.element.style.left = `${Math.max(4, Math.min(r.left, window.innerWidth - w - 4))}px`;
    this.element.style.top = `${r.bottom + 2}px`;
    if (!body.querySelector('input')) select.focus();
  }

  private input(placeholder: string, value: string): HTMLInputElement {
    const i = el('input', 'input');
    i.type = 'text';
    i.placeholder = placeholder;
    i.setAttribute('aria-label', placeholder);
    i.value = value;
    return i;
  }

  /** The values seen in the column, with counts, to check; returns the reader of the checked ones. */
  private pickList(body: HTMLElement, column: number, checked: string[]): () => Filter | string {
    const chosen = new Set(checked);
    const find = this.input('Filter values', '');
    const list = el('div', 'fe-values');
    list.setAttribute('role', 'listbox');
    list.setAttribute('aria-multiselectable', 'true');
    list.textContent = 'Reading values…';
    body.append(find, list);
    let values: { value: string | null; count: number }[] = [];
    const draw = () => {
      const q = find.value.toLowerCase();
      list.replaceChildren(
        ...values
          .filter((v) => v.value !== null && v.value.toLowerCase().includes(q))
          .map((v) => {
            const label = el('label', 'fe-value');
            const box = el('input', 'checkbox');
            box.type = 'checkbox';
            box.checked = chosen.has(v.value!);
            box.addEventListener('change', () => (box.checked ? chosen.add(v.value!) : chosen.delete(v.value!)));
            label.append(
              box,
              el('span', 'fe-value-text', v.value === '' ? '""' : v.value!),
              el('span', 'fe-count', thousands(v.count)),
            );
            label.setAttribute('role', 'option');
            return label;
          }),
      );
    };
    find.addEventListener('input', draw);
    void request({ type: 'getValues', column }, 'values').then((m) => {
      if (!m.values) {
        list.textContent = 'Too many distinct values to list: type one with Equals or Contains.';
        return;
      }
      values = m.values;
      draw();
    });
    return () => (chosen.size ? { column, op: 'equals', values: [...chosen] } : 'Check at least one value');
  }
}
