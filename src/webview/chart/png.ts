/**
 * Save Chart as PNG: the chart as the user sees it, on the theme's background, with its title and
 * the shown series' legend; a heatmap or an LTV table is painted cell by cell from the page's own
 * layout and colours. Returns a data: URL (the host writes the file).
 */
import type { Palette } from './theme';

const MAX_HEIGHT = 6000;

function titled(width: number, body: number, title: string, subtitle: string, p: Palette, dpr: number) {
  const canvas = document.createElement('canvas');
  const head = 46 * dpr;
  canvas.width = width;
  canvas.height = head + body + 12 * dpr;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = p.background;
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  const font = getComputedStyle(document.body).fontFamily;
  ctx.fillStyle = p.foreground;
  ctx.font = `600 ${14 * dpr}px ${font}`;
  ctx.fillText(title, 12 * dpr, 20 * dpr);
  ctx.fillStyle = p.muted;
  ctx.font = `${11 * dpr}px ${font}`;
  ctx.fillText(subtitle, 12 * dpr, 38 * dpr);
  return { canvas, ctx, top: head, font };
}

/** A uPlot canvas with a title and a legend. */
export function plotPng(
  plot: HTMLCanvasElement,
  legend: { label: string; color: string }[],
  title: string,
  subtitle: string,
  p: Palette,
): string {
  const dpr = plot.width / Math.max(1, plot.clientWidth || plot.width);
  const legendHeight = 24 * dpr;
  const { canvas, ctx, top, font } = titled(plot.width, plot.height + legendHeight, title, subtitle, p, dpr);
  ctx.drawImage(plot, 0, top);
  let x = 12 * dpr;
  const y = top + plot.height + 14 * dpr;
  ctx.font = `${11 * dpr}px ${font}`;
  for (const s of legend) {
    ctx.fillStyle = s.color;
    ctx.fillRect(x, y - 8 * dpr, 10 * dpr, 10 * dpr);
    ctx.fillStyle = p.foreground;
    ctx.fillText(s.label, x + 14 * dpr, y);
    x += ctx.measureText(s.label).width + 32 * dpr;
  }
  return canvas.toDataURL('image/png');
}

/** A table as laid out on the page: cell backgrounds, bars, borders and text. */
export function tablePng(table: HTMLTableElement, title: string, subtitle: string, p: Palette): string {
  const dpr = window.devicePixelRatio || 1;
  const box = table.getBoundingClientRect();
  const height = Math.min(box.height, MAX_HEIGHT);
  const { canvas, ctx, top } = titled(Math.ceil(box.width * dpr) + 24 * dpr, height * dpr, title, subtitle, p, dpr);
  ctx.save();
  ctx.translate(12 * dpr, top);
  ctx.scale(dpr, dpr);
  for (const cell of table.querySelectorAll<HTMLElement>('th, td')) {
    const r = cell.getBoundingClientRect();
    const x = r.left - box.left;
    const y = r.top - box.top;
    if (y > height) break;
    const style = getComputedStyle(cell);
    if (style.backgroundColor && style.backgroundColor !== 'rgba(0, 0, 0, 0)') {
      ctx.fillStyle = style.backgroundColor;
      ctx.fillRect(x, y, r.width, r.height);
    }
    // an LTV cell's bar: its track, then the bar in it
    for (const part of cell.querySelectorAll<HTMLElement>('.bar-track, .bar')) {
      const b = part.getBoundingClientRect();
      ctx.fillStyle = getComputedStyle(part).backgroundColor;
      ctx.fillRect(b.left - box.left, b.top - box.top, b.width, b.height);
    }
    ctx.strokeStyle = p.grid;
    ctx.lineWidth = 0.5;
    ctx.strokeRect(x, y, r.width, r.height);
    const text = cell.textContent ?? '';
    const inner = cell.querySelector<HTMLElement>('button, .bar-label') ?? cell;
    const is = getComputedStyle(inner);
    ctx.fillStyle = is.color;
    ctx.font = `${is.fontWeight} ${is.fontSize} ${is.fontFamily}`;
    ctx.textBaseline = 'middle';
    const right = is.textAlign === 'right' || style.textAlign === 'right';
    ctx.textAlign = right ? 'right' : 'left';
    if (inner.classList.contains('bar-label')) {
      // the figure where the page has it: before its bar
      const t = inner.getBoundingClientRect();
      ctx.textAlign = 'right';
      ctx.fillText(text, t.right - box.left, y + r.height / 2);
    } else ctx.fillText(text, right ? x + r.width - 6 : x + 6, y + r.height / 2, r.width - 8);
  }
  ctx.restore();
  return canvas.toDataURL('image/png');
}
