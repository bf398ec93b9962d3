/**
 * The problems list inside the editor, drawn like VS Code's Problems panel: each entry with the
 * severity's codicon in the panel's colours, the message in the normal text colour and where it is in
 * the quieter one. First a summary per rule and column, errors first; a click on an entry reveals it.
 * The list (up to a few thousand entries) is built when it is first shown, not when it arrives: it
 * comes with the first rows of a file opened again and would hold up their paint.
 */
import type { Problem, ToWebview } from '../../protocol/editor';
import { severityIcon } from '../icons';
import { thousands } from '../grid/cellFormat';

type Problems = Extract<ToWebview, { type: 'problems' }>;

const RANK: Record<Problem['severity'], number> = { error: 0, warning: 1, information: 2 };
const n = thousands;

function span(className: string, text: string): HTMLSpanElement {
  const s = document.createElement('span');
  s.className = className;
  s.textContent = text;
  return s;
}

export class ProblemsPanel {
  readonly element = document.createElement('div');
  readonly toggleButton = document.createElement('button');
  /** Problems that arrived since the list was last built. */
  private pending: Problems | null = null;

  constructor(private readonly onPick: (p: Problem) => void) {
    this.element.className = 'problems';
    this.element.hidden = true;
    this.element.setAttribute('role', 'list');
    this.toggleButton.className = 'problems-toggle';
    this.toggleButton.textContent = 'Problems';
    this.toggleButton.addEventListener('click', () => this.toggle());
  }

  toggle(show = this.element.hidden): void {
    if (show) this.build();
    this.element.hidden = !show;
    this.toggleButton.classList.toggle('open', show);
  }

  update(m: Problems): void {
    const total = m.groups.reduce((k, g) => k + g.count, 0);
    this.toggleButton.textContent = `Problems (${n(total)})`;
    this.pending = m;
    if (!this.element.hidden) this.build();
  }

  private build(): void {
    const m = this.pending;
    if (!m) return;
    this.pending = null;
    const summary = document.createElement('div');
    summary.className = 'groups';
    const groups = [...m.groups].sort((a, b) => RANK[a.severity] - RANK[b.severity] || b.count - a.count);
    for (const g of groups) {
      const line = document.createElement('div');
      line.className = `group ${g.severity}`;
      line.append(
        severityIcon(g.severity),
        span('text', `${g.rule}${g.column ? ` in ${g.column}` : ''}`),
        span('count', n(g.count)),
      );
      summary.append(line);
    }
    const items = m.items.map((p) => {
      const b = document.createElement('button');
      b.className = `problem ${p.severity}`;
      b.setAttribute('role', 'listitem');
      if (p.row !== null) b.dataset.row = String(p.row);
      b.title = `${p.severity}: ${p.message}`;
      b.append(
        severityIcon(p.severity),
        span('text', p.message),
        span(
          'where',
          `${p.rule} · line ${n(p.line)}${p.row !== null ? `, row ${n(p.row)}` : ''}${p.column ? ` · ${p.column}` : ''}`,
        ),
      );
      b.addEventListener('click', () => this.onPick(p));
      return b;
    });
    this.element.replaceChildren(summary, ...items);
  }
}
