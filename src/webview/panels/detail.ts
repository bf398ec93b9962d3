/**
 * The row details: every column of one row, typed (timestamps, numbers, booleans, entitlement
 * chips, attributes as indented JSON), with each column's documentation and the row's problems.
 * Opened with Enter or a double-click; it follows the focused row while open.
 */
import { arrayItems } from '../../core/catalog/cellValues';
import type { ReplyOf } from '../../protocol/channel';
import type { ColumnInfo, EditorLink, Problem } from '../../protocol/editor';
import { renderCell } from '../grid/cellView';
import { request } from '../host';
import { iconButton, severityIcon, typeBadge } from '../icons';
import { thousands } from '../grid/cellFormat';

type RowReply = ReplyOf<EditorLink, 'getRow'>;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Attribute JSON indented, or the text as it is when it is not JSON. */
function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

export interface DetailActions {
  /** Move the focus to the previous (-1) or next (+1) row. */
  step(delta: -1 | 1): void;
  close(): void;
}

export class DetailPanel {
  readonly element = el('aside', 'detail');
  private row = -1;
  private asked = 0;

  constructor(
    private readonly columns: () => ColumnInfo[],
    private readonly actions: DetailActions,
  ) {
    this.element.hidden = true;
    this.element.setAttribute('aria-label', 'Row details');
    this.element.tabIndex = -1;
    this.element.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        this.actions.close();
      }
    });
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  hide(): void {
    this.element.hidden = true;
    this.row = -1;
  }

  /** Shows file row `row` (0-based); a row already shown is not asked for again. */
  show(row: number): void {
    this.element.hidden = false;
    if (row === this.row) return;
    this.row = row;
    const ask = ++this.asked;
    void request({ type: 'getRow', row }, 'row').then((m) => {
      if (ask === this.asked) this.draw(m);
    });
  }

  private draw(m: RowReply): void {
    const head = el('div', 'detail-head');
    const title = el('div', 'detail-title', `Row ${thousands(m.row + 1)}`);
    const sub = el('span', 'detail-sub', `line ${thousands(m.line)}`);
    title.append(sub);
    head.append(
      title,
      iconButton('arrowUp', 'Previous Row', () => this.actions.step(-1)),
      iconButton('arrowDown', 'Next Row', () => this.actions.step(1)),
      iconButton('close', 'Close (Escape)', () => this.actions.close()),
    );
    const list = el('div', 'detail-list');
    list.setAttribute('role', 'list');
    if (m.problems.length) list.append(this.problems(m.problems));
    this.columns().forEach((c, i) => list.append(this.field(c, m.cells[i] ?? null)));
    this.element.replaceChildren(head, list);
  }

  private problems(problems: Problem[]): HTMLElement {
    const box = el('div', 'detail-problems');
    for (const p of problems) {
      const line = el('div', `detail-problem ${p.severity}`);
      line.append(severityIcon(p.severity), el('span', '', `${p.column ? `${p.column}: ` : ''}${p.message}`));
      box.append(line);
    }
    return box;
  }

  private field(c: ColumnInfo, value: string | null): HTMLElement {
    const item = el('div', 'detail-item');
    item.setAttribute('role', 'listitem');
    const name = el('div', 'detail-name');
    name.append(typeBadge(c.type), el('span', c.known ? '' : 'unknown', c.name));
    const doc = el('div', 'detail-doc', c.doc);
    let shown: HTMLElement;
    if (value !== null && value !== '' && c.type === 'json') {
      shown = el('pre', 'detail-json', prettyJson(value));
    } else if (value !== null && value !== '' && c.type === 'array') {
      shown = el('div', 'detail-value');
      for (const item of arrayItems(value)) shown.append(el('span', 'chip', item));
    } else {
      shown = el('div', 'detail-value');
      renderCell(shown, value, c);
      shown.classList.add('detail-value');
    }
    item.append(name, shown, doc);
    return item;
  }
}
