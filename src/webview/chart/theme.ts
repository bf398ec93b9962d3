/**
 * The chart's colours, from the VS Code theme's CSS variables (the charts palette, the editor's
 * foreground and background), read again whenever VS Code switches the theme (it changes the body's
 * class and the variables), so a canvas drawn in one theme is redrawn in the next.
 */
export interface Palette {
  readonly kind: 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';
  readonly foreground: string;
  readonly muted: string;
  readonly grid: string;
  readonly background: string;
  /** One colour per series, in order. */
  readonly series: readonly string[];
  readonly positive: string;
  readonly negative: string;
}

const css = (name: string, fallback: string) =>
  getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;

export function themeKind(): Palette['kind'] {
  const c = document.body.classList;
  if (c.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (c.contains('vscode-high-contrast')) return 'high-contrast';
  return c.contains('vscode-light') ? 'light' : 'dark';
}

export function palette(): Palette {
  const kind = themeKind();
  const light = kind === 'light' || kind === 'high-contrast-light';
  const foreground = css('--vscode-editor-foreground', light ? '#333333' : '#cccccc');
  return {
    kind,
    foreground,
    muted: css('--vscode-descriptionForeground', foreground),
    grid: kind.startsWith('high')
      ? css('--vscode-contrastBorder', foreground)
      : css('--vscode-charts-lines', '#80808059'),
    background: css('--vscode-editor-background', light ? '#ffffff' : '#1e1e1e'),
    series: [
      css('--vscode-charts-blue', '#3794ff'),
      css('--vscode-charts-orange', '#d18616'),
      css('--vscode-charts-purple', '#b180d7'),
      css('--vscode-charts-yellow', '#cca700'),
      css('--vscode-charts-foreground', foreground),
    ],
    positive: css('--vscode-charts-green', '#89d185'),
    negative: css('--vscode-charts-red', '#f14c4c'),
  };
}

/** Calls `changed` after VS Code changes the theme; the function returned stops it. */
export function onThemeChange(changed: () => void): () => void {
  let last = document.body.className;
  const observer = new MutationObserver(() => {
    if (document.body.className === last) return;
    last = document.body.className;
    changed();
  });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  return () => observer.disconnect();
}

const probe = document.createElement('canvas').getContext('2d')!;

/** Any CSS colour the theme gives (hex, rgb(a), a name) with `alpha` times its own opacity. */
export function withAlpha(color: string, alpha: number): string {
  probe.fillStyle = '#000000';
  probe.fillStyle = color;
  const c = String(probe.fillStyle); // '#rrggbb', or 'rgba(r, g, b, a)' for a translucent colour
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(c);
  if (hex) return `rgba(${parseInt(hex[1], 16)}, ${parseInt(hex[2], 16)}, ${parseInt(hex[3], 16)}, ${alpha})`;
  const rgba = /^rgba\((\d+), (\d+), (\d+), ([\d.]+)\)$/.exec(c);
  return rgba ? `rgba(${rgba[1]}, ${rgba[2]}, ${rgba[3]}, ${Number(rgba[4]) * alpha})` : color;
}

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** A value as the chart and the table show it. */
export function formatValue(v: number | null | undefined, unit: 'count' | 'usd' | 'ratio'): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  if (unit === 'usd') return usd.format(v);
  if (unit === 'ratio') return `${(v * 100).toFixed(1)}%`;
  return count.format(v);
}
