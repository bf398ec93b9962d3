/**
 * A chart over the link to its host, in an element of a page: the chart panel's whole page
 * (main.ts), or the pane under the export editor's grid (pane.ts). Progress while the source loads,
 * then the controls, the chart (uPlot, or the retention heatmap, or the LTV table) and the same
 * numbers as a table under it. A click on a point, a bar, a cell or a table value asks the host for
 * the rows behind it (shown in a grid). The root element carries the marks the tests and the bench
 * read (`data-state`, `data-on-screen`, …) and the class `rc-chart` its style sheet is scoped to.
 */
import { chartCsv, pickPeriods, type ChartData } from '../../core/measures/chartData';
import type { PointRef } from '../../core/measures/rowSets';
import { connect, type Endpoint, type ServerEvent } from '../../protocol/channel';
import { chartLink, type ChartLink } from '../../protocol/chart';
import { ATTRIBUTE_MEASURE, Controls } from './controls';
import { Plot } from './plot';
import { plotPng, tablePng } from './png';
import { barTable, heatmap, seriesTable } from './tables';
import { onThemeChange, palette, themeKind } from './theme';

export interface ChartViewOptions {
  /** The host's first message, when the page carried it. */
  readonly first?: ServerEvent<ChartLink> | null;
  /** Where a drill-down's rows went, for the status line ("opened in the grid"). */
  readonly drilledTo?: (files: number) => string;
}

export interface ChartView {
  /** Takes the chart off its element and closes its link. */
  dispose(): void;
}

const el = (tag: string, className: string) => {
  const e = document.createElement(tag);
  e.className = className;
  return e;
};

/** Epoch ms (the bench compares them across the host and the page). */
const epoch = () => (performance.timeOrigin + performance.now()).toFixed(0);

