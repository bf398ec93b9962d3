/**
 * The chart itself, drawn by uPlot (canvas): lines for point-in-time measures, bars above and below
 * zero with the net line for movements, bars for revenue, bars and a rate line for trial conversion.
 * uPlot's legend is the hover read-out (the period and every series' value) and toggles a series on
 * click. A click in the plot names the point under the cursor, for the drill-down.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ChartData } from '../../core/measures/chartData';
import type { PointRef } from '../../core/measures/rowSets';
import { formatValue, withAlpha, type Palette } from './theme';

const DAY = 86400;

/** YYYY-MM-DD → seconds (uPlot's time scale). */
const seconds = (key: string) => Date.parse(`${key}T00:00:00Z`) / 1000;
const utc = (ts: number) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC');

export class Plot {
  private u: uPlot | null = null;
  private data: ChartData | null = null;
  private colors: string[] = [];

  constructor(
    private readonly host: HTMLElement,
    /** Where uPlot's legend (the hover read-out) goes: under the plot, outside its box. */
    private readonly legendBox: HTMLElement,
    private readonly onPoint: (point: PointRef, label: string) => void,
    /** The chart's root element, which carries its marks for the tests and the bench (data-series-color). */
    private readonly marks: HTMLElement = document.body,
  ) {
    this.resizes = new ResizeObserver(() => this.fit());
    this.resizes.observe(host);
  }

  private readonly resizes: ResizeObserver;

  /** Stops watching the plot's size (the chart is taken off the page). */
  dispose(): void {
    this.resizes.disconnect();
    this.clear();
  }

  /** The canvas, for the PNG. */
  get canvas(): HTMLCanvasElement | null {
    return this.u?.ctx.canvas ?? null;
  }

  /** Shown series (the legend may have hidden some), with their colours. */
  get shown(): { label: string; color: string }[] {
    const u = this.u;
    if (!u) return [];
    return u.series.slice(1).flatMap((s, i) => (s.show ? [{ label: s.label as string, color: this.colors[i] }] : []));
  }

  clear(): void {
    this.legendBox.replaceChildren();
    this.u?.destroy();
    this.u = null;
    this.data = null;
  }

  private fit(): void {
    if (!this.u) return;
    const { width, height } = this.size();
    this.u.setSize({ width, height });
  }

  /** The plot's size: its box (the legend is outside it). */
  private size(): { width: number; height: number } {
    const r = this.host.getBoundingClientRect();
    return { width: Math.max(200, Math.floor(r.width) - 4), height: Math.max(140, Math.floor(r.height) - 4) };
  }

  draw(d: ChartData, p: Palette): void {
    const hidden = this.u ? this.u.series.slice(1).map((s) => [s.label as string, !s.show] as const) : [];
    const wasHidden = new Map(this.data?.title === d.title ? hidden : []);
    this.u?.destroy();
    this.data = d;
    const x = d.x.map(seconds);
    // a first week or month cut by the range's start sits where its period starts, so bars keep one width
    if (x.length > 2 && x[1] - x[0] < x[2] - x[1])
      x[0] = naturalStart(d.x[0], x[2] - x[1] > 7 * DAY ? 'month' : 'week');
    const step = x.length > 2 ? x[2] - x[1] : x.length > 1 ? x[1] - x[0] : DAY;
    const bars = uPlot.paths.bars!;
    const colorOf = (i: number) =>
      d.kind === 'movement'
        ? i === 0
          ? p.positive
          : i === 1
            ? p.negative
            : p.series[(i - 2) % p.series.length]
        : p.series[i % p.series.length];
    const twoBars = d.series.filter((s) => s.style === 'bar').length === 2 && d.kind !== 'movement';
    let barNo = 0;
    const series: uPlot.Series[] = [
      { label: 'Period', value: (_u, v) => (v === null ? '–' : new Date(v * 1000).toISOString().slice(0, 10)) },
      ...d.series.map((s, i): uPlot.Series => {
        const color = colorOf(i);
        const unit = s.right ? 'ratio' : d.unit;
        const secondary =
          (d.kind === 'bars' || d.kind === 'movement') && s.style === 'line' && i > (d.kind === 'movement' ? 2 : 0);
        const base: uPlot.Series = {
          label: s.label,
          stroke: color,
          width: s.style === 'line' ? (p.kind.startsWith('high') ? 2.5 : 2) : 1,
          scale: s.right ? 'r' : 'y',
          show: wasHidden.has(s.label) ? !wasHidden.get(s.label) : !secondary,
          value: (_u, v) => formatValue(v === null ? null : s.below ? -v : v, unit),
          spanGaps: false,
          points: { show: x.length <= 60, size: 5, fill: color },
        };
        if (s.style !== 'bar') return base;
        const align = twoBars ? (barNo++ === 0 ? -1 : 1) : 0;
        return {
          ...base,
          fill: withAlpha(color, p.kind.startsWith('high') ? 1 : 0.75),
          paths: bars({ size: [twoBars ? 0.4 : 0.7, 48, 1], align }),
          points: { show: false },
        };
      }),
    ];
    const axis = (scale: string, side: 0 | 1 | 2 | 3, unit: 'count' | 'usd' | 'ratio'): uPlot.Axis => ({
      scale,
      side,
      stroke: p.muted,
      grid: { show: scale !== 'r', stroke: withAlpha(p.grid, p.kind.startsWith('high') ? 0.6 : 0.35), width: 1 },
      ticks: { show: true, stroke: withAlpha(p.grid, 0.6), width: 1, size: 4 },
      font: `11px ${getComputedStyle(document.body).fontFamily}`,
      size: scale === 'x' ? 36 : unit === 'usd' ? 76 : 56,
      values:
        scale === 'x'
          ? undefined
          : (_u, vals) => vals.map((v) => (unit === 'usd' ? compactUsd(v) : formatValue(v, unit))),
    });
    const right = d.series.some((s) => s.right);
    const opts: uPlot.Options = {
      ...this.size(),
      tzDate: utc,
      cursor: {
        drag: { x: false, y: false },
        points: { size: 7 },
        focus: { prox: 24 },
      },
      focus: { alpha: 0.5 },
      legend: { live: true, mount: (_u, el) => this.legendBox.replaceChildren(el) },
      scales: {
        x: { time: true, range: (_u, lo, hi) => [lo - step / 2, hi + step / 2] },
        y: { auto: true, range: (_u, lo, hi) => padRange(lo, hi, d.kind === 'lines') },
        ...(right ? { r: { auto: false, range: [0, 1] as [number, number] } } : {}),
      },
      axes: [axis('x', 2, 'count'), axis('y', 3, d.unit), ...(right ? [axis('r', 1, 'ratio')] : [])],
      series,
    };
    const values = d.series.map((s) => s.values.map((v) => (v === null ? null : s.below ? -v : v)));
    this.u = new uPlot(opts, [x, ...values] as uPlot.AlignedData, this.host);
    this.u.over.addEventListener('click', () => this.clicked());
    this.colors = d.series.map((_, i) => colorOf(i));
    this.marks.dataset.seriesColor = this.colors[0];
  }

