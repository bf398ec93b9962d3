/**
 * The bar under the grid: file, template, delimiter, rows (n of N when filtered), sizes, problem counts
 * and the Problems button; loading progress. It stays on one line at any width: when it does not fit,
 * the less important parts go first (delimiter, sizes, template, file name, counts), the rows text is
 * elided last, and the Problems button always shows whole. The bar's tooltip holds all of it. The
 * description of a chart's rows (a drill-down) is a line of its own above the rest, wrapped to the
 * bar's width and never cut: beside a chart the grid is narrow, and that text says what the rows are.
 */
import type { Model } from '../grid/model';
import { thousands } from '../grid/cellFormat';

/** The parts of the bar, least important first: hidden in this order when the bar is too narrow. */
const DROP_ORDER = ['delimiter', 'size', 'template', 'file', 'counts'] as const;

export class InfoBar {
  readonly element = document.createElement('div');
  /** The one-line part (file, rows, sizes, counts, the Problems button). */
  private readonly line = document.createElement('div');
  /** The thin bar at the top of the editor while the file loads. */
  readonly progress = document.createElement('div');
  /** A fit is due before the next frame (fitSoon). */
  private fitting = false;

  constructor(
    private readonly model: Model,
    private readonly extra: HTMLElement,
  ) {
    this.element.className = 'infobar';
    this.element.setAttribute('role', 'status');
    this.line.className = 'line';
    this.progress.className = 'progress';
    this.progress.setAttribute('role', 'progressbar');
    this.progress.setAttribute('aria-label', 'Loading');
    this.progress.append(document.createElement('div'));
    // the line's box, and the Problems button: its label grows ("Problems (219)") when the counts come in,
    // after the last render, and the bar must fit again then
    const resized = new ResizeObserver(() => this.fit());
    resized.observe(this.line);
    resized.observe(this.extra);
    void document.fonts?.ready.then(() => this.fit());
  }

  /** Hides the less important parts until the bar fits its width. */
  private fit(): void {
    const items = [...this.line.querySelectorAll<HTMLElement>('.item')];
    for (const it of items) it.hidden = false;
    // measured at their natural widths: the rows text shrinks only once the rest is gone
    this.line.classList.add('measuring');
    for (const k of DROP_ORDER) {
      if (this.line.scrollWidth <= this.line.clientWidth) break;
      const it = items.find((x) => x.classList.contains(k));
      if (it) it.hidden = true;
    }
    this.line.classList.remove('measuring');
  }

  render(): void {
    const m = this.model;
    const l = m.loading;
    this.progress.hidden = !l.active;
    (this.progress.firstChild as HTMLElement).style.width = `${Math.round(l.fraction * 100)}%`;
    this.progress.setAttribute('aria-valuenow', String(Math.round(l.fraction * 100)));
    const meta = m.meta;
    const parts: [string, string][] = [];
    if (!meta) {
      parts.push(['loading', l.rows ? `Loading… ${thousands(l.rows)} rows` : 'Loading…']);
    } else {
      const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
      const n = thousands;
      parts.push(
        ['file', meta.file],
        ['template', `template ${meta.template} (${meta.templateSource})`],
        ['delimiter', `delimiter ${JSON.stringify(meta.delimiter)}`],
      );
      if (l.active)
        parts.push([
          'rows',
          `loading… ${n(Math.max(l.rows, meta.rowCount))} rows so far (${Math.round(l.fraction * 100)}%)`,
        ]);
      else parts.push(['rows', m.filtered ? `${n(m.total)} of ${n(meta.rowCount)} rows` : `${n(meta.rowCount)} rows`]);
      if (m.view.rowSet) parts.push(['rowset', `chart rows: ${m.view.rowSet.label}`]);
      if (!l.active) parts.push(['size', `${mb(meta.bytes)} text, ${mb(meta.compressedBytes)} on disk`]);
      if (meta.problems)
        parts.push([
          'counts',
          `${n(meta.problems.error)} errors · ${n(meta.problems.warning)} warnings · ${n(meta.problems.information)} info`,
        ]);
    }
    const item = ([k, text]: [string, string]) => {
      const s = document.createElement('span');
      s.className = `item ${k}`;
      s.textContent = text;
      return s;
    };
    this.line.replaceChildren(...parts.filter(([k]) => k !== 'rowset').map(item), this.extra);
    const set = parts.find(([k]) => k === 'rowset');
    this.element.replaceChildren(...(set ? [item(set)] : []), this.line);
    this.element.title = parts.map(([, text]) => text).join('\n');
    this.fitSoon();
  }

  /**
   * Fits the bar before the next frame rather than now: measuring it lays out the whole page, and
   * the grid's first rows are still being put in (one layout then, not one per change).
   */
  private fitSoon(): void {
    if (this.fitting) return;
    this.fitting = true;
    requestAnimationFrame(() => {
      this.fitting = false;
      this.fit();
    });
  }
}