export function mountChart(root: HTMLElement, endpoint: Endpoint, options: ChartViewOptions = {}): ChartView {
  const marks = root.dataset;
  root.classList.add('rc-chart');
  root.dataset.chartRoot = '';
  marks.state = 'loading';
  const bar = el('div', 'bar-slot');
  const status = el('div', 'status');
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  const progress = el('div', 'progress');
  progress.append(el('div', 'fill'));
  const plotBox = el('div', 'plot');
  const legendBox = el('div', 'legend');
  const tableBox = el('div', 'table-box');
  root.append(progress, bar, status, plotBox, legendBox, tableBox);

  let controls: Controls | null = null;
  let data: ChartData | null = null;
  let seq = 0;
  let sourceLabel = '';
  let subtitle = '';
  let disposed = false;
  const plot = new Plot(plotBox, legendBox, (point, label) => void drill(point, label), root);
  /** Point-in-time measures by day (as the host sent them): other ranges and resolutions are picked from them here. */
  const daily = new Map<string, ChartData>();
  // when the script ran (epoch ms; the bench reads it)
  marks.scriptAt = epoch();

  const link = connect<ChartLink>(chartLink, endpoint, (m) => receive(m));

  function receive(m: ServerEvent<ChartLink>): void {
    if (disposed) return;
    if (m.type === 'progress') {
      marks.state = 'loading';
      (progress.firstChild as HTMLElement).style.width = `${Math.round(m.fraction * 100)}%`;
      say(`Loading ${sourceLabel || 'the export'}… ${m.rows.toLocaleString('en-US')} rows so far`);
    } else if (m.type === 'failed') {
      marks.state = 'failed';
      progress.hidden = true;
      say(m.message);
    } else {
      marks.sourceAt = epoch();
      if (m.called) marks.calledAt = m.called.toFixed(0);
      sourceLabel = m.label;
      progress.hidden = true;
      controls = new Controls(m.measures, { first: m.first, last: m.last }, m, {
        changed: () => void draw(),
        copy: () => data && void link.request('copy', { text: chartCsv(data) }),
        saveCsv: () =>
          data && void link.request('save', { format: 'csv', name: `${fileName()}.csv`, content: chartCsv(data) }),
        savePng: () => void savePng(),
      });
      bar.replaceChildren(controls.element);
      if (m.daily) daily.set(m.measure, m.daily);
      void draw();
    }
  }

  function say(text: string): void {
    status.textContent = text;
  }

  function fileName(): string {
    const s = controls!.state;
    return `${s.measure}_${s.from || 'all'}_${s.to}${s.measure === 'subscription-retention' ? '' : `_${s.resolution}`}`;
  }

  /**
   * Shows the chart of the controls' state (a newer request wins): picked from the measure's days when
   * the page has them and they hold the range, else asked of the host.
   */
  async function draw(): Promise<void> {
    if (!controls || disposed) return;
    const mine = ++seq;
    const t0 = performance.now();
    const s = controls.state;
    const request = controls.request();
    const days = daily.get(s.measure);
    const { from, to, resolution } = request;
    const picked = days && from && to && resolution ? pickPeriods(days, from, to, resolution) : null;
    let reply: { data: ChartData; params: Record<string, string>; ms: number };
    marks.state = 'drawing';
    if (picked) reply = { data: picked, params: { from: from!, to: to!, resolution: resolution! }, ms: 0 };
    else {
      const r = await link.request('chart', {
        measure: s.measure,
        request,
        revenueKind: s.revenueKind,
        daily: !days,
      });
      if (mine !== seq || disposed) return;
      if (!r.ok || !r.value.ok) {
        marks.state = 'failed';
        data = null;
        plot.clear();
        tableBox.replaceChildren();
        say(r.ok && !r.value.ok ? r.value.message : r.ok ? '' : r.error.message);
        return;
      }
      reply = r.value;
      if (r.value.daily) daily.set(s.measure, r.value.daily);
      if (s.measure === ATTRIBUTE_MEASURE) void attributeKeys(reply.params.key);
    }
    data = reply.data;
    // the panel's tab says what is drawn, picked here or measured by the host
    link.send({ type: 'drawn', title: data.title });
    const p = reply.params;
    const span = p.from && p.to ? `${p.from} … ${p.to}` : p.from ? `since ${p.from}` : p.date ? `as of ${p.date}` : '';
    subtitle = [sourceLabel, span, p.resolution ? `by ${p.resolution}` : ''].filter(Boolean).join(' · ');
    // the chart first; the table of its numbers (hundreds of rows by day) once the chart is on screen
    render(false);
    const ms = performance.now() - t0;
    // a result the host kept from before takes no time to measure: said so, not "measured in 0 ms"
    const how = picked
      ? `picked from the days in ${ms.toFixed(0)} ms`
      : reply.ms >= 1
        ? `measured in ${reply.ms.toFixed(0)} ms`
        : 'already measured';
    say(`${subtitle} · ${how} · click a value to see its rows in the grid`);
    marks.chartKind = data.kind;
    marks.measure = s.measure;
    marks.drawMs = ms.toFixed(1);
    marks.drawn = String(seq);
    // on screen: the frame after the one that drew it (epoch ms, for the bench)
    const drawn = seq;
    requestAnimationFrame(() =>
      setTimeout(() => {
        if (drawn !== seq || disposed) return;
        // "<draw number> <epoch ms> <ms since asked>"
        const now = performance.now();
        marks.onScreen = `${drawn} ${performance.timeOrigin + now} ${(now - t0).toFixed(1)}`;
        numbers();
        marks.state = 'ready';
      }),
    );
  }

  /** The attribute chart's key picker: the keys listed (once), the one drawn chosen. */
  async function attributeKeys(drawn: string | undefined): Promise<void> {
    if (drawn) controls?.setKey(drawn);
    if (!controls || controls.hasKeys) return;
    const r = await link.request('keys', {});
    if (r.ok && r.value.ok) controls?.setKeys(r.value.keys);
    if (drawn) controls?.setKey(drawn);
  }

  /** Draws the chart, and the table of its numbers unless `withNumbers` is false (then numbers() follows). */
  function render(withNumbers = true): void {
    const d = data;
    if (!d || disposed) return;
    const drawn = d.kind !== 'heatmap' && d.kind !== 'table';
    plotBox.hidden = !drawn;
    legendBox.hidden = !drawn;
    root.classList.toggle('tabular', !drawn);
    if (drawn) {
      const t0 = performance.now();
      plot.draw(d, palette());
      // where a redraw's time goes (the bench reads it)
      marks.renderMs = `plot ${(performance.now() - t0).toFixed(1)}`;
      if (withNumbers) numbers();
    } else {
      plot.clear();
      tableBox.replaceChildren(d.kind === 'heatmap' ? heatmap(d, (pt, l) => void drill(pt, l)) : barTable(d));
      marks.seriesColor = palette().series[0];
    }
    marks.theme = themeKind();
  }

  /** The table under a drawn chart: one row per period. */
  function numbers(): void {
    const d = data;
    if (!d || d.kind === 'heatmap' || d.kind === 'table') return;
    const t0 = performance.now();
    tableBox.replaceChildren(seriesTable(d, (pt, l) => void drill(pt, l)));
    marks.renderMs += ` table ${(performance.now() - t0).toFixed(1)}`;
  }

  async function drill(point: PointRef, label: string): Promise<void> {
    if (!controls || !data) return;
    say(`Finding the rows behind ${label}…`);
    marks.drillAt = epoch();
    const r = await link.request('drill', { measure: controls.state.measure, request: controls.request(), point });
    if (!r.ok) return say(r.error.message);
    const v = r.value;
    const where =
      options.drilledTo?.(v.files ?? 1) ??
      (v.files && v.files > 1 ? `opened in ${v.files} grids, one per delivery` : 'opened in the grid');
    say(v.ok ? `${label}: ${v.count.toLocaleString('en-US')} rows ${where}` : (v.message ?? 'No rows'));
    marks.drilled = String(v.count);
    if (v.ms)
      marks.drillMs = `rows ${v.ms.rows.toFixed(0)}${v.ms.found === undefined ? '' : ` (found in ${v.ms.found.toFixed(0)} in the worker)`} open ${v.ms.open.toFixed(0)}`;
    if (v.ms?.at) marks.drillHostAt = v.ms.at.toFixed(0);
  }

  async function savePng(): Promise<void> {
    if (!data) return;
    const p = palette();
    const content =
      plot.canvas && !plotBox.hidden
        ? plotPng(plot.canvas, plot.shown, data.title, subtitle, p)
        : tablePng(tableBox.querySelector('table')!, data.title, subtitle, p);
    await link.request('save', { format: 'png', name: `${fileName()}.png`, content });
  }

  const stopTheme = onThemeChange(() => render());
  // where a value is drawn, for the UI tests to click it as a person would
  (window as unknown as { rcChart: unknown }).rcChart = { position: (i: number, s: number) => plot.position(i, s) };
  if (options.first) receive(options.first);
  link.send({ type: 'ready' });

  return {
    dispose() {
      if (disposed) return;
      disposed = true;
      stopTheme();
      plot.dispose();
      link.close();
      root.replaceChildren();
    },
  };
}