  /** Where a value is drawn, in CSS pixels within the plotting area (the middle of a bar). */
  position(idx: number, series: number): { x: number; y: number } | null {
    const u = this.u;
    const s = this.data?.series[series];
    if (!u || !s) return null;
    const v = u.data[series + 1][idx];
    if (v === null || v === undefined) return null;
    const scale = s.right ? 'r' : 'y';
    const y = u.valToPos(v, scale);
    return { x: u.valToPos(u.data[0][idx], 'x'), y: s.style === 'bar' ? (y + u.valToPos(0, scale)) / 2 : y };
  }

  /** The point under the cursor: its period and the series nearest the pointer. */
  private clicked(): void {
    const u = this.u;
    const d = this.data;
    if (!u || !d) return;
    const idx = u.cursor.idx;
    if (idx === null || idx === undefined) return;
    const period = d.x[idx];
    let pick = -1;
    let best = Infinity;
    const top = u.cursor.top ?? 0;
    d.series.forEach((s, i) => {
      if (!u.series[i + 1].show) return;
      const v = u.data[i + 1][idx];
      if (v === null || v === undefined) return;
      const y = u.valToPos(v, s.right ? 'r' : 'y');
      // a bar is hit anywhere between zero and its top
      const zero = u.valToPos(0, 'y');
      const inside = s.style === 'bar' && top >= Math.min(y, zero) && top <= Math.max(y, zero);
      const dist = inside ? 0 : Math.abs(y - top);
      if (dist < best) {
        best = dist;
        pick = i;
      }
    });
    if (pick < 0) return;
    const s = d.series[pick];
    const single = d.series.length === 1 || (d.kind === 'lines' && d.series.length === 1);
    const series = single || d.kind === 'bars' ? undefined : s.key === 'cvr' ? 'trials_ending' : s.key;
    this.onPoint({ period, ...(series !== undefined ? { series } : {}) }, `${s.label}, ${period}`);
  }
}

/** Seconds of the Monday (or the 1st) that starts the week (or month) of a day. */
function naturalStart(key: string, unit: 'week' | 'month'): number {
  const d = new Date(`${key}T00:00:00Z`);
  if (unit === 'month') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 1000;
  return (d.getTime() - ((d.getUTCDay() + 6) % 7) * 86_400_000) / 1000;
}

function compactUsd(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `$${(v / 1e6).toFixed(a >= 1e7 ? 0 : 1)}M`;
  if (a >= 1e4) return `$${(v / 1e3).toFixed(a >= 1e5 ? 0 : 1)}k`;
  return `$${v.toLocaleString('en-US', { maximumFractionDigits: 2 })}`;
}

/** Some room above (and below) the data; counts and money from zero unless they sit far from it. */
function padRange(lo: number | null, hi: number | null, lines: boolean): uPlot.Range.MinMax {
  const a = lo ?? 0;
  const b = hi ?? 1;
  const min = lines && a > 0 && a > b * 0.5 ? a - (b - a) * 0.15 : Math.min(0, a);
  const max = b <= 0 ? 0 : b + (b - min) * 0.08 || 1;
  const low = min < 0 ? min - (max - min) * 0.08 : min;
  return [low, max === low ? low + 1 : max];
}
