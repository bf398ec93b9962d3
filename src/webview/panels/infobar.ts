/** The bar under the grid: file, template, delimiter, rows (n of N when filtered), sizes, problems; loading progress. */
import type { Model } from '../grid/model';

export class InfoBar {
  readonly element = document.createElement('div');
  /** The thin bar at the top of the editor while the file loads. */
  readonly progress = document.createElement('div');

  constructor(
    private readonly model: Model,
    private readonly extra: HTMLElement,
  ) {
    this.element.className = 'infobar';
    this.element.setAttribute('role', 'status');
    this.progress.className = 'progress';
    this.progress.setAttribute('role', 'progressbar');
    this.progress.setAttribute('aria-label', 'Loading');
    this.progress.append(document.createElement('div'));
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
      parts.push(['loading', l.rows ? `Loading… ${l.rows.toLocaleString('en-US')} rows` : 'Loading…']);
    } else {
      const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
      const n = (x: number) => x.toLocaleString('en-US');
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
      if (!l.active) parts.push(['size', `${mb(meta.bytes)} text, ${mb(meta.compressedBytes)} on disk`]);
      if (meta.problems)
        parts.push([
          'counts',
          `${n(meta.problems.error)} errors · ${n(meta.problems.warning)} warnings · ${n(meta.problems.information)} info`,
        ]);
    }
    this.element.replaceChildren(
      ...parts.map(([k, text]) => {
        const s = document.createElement('span');
        s.className = `item ${k}`;
        s.textContent = text;
        return s;
      }),
      this.extra,
    );
  }
}
