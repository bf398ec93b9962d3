/**
 * Small line glyphs in the spirit of VS Code's codicons (drawn here: 16×16, currentColor), and the
 * severity icons of VS Code's own Problems panel (the codicons themselves, from @vscode/codicons,
 * CC BY 4.0), built as SVG elements, never as markup strings.
 */
import errorSvg from '@vscode/codicons/src/icons/error.svg';
import infoSvg from '@vscode/codicons/src/icons/info.svg';
import warningSvg from '@vscode/codicons/src/icons/warning.svg';
import type { ColumnInfo } from '../protocol/editor';

const NS = 'http://www.w3.org/2000/svg';

const PATHS = {
  search: 'M6.5 2.5a4 4 0 1 1 0 8a4 4 0 0 1 0-8zM9.5 9.5l4 4',
  filter: 'M2.5 3.5h11l-4.25 5v4.5l-2.5 1v-5.5z',
  close: 'M4 4l8 8M12 4l-8 8',
  columns: 'M2.5 3.5h11v9h-11zM6.2 3.5v9M9.8 3.5v9',
  clearFilter: 'M1.5 3.5h9l-3.5 4v4l-2 1v-5zM10 9l4 4M14 9l-4 4',
  up: 'M4 10l4-4 4 4',
  down: 'M4 6l4 4 4-4',
  arrowUp: 'M8 13V3M4 7l4-4 4 4',
  arrowDown: 'M8 3v10M4 9l4 4 4-4',
  clock: 'M8 2.5a5.5 5.5 0 1 1 0 11a5.5 5.5 0 0 1 0-11zM8 5v3.2l2.2 1.3',
  toggle: 'M5.5 5h5a3 3 0 0 1 0 6h-5a3 3 0 0 1 0-6zM10.5 6.5a1.5 1.5 0 1 1 0 3a1.5 1.5 0 0 1 0-3z',
  summary: 'M2.5 13.5h11M4 13.5v-4M7 13.5v-9M10 13.5v-6M13 13.5v-2.5',
  summaryRow: 'M2.5 2.5h11v11h-11zM2.5 5.5h11M2.5 9.5h11M5 9v-1.5M7.5 9v-2.5M10 9v-1',
  detail: 'M2.5 2.5h11v11h-11zM9.5 2.5v11M11 5h1M11 7.5h1M11 10h1',
  graph: 'M2.5 2.5v11h11M4.5 11l3-4 2.5 2 3.5-5',
} as const;

export type IconName = keyof typeof PATHS;

export function icon(name: IconName, className = 'glyph'): SVGSVGElement {
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('class', `${className} icon-${name}`);
  svg.setAttribute('aria-hidden', 'true');
  const p = document.createElementNS(NS, 'path');
  p.setAttribute('d', PATHS[name]);
  svg.append(p);
  return svg;
}

const SEVERITY_SVG = { error: errorSvg, warning: warningSvg, information: infoSvg } as const;
/** The path data of each severity's codicon, read once from its SVG text. */
const severityPaths = new Map<keyof typeof SEVERITY_SVG, string[]>();

/** The codicon VS Code's Problems panel shows for a severity (error, warning, info), filled in currentColor. */
export function severityIcon(severity: keyof typeof SEVERITY_SVG): SVGSVGElement {
  let paths = severityPaths.get(severity);
  if (!paths) {
    paths = [...SEVERITY_SVG[severity].matchAll(/\sd="([^"]+)"/g)].map((m) => m[1]);
    severityPaths.set(severity, paths);
  }
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('class', `codicon codicon-${severity === 'information' ? 'info' : severity}`);
  svg.setAttribute('aria-hidden', 'true');
  for (const d of paths) {
    const p = document.createElementNS(NS, 'path');
    p.setAttribute('d', d);
    svg.append(p);
  }
  return svg;
}

/** A column type's badge in the header and the row details. */
export function typeBadge(type: ColumnInfo['type']): HTMLElement {
  const b = document.createElement('span');
  b.className = `type-badge t-${type}`;
  b.title = type;
  if (type === 'timestamp') b.append(icon('clock'));
  else if (type === 'boolean') b.append(icon('toggle'));
  else b.textContent = { string: 'abc', float: '1.2', integer: '#', array: '[ ]', json: '{ }' }[type];
  return b;
}

/** A toolbar button with a glyph and an accessible name. */
export function iconButton(name: IconName, label: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement('button');
  b.className = 'icon-button';
  b.title = label;
  b.setAttribute('aria-label', label);
  b.append(icon(name));
  b.addEventListener('click', (e) => {
    e.stopPropagation();
    onClick();
  });
  return b;
}
