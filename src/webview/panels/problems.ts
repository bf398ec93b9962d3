/**
 * The problems list inside the editor: counts per rule and column, then the problems; a click reveals
 * one. The list (up to a few thousand entries) is built when it is first shown, not when it arrives:
 * it comes with the first rows of a file opened again and would hold up their paint.
 */
import type { Problem, ToWebview } from '../../protocol/editor';

type Problems = Extract<ToWebview, { type: 'problems' }>;

const ICON: Record<Problem['severity'], string> = { error: '✕', warning: '!', information: 'i' };

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
    const total = m.groups.reduce((n, g) => n + g.count, 0);
    this.toggleButton.textContent = `Problems (${total.toLocaleString('en-US')})`;
    this.pending = m;
    if (!this.element.hidden) this.build();
  }

  private build(): void {
    const m = this.pending;
    if (!m) return;
    this.pending = null;
    const summary = document.createElement('div');
    summary.className = 'groups';
    for (const g of [...m.groups].sort((a, b) => b.count - a.count)) {
      const line = document.createElement('div');
      line.className = `group ${g.severity}`;
      line.textContent = `${ICON[g.severity]} ${g.rule}${g.column ? ` in ${g.column}` : ''}: ${g.count.toLocaleString('en-US')}`;
      summary.append(line);
    }
    const items = m.items.map((p) => {
      const b = document.createElement('button');
      b.className = `problem ${p.severity}`;
      b.setAttribute('role', 'listitem');
      if (p.row !== null) b.dataset.row = String(p.row);
      b.textContent = `${ICON[p.severity]} line ${p.line}${p.row !== null ? `, row ${p.row}` : ''}${p.column ? ` · ${p.column}` : ''} · ${p.rule}: ${p.message}`;
      b.addEventListener('click', () => this.onPick(p));
      return b;
    });
    this.element.replaceChildren(summary, ...items);
  }
}
